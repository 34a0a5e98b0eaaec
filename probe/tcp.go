package probe

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/vigilmon/vigil/configs"
)

// tcpProber opens a TCP connection to an address and closes it.
type tcpProber struct {
	address string
	dialer  net.Dialer
}

// newTCP builds a TCP prober. resolver is nil for the system resolver;
// tests pass one that asks a local DNS server.
func newTCP(c *configs.TCPProbe, resolver *net.Resolver) (*tcpProber, error) {
	if _, _, err := net.SplitHostPort(c.Address); err != nil {
		return nil, fmt.Errorf("parse address %q: %w", c.Address, err)
	}
	return &tcpProber{address: c.Address, dialer: newDialer(resolver)}, nil
}

// Probe connects and closes; the phases report DNS and connect time.
func (p *tcpProber) Probe(ctx context.Context) Result {
	r, t0 := begin()
	conn, ph, err := timedDial(ctx, &p.dialer, p.address)
	r.Duration = time.Since(t0)
	r.Phases = &ph
	if err != nil {
		setFailure(ctx, &r, err, false, dialPhase(p.address, ph))
		return r
	}
	_ = conn.Close()        // nothing was sent: a close error says nothing about the target
	r.Duration = ph.total() // the network's time, as for HTTP
	r.OK = true
	return r
}

// newDialer returns the dialer every probe kind connects with: no timeout of
// its own (the context carries the deadline), no keep-alive probes (the
// connection lives for one probe), and resolver for names.
func newDialer(resolver *net.Resolver) net.Dialer {
	return net.Dialer{KeepAlive: -1, Resolver: resolver}
}

// timedDial connects to address over TCP and measures the DNS phase (until
// the first connect attempt starts) and the connect phase (from there until
// the connection is up, or the kernel's handshake round trip when it has
// one). With an IP address the DNS phase is about zero.
func timedDial(ctx context.Context, template *net.Dialer, address string) (net.Conn, Phases, error) {
	var firstAttempt atomic.Int64 // ns since start of the first connect attempt; 0 = none yet
	var attempts atomic.Int32
	start := time.Now()
	d := *template
	d.ControlContext = func(context.Context, string, string, syscall.RawConn) error {
		firstAttempt.CompareAndSwap(0, int64(max(time.Since(start), 1)))
		attempts.Add(1)
		return nil
	}
	conn, err := d.DialContext(ctx, "tcp", address)
	total := time.Since(start)
	var ph Phases
	if dns := time.Duration(firstAttempt.Load()); dns > 0 {
		ph.DNS, ph.Connect = dns, total-dns
	} else {
		ph.DNS = total
	}
	if err != nil {
		return nil, ph, fmt.Errorf("connect to %s: %w", address, err)
	}
	// One attempt that the kernel timed: its handshake round trip is the
	// connect phase, without the wait for this goroutine to be woken.
	if rtt := connectRTT(conn); attempts.Load() == 1 && rtt > 0 && rtt < ph.Connect {
		ph.Connect = rtt
	}
	return conn, ph, nil
}

// dialPhase names the phase a failed timedDial to address was in.
func dialPhase(address string, ph Phases) string {
	host, _, _ := net.SplitHostPort(address)
	if ph.Connect == 0 && net.ParseIP(host) == nil {
		return "dns"
	}
	return "connect"
}
