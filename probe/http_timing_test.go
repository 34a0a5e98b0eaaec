package probe

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/configs"
)

// The time the target takes is all in the duration, however the answer
// arrives: these are the cases where arrival stamps could lose some.

// Over TLS behind a slow link, the server's time is in ttfb. (The
// records a server may send after the handshake, session tickets, are not
// taken for the answer either: see TestTraceTakesArrivalStamps.)
func TestHTTPTimingTLSOverSlowLink(t *testing.T) {
	const serverTime = 60 * time.Millisecond
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(serverTime)
		fmt.Fprint(w, "ok")
	}))
	ts.TLS = &tls.Config{ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS13}
	ts.StartTLS()
	defer ts.Close()
	addr := delayingProxy(t, ts.Listener.Addr().String(), 15*time.Millisecond)
	p := newHTTPProber(t, "https://"+addr+"/", func(c *configs.HTTPProbe) {
		c.TLS = configs.TLSClient{InsecureSkipVerify: true}
	})
	r := p.Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	if r.Phases.TTFB < serverTime || r.Phases.Transfer > serverTime/2 {
		t.Errorf("ttfb %v, transfer %v: want the server's %v in ttfb", r.Phases.TTFB, r.Phases.Transfer, serverTime)
	}
	checkPhasesWithin(t, r)
}

// An upload the server is slow to take counts: ttfb starts when the
// request starts out.
func TestHTTPTimingSlowUpload(t *testing.T) {
	const stall = 300 * time.Millisecond
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(stall) // the body waits in the socket buffers meanwhile
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer ts.Close()
	p := newHTTPProber(t, ts.URL, func(c *configs.HTTPProbe) {
		c.Method, c.Body = http.MethodPost, strings.Repeat("x", 32<<20) // more than the buffers hold
	})
	r := p.Probe(probeCtx(t, 10*time.Second))
	expectOK(t, r)
	if r.Duration < stall {
		t.Errorf("duration %v (phases %+v), want at least the %v the upload waited", r.Duration, *r.Phases, stall)
	}
}

// A body that ends when the server closes the connection ends there, not
// at its last data.
func TestHTTPTimingBodyEndsAtClose(t *testing.T) {
	const linger = 200 * time.Millisecond
	addr := serveTCP(t, func(c net.Conn) {
		defer c.Close()
		_, _ = c.Read(make([]byte, 4096))
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello")
		time.Sleep(linger)
	})
	p := newHTTPProber(t, "http://"+addr+"/", nil)
	r := p.Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	if r.Duration < linger {
		t.Errorf("duration %v (phases %+v), want at least the %v until the close", r.Duration, *r.Phases, linger)
	}
}

// delayingProxy forwards TCP to target, holding what the target sends for
// d before passing it on.
func delayingProxy(t *testing.T, target string, d time.Duration) string {
	t.Helper()
	return serveTCP(t, func(c net.Conn) {
		defer c.Close()
		up, err := net.Dial("tcp", target)
		if err != nil {
			return
		}
		defer up.Close()
		go func() { _, _ = io.Copy(up, c) }()
		buf := make([]byte, 64<<10)
		for {
			n, err := up.Read(buf)
			if n > 0 {
				time.Sleep(d)
				if _, werr := c.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	})
}
