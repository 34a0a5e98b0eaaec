package probe

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/vigilmon/vigil/configs"
)

func newTCPProber(t *testing.T, address string, resolver *net.Resolver) *tcpProber {
	t.Helper()
	p, err := newTCP(&configs.TCPProbe{Address: address}, resolver)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTCPSuccess(t *testing.T) {
	addr := serveTCP(t, func(c net.Conn) { _ = c.Close() })
	r := newTCPProber(t, addr, nil).Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	if r.Phases == nil || r.Phases.Connect <= 0 {
		t.Errorf("Phases = %+v, want the connect time", r.Phases)
	}
	if r.Status != 0 {
		t.Errorf("Status = %d on a TCP probe", r.Status)
	}
}

func TestTCPName(t *testing.T) {
	udp, _ := startDNS(t)
	addr := serveTCP(t, func(c net.Conn) { _ = c.Close() })
	_, port, _ := net.SplitHostPort(addr)

	r := newTCPProber(t, net.JoinHostPort("ok.test", port), localResolver(udp)).Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	if r.Phases.DNS <= 0 || r.Phases.Connect <= 0 {
		t.Errorf("Phases = %+v, want dns and connect measured", r.Phases)
	}

	r = newTCPProber(t, "nonexistent.invalid:80", localResolver(udp)).Probe(probeCtx(t, 5*time.Second))
	expectFailure(t, r, ReasonDNS, "nonexistent.invalid")
	checkCommon(t, r)
}

func TestTCPRefused(t *testing.T) {
	r := newTCPProber(t, closedAddr(t), nil).Probe(probeCtx(t, 5*time.Second))
	expectFailure(t, r, ReasonConnect, "connection refused")
	checkCommon(t, r)
}

func TestTCPDeadlineAlreadyPassed(t *testing.T) {
	addr := serveTCP(t, func(c net.Conn) { _ = c.Close() })
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	r := newTCPProber(t, addr, nil).Probe(ctx)
	expectFailure(t, r, ReasonTimeout, "deadline exceeded")
}
