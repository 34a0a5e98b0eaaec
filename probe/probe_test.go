package probe

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/vigilmon/vigil/configs"
)

// Shared helpers for the probe-kind tests. Every server listens on
// 127.0.0.1; no test sends traffic anywhere else.

// probeCtx returns a context with the probe's deadline, as the scheduler
// would give it.
func probeCtx(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return ctx
}

// expectFailure checks a failed Result's reason and that its message holds
// every fragment.
func expectFailure(t *testing.T, r Result, reason Reason, fragments ...string) {
	t.Helper()
	if r.OK || r.Reason != reason {
		t.Fatalf("got OK=%v reason=%q message=%q, want reason %q", r.OK, r.Reason, r.Message, reason)
	}
	t.Logf("%s: %s", r.Reason, r.Message)
	for _, f := range fragments {
		if !strings.Contains(r.Message, f) {
			t.Errorf("message %q lacks %q", r.Message, f)
		}
	}
}

// expectOK checks a Result succeeded and has the common fields set.
func expectOK(t *testing.T, r Result) {
	t.Helper()
	if !r.OK || r.Reason != ReasonNone || r.Message != "" {
		t.Fatalf("got OK=%v reason=%q message=%q, want success", r.OK, r.Reason, r.Message)
	}
	checkCommon(t, r)
}

// checkCommon checks what every Result carries and what it must leave to
// the scheduler.
func checkCommon(t *testing.T, r Result) {
	t.Helper()
	if r.Start.IsZero() || r.Start.Location() != time.UTC {
		t.Errorf("Start = %v, want a UTC time", r.Start)
	}
	if r.Duration <= 0 {
		t.Errorf("Duration = %v, want > 0", r.Duration)
	}
	if r.Check != "" || r.Location != "" || r.Interval != 0 {
		t.Errorf("Check/Location/Interval set by the probe: %q %q %v", r.Check, r.Location, r.Interval)
	}
}

// closedAddr returns a 127.0.0.1 address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// serveTCP accepts connections on 127.0.0.1 and hands each to handle in
// its own goroutine; everything stops at the end of the test.
func serveTCP(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() { handle(c) })
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// testPKI is a throw-away certificate authority.
type testPKI struct {
	cert   *x509.Certificate
	key    *ecdsa.PrivateKey
	caFile string // the CA certificate as PEM
}

// newTestPKI creates a CA and writes its certificate to a temp file.
func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "vigil test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	file := writePEM(t, der)
	return &testPKI{cert: cert, key: key, caFile: file}
}

// writePEM writes a DER certificate as PEM to a temp file.
func writePEM(t *testing.T, der []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// leaf issues a certificate for 127.0.0.1 and localhost expiring at notAfter.
func (p *testPKI) leaf(t *testing.T, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    notAfter.Add(-400 * 24 * time.Hour),
		NotAfter:     notAfter,
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.cert, &key.PublicKey, p.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// dnsZone is what the test DNS server knows; other names get NXDOMAIN and
// "servfail.test." gets SERVFAIL.
var dnsZone = []string{
	"ok.test. 60 IN A 127.0.0.1",
	"ok.test. 60 IN A 127.0.0.2",
	"ok.test. 60 IN AAAA ::1",
	"alias.test. 60 IN CNAME Target.Example.",
	"mx.test. 60 IN MX 10 Mail.Example.",
	"txt.test. 60 IN TXT \"v=spf1 \" \"-all\"",
	"ns.test. 60 IN NS ns1.example.",
}

// startDNS runs a DNS server for dnsZone on 127.0.0.1 over UDP and TCP
// and returns both addresses.
func startDNS(t *testing.T) (udpAddr, tcpAddr string) {
	t.Helper()
	var rrs []dns.RR
	for _, s := range dnsZone {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		rrs = append(rrs, rr)
	}
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(req)
		q := req.Question[0]
		known := false
		for _, rr := range rrs {
			if strings.EqualFold(rr.Header().Name, q.Name) {
				known = true
				if rr.Header().Rrtype == q.Qtype {
					m.Answer = append(m.Answer, rr)
				}
			}
		}
		switch {
		case strings.EqualFold(q.Name, "servfail.test."):
			m.Rcode = dns.RcodeServerFailure
		case !known:
			m.Rcode = dns.RcodeNameError
		}
		_ = w.WriteMsg(m)
	})
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	servers := []*dns.Server{
		{PacketConn: pc, Handler: handler},
		{Listener: ln, Handler: handler},
	}
	var wg sync.WaitGroup
	for _, s := range servers {
		started := make(chan struct{})
		s.NotifyStartedFunc = func() { close(started) }
		wg.Go(func() { _ = s.ActivateAndServe() })
		<-started
	}
	t.Cleanup(func() {
		for _, s := range servers {
			_ = s.Shutdown()
		}
		wg.Wait()
	})
	return pc.LocalAddr().String(), ln.Addr().String()
}

// localResolver resolves names through the test DNS server only.
func localResolver(dnsAddr string) *net.Resolver {
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", dnsAddr)
		},
	}
}

func TestNewDispatchesOnKind(t *testing.T) {
	for _, c := range []configs.Check{
		{Name: "h", HTTP: &configs.HTTPProbe{URL: "http://127.0.0.1:1/"}},
		{Name: "t", TCP: &configs.TCPProbe{Address: "127.0.0.1:1"}},
		{Name: "d", DNS: &configs.DNSProbe{Name: "ok.test", Type: "A", Server: "127.0.0.1:1"}},
		{Name: "s", TLS: &configs.TLSProbe{Address: "127.0.0.1:1"}},
	} {
		p, err := New(c)
		if err != nil || p == nil {
			t.Errorf("New(%s) = %v, %v", c.Kind(), p, err)
		}
	}
}

func TestNewRejectsWhatCannotRun(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	notPEM := filepath.Join(t.TempDir(), "bad.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		check configs.Check
		want  string
	}{
		{"no kind", configs.Check{Name: "x"}, "no probe kind"},
		{"bad scheme", configs.Check{Name: "x", HTTP: &configs.HTTPProbe{URL: "ftp://127.0.0.1/"}}, "scheme"},
		{"bad regex", configs.Check{Name: "x", HTTP: &configs.HTTPProbe{URL: "http://127.0.0.1/",
			Expect: configs.HTTPExpect{BodyRegex: "("}}}, "body_regex"},
		{"bad json path", configs.Check{Name: "x", HTTP: &configs.HTTPProbe{URL: "http://127.0.0.1/",
			Expect: configs.HTTPExpect{JSON: map[string]any{"a.b": 1}}}}, "json path \"a.b\""},
		{"missing ca file", configs.Check{Name: "x", HTTP: &configs.HTTPProbe{URL: "https://127.0.0.1/",
			TLS: configs.TLSClient{CAFile: missing}}}, "read ca_file"},
		{"ca file not PEM", configs.Check{Name: "x", TLS: &configs.TLSProbe{Address: "127.0.0.1:443",
			Client: configs.TLSClient{CAFile: notPEM}}}, "no PEM certificate"},
		{"tcp without port", configs.Check{Name: "x", TCP: &configs.TCPProbe{Address: "127.0.0.1"}}, "parse address"},
		{"dns type", configs.Check{Name: "x", DNS: &configs.DNSProbe{Name: "a", Type: "SOA"}}, "dns type"},
		{"dns protocol", configs.Check{Name: "x", DNS: &configs.DNSProbe{Name: "a", Protocol: "quic"}}, "dns protocol"},
		{"dns expect not IP", configs.Check{Name: "x", DNS: &configs.DNSProbe{Name: "a", Type: "A",
			Server: "127.0.0.1:53", Expect: []string{"example.com"}}}, "not an IP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.check)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New() error = %v, want it to mention %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), `check "x"`) {
				t.Errorf("error %q does not name the check", err)
			}
		})
	}
}
