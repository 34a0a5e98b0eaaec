package probe

import (
	"crypto/tls"
	"io"
	"net"
	"testing"
	"time"

	"github.com/vigilmon/vigil/configs"
)

// serveTLSHandshakes completes a handshake on every connection with cert,
// then closes it.
func serveTLSHandshakes(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	return serveTCP(t, func(c net.Conn) {
		tc := tls.Server(c, cfg)
		_ = tc.SetDeadline(time.Now().Add(5 * time.Second))
		_ = tc.Handshake()
		_ = tc.Close()
	})
}

func newTLSProber(t *testing.T, c configs.TLSProbe) *tlsProber {
	t.Helper()
	p, err := newTLS(&c, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTLSCertificates(t *testing.T) {
	pki := newTestPKI(t)
	day := 24 * time.Hour
	fresh := serveTLSHandshakes(t, pki.leaf(t, time.Now().Add(90*day+time.Hour)))
	soon := serveTLSHandshakes(t, pki.leaf(t, time.Now().Add(10*day+time.Hour)))
	expired := serveTLSHandshakes(t, pki.leaf(t, time.Now().Add(-2*day+time.Hour)))

	for _, tc := range []struct {
		name   string
		cfg    configs.TLSProbe
		reason Reason // "" for success
		want   []string
	}{
		{"valid", configs.TLSProbe{Address: fresh, MinDaysLeft: 30, Client: configs.TLSClient{CAFile: pki.caFile}}, "", nil},
		{"valid by name", configs.TLSProbe{Address: fresh, Client: configs.TLSClient{CAFile: pki.caFile, ServerName: "localhost"}}, "", nil},
		{"unknown CA", configs.TLSProbe{Address: fresh}, ReasonTLS, []string{"certificate signed by unknown authority"}},
		{"wrong name", configs.TLSProbe{Address: fresh, Client: configs.TLSClient{CAFile: pki.caFile, ServerName: "other.test"}},
			ReasonTLS, []string{"other.test"}},
		{"expires soon", configs.TLSProbe{Address: soon, MinDaysLeft: 30, Client: configs.TLSClient{CAFile: pki.caFile}},
			ReasonAssertion, []string{"(10 days left), expected at least 30", time.Now().Add(10 * day).UTC().Format("2006-01-02")}},
		{"soon but enough", configs.TLSProbe{Address: soon, MinDaysLeft: 10, Client: configs.TLSClient{CAFile: pki.caFile}}, "", nil},
		{"expired", configs.TLSProbe{Address: expired, MinDaysLeft: 30, Client: configs.TLSClient{CAFile: pki.caFile}},
			ReasonTLS, []string{"expired"}},
		{"expired, verification skipped", configs.TLSProbe{Address: expired, MinDaysLeft: 1, Client: configs.TLSClient{InsecureSkipVerify: true}},
			ReasonAssertion, []string{"expired", "(2 days ago)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newTLSProber(t, tc.cfg).Probe(probeCtx(t, 5*time.Second))
			if tc.reason == "" {
				expectOK(t, r)
				if r.Phases == nil || r.Phases.TLS <= 0 {
					t.Errorf("Phases = %+v, want the handshake time", r.Phases)
				}
				return
			}
			expectFailure(t, r, tc.reason, tc.want...)
			checkCommon(t, r)
		})
	}
}

func TestTLSFailures(t *testing.T) {
	silent := serveTCP(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	plain := serveTCP(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 400 Bad Request\r\n\r\n")
		_ = c.Close()
	})
	hangup := serveTCP(t, func(c net.Conn) { _ = c.Close() })
	for _, tc := range []struct {
		name, addr string
		reason     Reason
		want       string
	}{
		{"refused", closedAddr(t), ReasonConnect, "refused"},
		{"no handshake", silent, ReasonTimeout, "during tls"},
		{"not TLS", plain, ReasonTLS, "tls handshake"},
		{"closed at once", hangup, ReasonTLS, "tls handshake"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			r := newTLSProber(t, configs.TLSProbe{Address: tc.addr}).Probe(probeCtx(t, 300*time.Millisecond))
			expectFailure(t, r, tc.reason, tc.want)
			if took := time.Since(start); took > 550*time.Millisecond {
				t.Errorf("probe took %v with a 300ms deadline", took)
			}
		})
	}
}
