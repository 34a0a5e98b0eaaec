package probe

import (
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/configs"
)

// newHTTPProber builds an HTTP prober for url with mod applied to its config.
func newHTTPProber(t testing.TB, url string, mod func(*configs.HTTPProbe)) *httpProber {
	t.Helper()
	c := &configs.HTTPProbe{URL: url, Method: http.MethodGet, MaxBodyBytes: 10 << 20}
	if mod != nil {
		mod(c)
	}
	p, err := newHTTP(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// quietTLSServer is httptest.NewTLSServer without handshake-error logging
// (the tests fail handshakes on purpose).
func quietTLSServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	return ts
}

func TestHTTPSuccess(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status":"ok","db":{"up":true,"lag":0.5,"replicas":[{"name":"r1"}],"note":null},"count":3}`)
	}))
	defer ts.Close()
	p := newHTTPProber(t, ts.URL+"/health", func(c *configs.HTTPProbe) {
		c.Expect = configs.HTTPExpect{
			Status:       []int{200},
			BodyContains: `"status":"ok"`,
			BodyRegex:    `"count":\d+`,
			JSON: map[string]any{
				"$.status":                 "ok",
				"$.db.up":                  true,
				"$.db.lag":                 0.5,
				"$.count":                  3, // an int from YAML equals the float64 from JSON
				"$.db.note":                nil,
				"$.db.replicas[0].name":    "r1",
				`$["db"]["replicas"][0]`:   map[string]any{"name": "r1"},
				`$.db.replicas[0]["name"]`: "r1",
			},
			MaxDuration: configs.Duration(5 * time.Second),
		}
	})
	r := p.Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	if r.Status != http.StatusOK {
		t.Errorf("Status = %d", r.Status)
	}
	if r.Phases == nil || r.Phases.Connect <= 0 || r.Phases.TTFB <= 0 {
		t.Errorf("Phases = %+v, want connect and ttfb measured", r.Phases)
	}
	if r.Phases.TLS != 0 {
		t.Errorf("TLS phase %v on plain HTTP", r.Phases.TLS)
	}
}

func TestHTTPSendsRequest(t *testing.T) {
	type seen struct {
		method, ua, ctype, host, custom, body string
	}
	got := make(chan seen, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.UserAgent(), r.Header.Get("Content-Type"), r.Host, r.Header.Get("X-Tenant"), string(b)}
	}))
	defer ts.Close()

	old := UserAgent
	UserAgent = "vigil/1.2.3"
	defer func() { UserAgent = old }()

	for _, tc := range []struct {
		name string
		mod  func(*configs.HTTPProbe)
		want seen
	}{
		{"defaults", nil, seen{method: "GET", ua: "vigil/1.2.3", host: strings.TrimPrefix(ts.URL, "http://")}},
		{"body and headers", func(c *configs.HTTPProbe) {
			c.Method = "POST"
			c.Body = `{"q":1}`
			c.Headers = map[string]string{"content-type": "application/json", "X-Tenant": "acme",
				"User-Agent": "custom/1", "Host": "app.example"}
		}, seen{"POST", "custom/1", "application/json", "app.example", "acme", `{"q":1}`}},
		{"form", func(c *configs.HTTPProbe) {
			c.Method = "POST"
			c.Form = map[string]string{"user": "probe", "pass": "a b&c"}
		}, seen{method: "POST", ua: "vigil/1.2.3", ctype: "application/x-www-form-urlencoded",
			host: strings.TrimPrefix(ts.URL, "http://"), body: "pass=a+b%26c&user=probe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newHTTPProber(t, ts.URL, tc.mod)
			for range 2 { // the template is reused: the second probe sends the same
				expectOK(t, p.Probe(probeCtx(t, 5*time.Second)))
				if s := <-got; s != tc.want {
					t.Errorf("server saw %+v, want %+v", s, tc.want)
				}
			}
		})
	}
}

func TestHTTPStatus(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer ts.Close()

	r := newHTTPProber(t, ts.URL, nil).Probe(probeCtx(t, 5*time.Second))
	expectFailure(t, r, ReasonStatus, "status 503, expected 2xx")
	checkCommon(t, r)
	if r.Status != 503 {
		t.Errorf("Status = %d, want 503", r.Status)
	}

	r = newHTTPProber(t, ts.URL, func(c *configs.HTTPProbe) { c.Expect.Status = []int{200} }).
		Probe(probeCtx(t, 5*time.Second))
	expectFailure(t, r, ReasonStatus, "status 503, expected one of [200]")

	r = newHTTPProber(t, ts.URL, func(c *configs.HTTPProbe) { c.Expect.Status = []int{200, 503} }).
		Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
}

func TestHTTPAssertions(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			time.Sleep(60 * time.Millisecond)
		}
		if r.URL.Path == "/text" {
			fmt.Fprint(w, "<html>maintenance</html>")
			return
		}
		fmt.Fprint(w, `{"status":"degraded","items":[1,2],"nested":{"n":1}}`)
	}))
	defer ts.Close()

	for _, tc := range []struct {
		name   string
		path   string
		expect configs.HTTPExpect
		want   string
	}{
		{"body_contains", "/", configs.HTTPExpect{BodyContains: `"status":"ok"`}, `body does not contain "\"status\":\"ok\""`},
		{"body_regex", "/", configs.HTTPExpect{BodyRegex: `"items":\[\]`}, "body does not match"},
		{"json value", "/", configs.HTTPExpect{JSON: map[string]any{"$.status": "ok"}}, `json $.status is "degraded", expected "ok"`},
		{"json type", "/", configs.HTTPExpect{JSON: map[string]any{"$.items[1]": "2"}}, `json $.items[1] is 2, expected "2"`},
		{"json missing member", "/", configs.HTTPExpect{JSON: map[string]any{"$.nested.m": 1}}, "json $.nested.m is missing"},
		{"json missing index", "/", configs.HTTPExpect{JSON: map[string]any{"$.items[5]": 1}}, "json $.items[5] is missing"},
		{"json index on object", "/", configs.HTTPExpect{JSON: map[string]any{"$.nested[0]": 1}}, "is missing"},
		{"json body not JSON", "/text", configs.HTTPExpect{JSON: map[string]any{"$.status": "ok"}}, "body is not JSON"},
		{"max_duration", "/slow", configs.HTTPExpect{MaxDuration: configs.Duration(20 * time.Millisecond)}, "more than max_duration 20ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newHTTPProber(t, ts.URL+tc.path, func(c *configs.HTTPProbe) { c.Expect = tc.expect })
			r := p.Probe(probeCtx(t, 5*time.Second))
			expectFailure(t, r, ReasonAssertion, tc.want)
			checkCommon(t, r)
			if r.Status != 200 {
				t.Errorf("Status = %d, want 200 kept on an assertion failure", r.Status)
			}
		})
	}
}

func TestHTTPSize(t *testing.T) {
	body := strings.Repeat("x", 2048)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, body)
	}))
	defer ts.Close()
	for _, tc := range []struct {
		name   string
		max    configs.ByteSize
		expect configs.HTTPExpect
		ok     bool
	}{
		{"over, discarded", 1024, configs.HTTPExpect{}, false},
		{"over, kept for body_contains", 1024, configs.HTTPExpect{BodyContains: "x"}, false},
		{"exactly the limit", 2048, configs.HTTPExpect{}, true},
		{"exactly the limit, kept", 2048, configs.HTTPExpect{BodyContains: "xx"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newHTTPProber(t, ts.URL, func(c *configs.HTTPProbe) { c.MaxBodyBytes = tc.max; c.Expect = tc.expect })
			r := p.Probe(probeCtx(t, 5*time.Second))
			if tc.ok {
				expectOK(t, r)
				return
			}
			expectFailure(t, r, ReasonSize, "max_body_bytes (1024 bytes)")
		})
	}
}

func TestHTTPConnectRefused(t *testing.T) {
	p := newHTTPProber(t, "http://"+closedAddr(t)+"/", nil)
	r := p.Probe(probeCtx(t, 5*time.Second))
	expectFailure(t, r, ReasonConnect, "connection refused")
	checkCommon(t, r)
	if r.Status != 0 {
		t.Errorf("Status = %d without a response", r.Status)
	}
}

func TestHTTPDNS(t *testing.T) {
	udp, _ := startDNS(t)
	ts := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer ts.Close()
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())

	c := &configs.HTTPProbe{URL: "http://ok.test:" + port + "/", MaxBodyBytes: 1024}
	p, err := newHTTP(c, localResolver(udp))
	if err != nil {
		t.Fatal(err)
	}
	r := p.Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	if r.Phases.DNS <= 0 {
		t.Errorf("DNS phase = %v, want > 0 for a name", r.Phases.DNS)
	}

	c = &configs.HTTPProbe{URL: "http://nonexistent.invalid/", MaxBodyBytes: 1024}
	if p, err = newHTTP(c, localResolver(udp)); err != nil {
		t.Fatal(err)
	}
	r = p.Probe(probeCtx(t, 5*time.Second))
	expectFailure(t, r, ReasonDNS, "nonexistent.invalid")
	if r.Duration > time.Second {
		t.Errorf("a name that does not exist took %v to fail", r.Duration)
	}
}

func TestHTTPTLS(t *testing.T) {
	ts := quietTLSServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		tls  configs.TLSClient
		want string // "" for success
	}{
		{"self-signed without ca_file", configs.TLSClient{}, "certificate"},
		{"ca_file", configs.TLSClient{CAFile: caFile}, ""},
		{"insecure_skip_verify", configs.TLSClient{InsecureSkipVerify: true}, ""},
		{"server_name mismatch", configs.TLSClient{CAFile: caFile, ServerName: "other.test"}, "other.test"},
		{"server_name match", configs.TLSClient{CAFile: caFile, ServerName: "example.com"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newHTTPProber(t, ts.URL, func(c *configs.HTTPProbe) { c.TLS = tc.tls })
			r := p.Probe(probeCtx(t, 5*time.Second))
			if tc.want != "" {
				expectFailure(t, r, ReasonTLS, tc.want)
				return
			}
			expectOK(t, r)
			if r.Phases.TLS <= 0 {
				t.Errorf("TLS phase = %v, want > 0", r.Phases.TLS)
			}
		})
	}
}

func TestHTTPPlainServerOnHTTPSURL(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer ts.Close()
	p := newHTTPProber(t, strings.Replace(ts.URL, "http:", "https:", 1), nil)
	expectFailure(t, p.Probe(probeCtx(t, 5*time.Second)), ReasonTLS)
}

func TestHTTPTimeout(t *testing.T) {
	slowloris := serveTCP(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 4096))
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
		for {
			if _, err := c.Write([]byte("x")); err != nil {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	silent := serveTCP(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	slowHeaders := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slowHeaders.Close()

	const deadline = 300 * time.Millisecond
	for _, tc := range []struct {
		name, url, phase string
		expect           configs.HTTPExpect
	}{
		{"slowloris body discarded", "http://" + slowloris + "/", "transfer", configs.HTTPExpect{}},
		{"slowloris body kept", "http://" + slowloris + "/", "transfer", configs.HTTPExpect{BodyContains: "y"}},
		{"never answers", "http://" + silent + "/", "ttfb", configs.HTTPExpect{}},
		{"handler too slow", slowHeaders.URL, "ttfb", configs.HTTPExpect{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newHTTPProber(t, tc.url, func(c *configs.HTTPProbe) { c.Expect = tc.expect })
			start := time.Now()
			r := p.Probe(probeCtx(t, deadline))
			took := time.Since(start)
			expectFailure(t, r, ReasonTimeout, "deadline exceeded", "during "+tc.phase)
			checkCommon(t, r)
			if took < deadline || took > deadline+250*time.Millisecond {
				t.Errorf("probe returned after %v, want right at its %v deadline", took, deadline)
			}
		})
	}
}

func TestHTTPCancelled(t *testing.T) {
	silent := serveTCP(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	r := newHTTPProber(t, "http://"+silent+"/", nil).Probe(ctx)
	expectFailure(t, r, ReasonTimeout, "cancelled")
}

func TestHTTPProtocol(t *testing.T) {
	garbage := serveTCP(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 4096))
		_, _ = io.WriteString(c, "SSH-2.0-OpenSSH_9.6\r\n\r\n")
		_ = c.Close()
	})
	hangup := serveTCP(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 4096))
		_ = c.Close()
	})
	short := serveTCP(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 4096))
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a bit")
		_ = c.Close()
	})
	for name, addr := range map[string]string{"not HTTP": garbage, "closed without answer": hangup, "body cut short": short} {
		t.Run(name, func(t *testing.T) {
			r := newHTTPProber(t, "http://"+addr+"/", nil).Probe(probeCtx(t, 5*time.Second))
			expectFailure(t, r, ReasonProtocol)
		})
	}
}

func TestHTTPRedirects(t *testing.T) {
	const hop = 20 * time.Millisecond
	mux := http.NewServeMux()
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(hop)
		http.Redirect(w, r, "/b", http.StatusFound)
	})
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(hop)
		http.Redirect(w, r, "/c", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/c", func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(hop)
		fmt.Fprint(w, "landed")
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()

	t.Run("followed, phases summed", func(t *testing.T) {
		p := newHTTPProber(t, ts.URL+"/a", func(c *configs.HTTPProbe) { c.Expect.BodyContains = "landed" })
		r := p.Probe(probeCtx(t, 5*time.Second))
		expectOK(t, r)
		if r.Status != 200 {
			t.Errorf("Status = %d, want the final 200", r.Status)
		}
		if r.Phases.TTFB < 3*hop {
			t.Errorf("TTFB = %v, want the three hops' %v summed", r.Phases.TTFB, 3*hop)
		}
		checkPhasesWithin(t, r)
	})
	t.Run("not followed", func(t *testing.T) {
		no := false
		p := newHTTPProber(t, ts.URL+"/a", func(c *configs.HTTPProbe) { c.FollowRedirects = &no })
		r := p.Probe(probeCtx(t, 5*time.Second))
		expectFailure(t, r, ReasonStatus, "status 302, expected 2xx")
		if r.Phases.TTFB < hop || r.Phases.TTFB > 3*hop {
			t.Errorf("TTFB = %v, want one hop", r.Phases.TTFB)
		}
		p = newHTTPProber(t, ts.URL+"/a", func(c *configs.HTTPProbe) {
			c.FollowRedirects = &no
			c.Expect.Status = []int{302}
		})
		expectOK(t, p.Probe(probeCtx(t, 5*time.Second)))
	})
	t.Run("loop", func(t *testing.T) {
		r := newHTTPProber(t, ts.URL+"/loop", nil).Probe(probeCtx(t, 5*time.Second))
		expectFailure(t, r, ReasonProtocol, "stopped after 10 redirects")
	})
}

// checkPhasesWithin checks the phases add up to no more than the total.
func checkPhasesWithin(t *testing.T, r Result) {
	t.Helper()
	ph := r.Phases
	if sum := ph.DNS + ph.Connect + ph.TLS + ph.TTFB + ph.Transfer; sum > r.Duration {
		t.Errorf("phases %+v sum to %v, more than Duration %v", *ph, sum, r.Duration)
	}
}

func TestHTTPPhases(t *testing.T) {
	const delay = 50 * time.Millisecond
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(delay)
		w.(http.Flusher).Flush()
		time.Sleep(10 * time.Millisecond)
		fmt.Fprint(w, "done")
	}))
	defer ts.Close()
	p := newHTTPProber(t, ts.URL, nil)
	r := p.Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	ph := r.Phases
	if ph.TTFB < delay || ph.TTFB > delay+40*time.Millisecond {
		t.Errorf("TTFB = %v, want about %v", ph.TTFB, delay)
	}
	if ph.Transfer < 10*time.Millisecond {
		t.Errorf("Transfer = %v, want >= 10ms", ph.Transfer)
	}
	if r.Duration < delay+10*time.Millisecond {
		t.Errorf("Duration = %v, want >= %v", r.Duration, delay+10*time.Millisecond)
	}
	if ph.DNS != 0 {
		t.Errorf("DNS = %v for an IP address", ph.DNS)
	}
	checkPhasesWithin(t, r)
}

func TestHTTPConcurrentProbes(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"ok":true}`)
	}))
	defer ts.Close()
	p := newHTTPProber(t, ts.URL, func(c *configs.HTTPProbe) {
		c.Method = "POST"
		c.Body = "ping"
		c.Expect.JSON = map[string]any{"$.ok": true}
	})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 10 {
				if r := p.Probe(probeCtx(t, 5*time.Second)); !r.OK {
					t.Errorf("probe failed: %s %s", r.Reason, r.Message)
				}
			}
		})
	}
	wg.Wait()
}

// The transport's small read buffer must not limit header size: real
// applications send long cookies and CSP headers.
func TestHTTPLongHeaders(t *testing.T) {
	long := strings.Repeat("x", 16<<10)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Set-Cookie", "session="+long)
		w.Header().Set("Content-Security-Policy", long)
		fmt.Fprint(w, "ok")
	}))
	defer ts.Close()
	r := newHTTPProber(t, ts.URL, func(c *configs.HTTPProbe) {
		c.Headers = map[string]string{"X-Long": long}
		c.Expect.BodyContains = "ok"
	}).Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
}
