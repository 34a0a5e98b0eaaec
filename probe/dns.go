package probe

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/vigilmon/vigil/configs"
)

// resolvConf is where the default DNS server comes from.
const resolvConf = "/etc/resolv.conf"

// dnsNoTimeout disables miekg/dns's own 2 s timeouts: the context carries
// the probe's deadline, and the client takes the earlier of the two.
const dnsNoTimeout = 24 * time.Hour

// dnsProber asks one server for one record set and checks the answer.
type dnsProber struct {
	client *dns.Client
	server string // host:port
	name   string // fully qualified, with the trailing dot
	qtype  uint16
	expect []string // normalised with dnsValue's rules
}

// newDNS builds a DNS prober; without a server it asks the first
// nameserver in /etc/resolv.conf, else 127.0.0.1:53.
func newDNS(c *configs.DNSProbe) (*dnsProber, error) {
	typ := strings.ToUpper(c.Type)
	if typ == "" {
		typ = "A"
	}
	qtype, ok := dns.StringToType[typ]
	if !ok || !supportedDNSType(qtype) {
		return nil, fmt.Errorf("dns type %q: want one of A, AAAA, CNAME, MX, TXT, NS", c.Type)
	}
	proto := strings.ToLower(c.Protocol)
	switch proto {
	case "":
		proto = "udp"
	case "udp", "tcp":
	default:
		return nil, fmt.Errorf("dns protocol %q: want udp or tcp", c.Protocol)
	}
	server := c.Server
	if server == "" {
		server = defaultDNSServer()
	} else if _, _, err := net.SplitHostPort(server); err != nil {
		server = net.JoinHostPort(server, "53")
	}
	expect := make([]string, 0, len(c.Expect))
	for _, v := range c.Expect {
		n, err := normaliseExpected(qtype, v)
		if err != nil {
			return nil, err
		}
		expect = append(expect, n)
	}
	return &dnsProber{
		client: &dns.Client{Net: proto, Timeout: dnsNoTimeout},
		server: server,
		name:   dns.Fqdn(c.Name),
		qtype:  qtype,
		expect: expect,
	}, nil
}

// defaultDNSServer is the first nameserver of the system's resolver.
func defaultDNSServer() string {
	cfg, err := dns.ClientConfigFromFile(resolvConf)
	if err != nil || len(cfg.Servers) == 0 {
		return "127.0.0.1:53"
	}
	return net.JoinHostPort(cfg.Servers[0], cfg.Port)
}

// Probe sends one query (no retry, no fallback to TCP on truncation).
func (p *dnsProber) Probe(ctx context.Context) Result {
	r, t0 := begin()
	m := new(dns.Msg)
	m.SetQuestion(p.name, p.qtype)
	resp, _, err := p.client.ExchangeContext(ctx, m, p.server)
	r.Duration = time.Since(t0)
	if err != nil {
		setFailure(ctx, &r, fmt.Errorf("query %s: %w", p.server, err), false, "query")
		return r
	}
	if resp.Rcode != dns.RcodeSuccess {
		setFailuref(&r, ReasonDNS, "%s %s: rcode %s from %s",
			p.name, dns.TypeToString[p.qtype], dns.RcodeToString[resp.Rcode], p.server)
		return r
	}
	r.OK = true
	if len(p.expect) == 0 {
		return r
	}
	got := make([]string, 0, len(resp.Answer))
	for _, rr := range resp.Answer {
		if v, ok := dnsValue(rr, p.qtype); ok {
			got = append(got, v)
		}
	}
	for _, want := range p.expect {
		if !slices.Contains(got, want) {
			setFailuref(&r, ReasonAssertion, "%s %s: answer lacks %q (got %q)",
				p.name, dns.TypeToString[p.qtype], want, got)
			return r
		}
	}
	return r
}

// supportedDNSType reports the record types whose values can be expected.
func supportedDNSType(t uint16) bool {
	switch t {
	case dns.TypeA, dns.TypeAAAA, dns.TypeCNAME, dns.TypeMX, dns.TypeTXT, dns.TypeNS:
		return true
	}
	return false
}

// dnsValue renders an answer record of type qtype as expect values are
// written: IPs as text, names lower-case without the trailing dot (MX
// without its preference), TXT strings joined.
func dnsValue(rr dns.RR, qtype uint16) (string, bool) {
	if rr.Header().Rrtype != qtype {
		return "", false
	}
	switch v := rr.(type) {
	case *dns.A:
		return ipText(v.A), true
	case *dns.AAAA:
		return ipText(v.AAAA), true
	case *dns.CNAME:
		return nameText(v.Target), true
	case *dns.NS:
		return nameText(v.Ns), true
	case *dns.MX:
		return nameText(v.Mx), true
	case *dns.TXT:
		return strings.Join(v.Txt, ""), true
	}
	return "", false
}

// normaliseExpected applies dnsValue's rules to a configured value.
func normaliseExpected(qtype uint16, v string) (string, error) {
	switch qtype {
	case dns.TypeA, dns.TypeAAAA:
		a, err := netip.ParseAddr(strings.TrimSpace(v))
		if err != nil {
			return "", fmt.Errorf("dns expect %q: not an IP address: %w", v, err)
		}
		return a.Unmap().String(), nil
	case dns.TypeCNAME, dns.TypeNS, dns.TypeMX:
		return nameText(v), nil
	}
	return v, nil
}

// ipText renders an IP as netip does, IPv4 without the v6 mapping.
func ipText(ip net.IP) string {
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return ip.String()
	}
	return a.Unmap().String()
}

// nameText lower-cases a domain name and drops its trailing dot.
func nameText(s string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
}
