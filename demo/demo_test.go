package demo

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func newTestApp(t *testing.T) (*App, *httptest.Server) {
	t.Helper()
	a := New()
	a.sleep = func(*http.Request, time.Duration) {}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return a, srv
}

func TestLoginAndScreens(t *testing.T) {
	_, srv := newTestApp(t)
	resp, err := http.PostForm(srv.URL+"/api/login", url.Values{"user": {"demo"}, "password": {"wrong"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("bad login answered %d, want 401", resp.StatusCode)
	}
	resp, err = http.PostForm(srv.URL+"/api/login", url.Values{"user": {"demo"}, "password": {"demo"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login answered %d", resp.StatusCode)
	}
	for _, s := range screens {
		req, _ := http.NewRequest("GET", srv.URL+s.path+"42", nil)
		if r, _ := http.DefaultClient.Do(req); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%s without token answered %d", s.path, r.StatusCode)
		}
		req.Header.Set("Authorization", "Bearer "+Token)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := new(strings.Builder)
		_, _ = io.Copy(body, r.Body)
		r.Body.Close()
		if r.StatusCode != 200 || !strings.Contains(body.String(), s.title) {
			t.Fatalf("%s answered %d %q", s.path, r.StatusCode, body)
		}
	}
}

func TestModes(t *testing.T) {
	a, srv := newTestApp(t)
	resp, _ := http.Post(srv.URL+"/demo/mode?mode=down", "", nil)
	resp.Body.Close()
	if a.Mode() != ModeDown {
		t.Fatalf("mode %s", a.Mode())
	}
	resp, _ = http.Get(srv.URL + "/healthz")
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("down demo answered %d", resp.StatusCode)
	}
	resp, _ = http.Post(srv.URL+"/demo/mode?mode=bogus", "", nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bogus mode answered %d", resp.StatusCode)
	}
	a.SetMode(ModeSlow)
	if d := a.latency(screens[0]); d < 3*time.Second {
		t.Fatalf("slow mode latency %v", d)
	}
}

func TestLatencyIsLongTailed(t *testing.T) {
	a := New()
	for _, s := range screens {
		const n = 100_000
		over := 0
		for i := 0; i < n; i++ {
			if a.latency(s) > 2*time.Second {
				over++
			}
		}
		// "A few percent above 2 s": enough to make the 95% objective
		// meaningful, not so many that the demo always misses it.
		if pct := float64(over) / n * 100; pct < 0.5 || pct > 6 {
			t.Errorf("%s: %.2f%% of openings above 2 s", s.title, pct)
		}
	}
}
