package probe

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/configs"
)

func newDNSProber(t *testing.T, c configs.DNSProbe) *dnsProber {
	t.Helper()
	p, err := newDNS(&c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDNSAnswers(t *testing.T) {
	udp, tcp := startDNS(t)
	for _, tc := range []struct {
		name, qname, qtype string
		expect             []string
	}{
		{"A", "ok.test", "A", []string{"127.0.0.2", "127.0.0.1"}},
		{"A without expectations", "ok.test", "A", nil},
		{"A lower-case type", "ok.test.", "a", []string{"127.0.0.1"}},
		{"AAAA", "ok.test", "AAAA", []string{"0:0::1"}},
		{"CNAME any case, dot or not", "ALIAS.test", "CNAME", []string{"target.example."}},
		{"CNAME", "alias.test", "CNAME", []string{"Target.Example"}},
		{"MX", "mx.test", "MX", []string{"mail.example"}},
		{"TXT joined", "txt.test", "TXT", []string{"v=spf1 -all"}},
		{"NS", "ns.test", "NS", []string{"ns1.example"}},
		{"no records of the type", "mx.test", "A", nil},
	} {
		for _, proto := range []string{"udp", "tcp"} {
			t.Run(tc.name+"/"+proto, func(t *testing.T) {
				server := udp
				if proto == "tcp" {
					server = tcp
				}
				p := newDNSProber(t, configs.DNSProbe{Name: tc.qname, Type: tc.qtype, Server: server, Protocol: proto, Expect: tc.expect})
				r := p.Probe(probeCtx(t, 5*time.Second))
				expectOK(t, r)
				if r.Phases != nil || r.Status != 0 {
					t.Errorf("DNS result with Phases %v / Status %d", r.Phases, r.Status)
				}
			})
		}
	}
}

func TestDNSFailures(t *testing.T) {
	udp, _ := startDNS(t)
	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	closedUDP, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedUDPAddr := closedUDP.LocalAddr().String()
	_ = closedUDP.Close()

	for _, tc := range []struct {
		name   string
		cfg    configs.DNSProbe
		reason Reason
		want   []string
	}{
		{"NXDOMAIN", configs.DNSProbe{Name: "missing.test", Server: udp}, ReasonDNS, []string{"NXDOMAIN", "missing.test."}},
		{"SERVFAIL", configs.DNSProbe{Name: "servfail.test", Server: udp}, ReasonDNS, []string{"SERVFAIL"}},
		{"expected IP missing", configs.DNSProbe{Name: "ok.test", Server: udp, Expect: []string{"127.0.0.1", "10.0.0.9"}},
			ReasonAssertion, []string{`answer lacks "10.0.0.9"`, "127.0.0.2"}},
		{"expected name missing", configs.DNSProbe{Name: "alias.test", Type: "CNAME", Server: udp, Expect: []string{"other.example"}},
			ReasonAssertion, []string{`lacks "other.example"`, `"target.example"`}},
		{"no answer", configs.DNSProbe{Name: "silent.test", Server: silent.LocalAddr().String()}, ReasonTimeout, []string{"deadline exceeded"}},
		{"udp port closed", configs.DNSProbe{Name: "ok.test", Server: closedUDPAddr}, ReasonConnect, []string{"refused"}},
		{"tcp port closed", configs.DNSProbe{Name: "ok.test", Server: closedAddr(t), Protocol: "tcp"}, ReasonConnect, []string{"refused"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cfg.Type == "" {
				tc.cfg.Type = "A"
			}
			start := time.Now()
			r := newDNSProber(t, tc.cfg).Probe(probeCtx(t, 300*time.Millisecond))
			expectFailure(t, r, tc.reason, tc.want...)
			checkCommon(t, r)
			if took := time.Since(start); took > 550*time.Millisecond {
				t.Errorf("probe took %v with a 300ms deadline", took)
			}
		})
	}
}

func TestDNSDefaultServer(t *testing.T) {
	p := newDNSProber(t, configs.DNSProbe{Name: "ok.test", Type: "A"})
	if _, port, err := net.SplitHostPort(p.server); err != nil || port == "" {
		t.Errorf("default server %q is not host:port", p.server)
	}
	// No query is sent: the system resolver is outside this machine.
	p = newDNSProber(t, configs.DNSProbe{Name: "ok.test", Type: "A", Server: "127.0.0.1"})
	if p.server != "127.0.0.1:53" {
		t.Errorf("server without port = %q, want 127.0.0.1:53", p.server)
	}
	if !strings.HasSuffix(p.name, ".") {
		t.Errorf("name %q not fully qualified", p.name)
	}
}
