package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/vigilmon/vigil/configs"
)

// tlsProber completes a TLS handshake with verification and checks how long
// the leaf certificate has left.
type tlsProber struct {
	address     string
	dialer      net.Dialer
	config      *tls.Config
	minDaysLeft int
}

// newTLS builds a TLS prober. resolver is nil for the system resolver.
func newTLS(c *configs.TLSProbe, resolver *net.Resolver) (*tlsProber, error) {
	host, _, err := net.SplitHostPort(c.Address)
	if err != nil {
		return nil, fmt.Errorf("parse address %q: %w", c.Address, err)
	}
	cfg, err := tlsClientConfig(c.Client, host)
	if err != nil {
		return nil, err
	}
	return &tlsProber{
		address:     c.Address,
		dialer:      newDialer(resolver),
		config:      cfg,
		minDaysLeft: c.MinDaysLeft,
	}, nil
}

// Probe dials, shakes hands and judges the leaf certificate's expiry.
// Phases report dns, connect and tls.
func (p *tlsProber) Probe(ctx context.Context) Result {
	r, t0 := begin()
	conn, ph, err := timedDial(ctx, &p.dialer, p.address)
	r.Phases = &ph
	if err != nil {
		r.Duration = time.Since(t0)
		setFailure(ctx, &r, err, false, dialPhase(p.address, ph))
		return r
	}
	defer conn.Close() //nolint:errcheck // the probe is over; nothing to report
	hs := time.Now()
	tc := tls.Client(conn, p.config)
	err = tc.HandshakeContext(ctx)
	end := time.Now()
	ph.TLS = end.Sub(hs)
	r.Duration = end.Sub(t0)
	if err != nil {
		setFailure(ctx, &r, fmt.Errorf("tls handshake with %s: %w", p.address, err), true, "tls")
		return r
	}
	r.Duration = ph.total() // the network's time, as for TCP and HTTP
	r.OK = true
	if p.minDaysLeft <= 0 {
		return r
	}
	certs := tc.ConnectionState().PeerCertificates
	if len(certs) == 0 {
		setFailuref(&r, ReasonTLS, "%s sent no certificate", p.address)
		return r
	}
	left := certs[0].NotAfter.Sub(end)
	days := int(left / (24 * time.Hour))
	if left < 0 {
		days = -int(-left/(24*time.Hour)) - 1 // already expired: count the started day
	}
	switch notAfter := certs[0].NotAfter.UTC().Format(time.RFC3339); {
	case days < 0:
		setFailuref(&r, ReasonAssertion, "certificate expired %s (%d days ago), expected at least %d days left",
			notAfter, -days, p.minDaysLeft)
	case days < p.minDaysLeft:
		setFailuref(&r, ReasonAssertion, "certificate expires %s (%d days left), expected at least %d",
			notAfter, days, p.minDaysLeft)
	}
	return r
}

// tlsClientConfig builds the client TLS configuration of a probe: the CA
// file (if any) replaces the system roots, server_name (if any) replaces
// defaultName for SNI and verification.
func tlsClientConfig(c configs.TLSClient, defaultName string) (*tls.Config, error) {
	cfg := &tls.Config{
		ServerName:         defaultName,
		InsecureSkipVerify: c.InsecureSkipVerify, //nolint:gosec // an explicit, per-check choice
		MinVersion:         tls.VersionTLS12,
	}
	if c.ServerName != "" {
		cfg.ServerName = c.ServerName
	}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("read ca_file %s: no PEM certificate found", c.CAFile)
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}
