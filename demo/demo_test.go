package demo

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

var demoT0 = time.Date(2026, 10, 6, 9, 0, 0, 0, time.UTC)

// newTestApp serves the demo on loopback with a fake clock and no
// latency.
func newTestApp(t *testing.T) (*App, *httptest.Server, *clock.Fake) {
	t.Helper()
	f := clock.NewFake(demoT0)
	a := newApp(f)
	a.sleep = func(*http.Request, time.Duration) {}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return a, srv, f
}

// browser is a client with a cookie jar that does not follow redirects,
// so tests see them.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// do sends a request and returns the response with its body read.
func do(t *testing.T, c *http.Client, method, u, bearer string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

var demoLogin = url.Values{"user": {"demo"}, "password": {"demo"}}

// apiLogin logs in through the JSON API and returns the token.
func apiLogin(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	resp, body := do(t, http.DefaultClient, "POST", srv.URL+"/api/login", "", demoLogin)
	var got struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != http.StatusOK || got.Token == "" {
		t.Fatalf("login: %d %s (%v)", resp.StatusCode, body, err)
	}
	return got.Token
}

func TestAPILogin(t *testing.T) {
	a, srv, _ := newTestApp(t)
	for _, form := range []url.Values{
		{"user": {"demo"}, "password": {"wrong"}},
		{"user": {"admin"}, "password": {"demo"}},
		{"user": {"demo"}},
	} {
		resp, body := do(t, http.DefaultClient, "POST", srv.URL+"/api/login", "", form)
		if resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, "token\"") {
			t.Errorf("login %v: %d %s, want 401 without a token", form, resp.StatusCode, body)
		}
	}
	if n := a.sessions.live(); n != 0 {
		t.Fatalf("failed logins opened %d sessions", n)
	}

	resp, body := do(t, http.DefaultClient, "POST", srv.URL+"/api/login", "", demoLogin)
	var got struct {
		Token     string `json:"token"`
		ExpiresAt string `json:"expires_at"`
		ExpiresIn int    `json:"expires_in"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %d %s (%v)", resp.StatusCode, body, err)
	}
	if len(got.Token) < 26 || got.ExpiresAt != "2026-10-06T09:30:00Z" || got.ExpiresIn != 1800 {
		t.Errorf("login answer %+v, want a random token valid 30 minutes", got)
	}
	if other := apiLogin(t, srv); other == got.Token {
		t.Errorf("two logins got the same token")
	}
}

func TestScreenAPI(t *testing.T) {
	_, srv, _ := newTestApp(t)
	token := apiLogin(t, srv)
	for _, s := range screens {
		u := srv.URL + s.api + s.example
		for _, bad := range []string{"", "wrong-token", token[:len(token)-1]} {
			resp, body := do(t, http.DefaultClient, "GET", u, bad, nil)
			if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" || !strings.Contains(body, "log in first") {
				t.Errorf("%s with token %q: %d %s", s.api, bad, resp.StatusCode, body)
			}
		}
		resp, body := do(t, http.DefaultClient, "GET", u, token, nil)
		var rec record
		if err := json.Unmarshal([]byte(body), &rec); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s (%v)", s.api, resp.StatusCode, body, err)
		}
		if rec.Screen != s.title || rec.ID != s.example || len(rec.Properties) == 0 || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: %+v", s.api, rec)
		}
		for _, id := range []string{"0", "042", "-1", "abc", "1234567890"} {
			if resp, _ := do(t, http.DefaultClient, "GET", srv.URL+s.api+id, token, nil); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s%s: %d, want 404", s.api, id, resp.StatusCode)
			}
		}
	}
	// The same id is the same record.
	_, first := do(t, http.DefaultClient, "GET", srv.URL+"/api/employees/42", token, nil)
	_, again := do(t, http.DefaultClient, "GET", srv.URL+"/api/employees/42", token, nil)
	if first != again {
		t.Errorf("record 42 changed: %s then %s", first, again)
	}
}

func TestSessionExpiry(t *testing.T) {
	a, srv, f := newTestApp(t)
	token := apiLogin(t, srv)
	f.Advance(SessionTTL - time.Second)
	if resp, _ := do(t, http.DefaultClient, "GET", srv.URL+"/api/employees/42", token, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("a second before expiry: %d", resp.StatusCode)
	}
	f.Advance(time.Second)
	if resp, _ := do(t, http.DefaultClient, "GET", srv.URL+"/api/employees/42", token, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("at expiry: %d, want 401", resp.StatusCode)
	}
	if n := a.sessions.live(); n != 0 {
		t.Errorf("%d sessions kept after expiry", n)
	}
	// A new login works again.
	if resp, _ := do(t, http.DefaultClient, "GET", srv.URL+"/api/employees/42", apiLogin(t, srv), nil); resp.StatusCode != http.StatusOK {
		t.Errorf("after a new login: %d", resp.StatusCode)
	}
}

func TestSessionStoreBounded(t *testing.T) {
	f := clock.NewFake(demoT0)
	s := newSessions(f, time.Hour, 3)
	first, _ := s.start()
	var rest []string
	for range 3 {
		f.Advance(time.Minute)
		tok, _ := s.start()
		rest = append(rest, tok)
	}
	if s.live() != 3 || s.valid(first) {
		t.Errorf("a full store kept %d sessions, the oldest valid: %t", s.live(), s.valid(first))
	}
	for _, tok := range rest {
		if !s.valid(tok) {
			t.Errorf("a newer session was evicted")
		}
	}
	// Logins sweep the expired ones.
	f.Advance(2 * time.Hour)
	s.start()
	if s.live() != 1 {
		t.Errorf("%d sessions after the others expired, want 1", s.live())
	}
	if s.valid("") {
		t.Errorf("the empty token is valid")
	}
}

func TestModes(t *testing.T) {
	a, srv, _ := newTestApp(t)
	token := apiLogin(t, srv)
	resp, _ := do(t, http.DefaultClient, "POST", srv.URL+"/demo/mode?mode=down", "", nil)
	if resp.StatusCode != http.StatusOK || a.Mode() != ModeDown {
		t.Fatalf("switch down: %d, mode %s", resp.StatusCode, a.Mode())
	}
	for _, path := range []string{"/healthz", "/", "/login", "/static/screen.js", "/api/employees/42"} {
		if resp, _ := do(t, http.DefaultClient, "GET", srv.URL+path, token, nil); resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("down demo: %s answered %d", path, resp.StatusCode)
		}
	}
	if resp, _ := do(t, http.DefaultClient, "POST", srv.URL+"/demo/mode?mode=bogus", "", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bogus mode answered %d", resp.StatusCode)
	}
	if resp, _ := do(t, http.DefaultClient, "POST", srv.URL+"/demo/mode?mode=normal", "", nil); resp.StatusCode != http.StatusOK || a.Mode() != ModeNormal {
		t.Errorf("switch back: %d, mode %s", resp.StatusCode, a.Mode())
	}
	if resp, _ := do(t, http.DefaultClient, "GET", srv.URL+"/api/employees/42", token, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("normal again: %d", resp.StatusCode)
	}
	a.SetMode(ModeSlow)
	for _, s := range screens {
		if d := a.latency(s); d < slowExtra {
			t.Errorf("slow mode: %s took %v", s.title, d)
		}
	}
}

// The screens' latencies are long-tailed: most open well within 2 s, a
// few percent do not.
func TestLatencyDistribution(t *testing.T) {
	a := New()
	const n = 20_000
	for _, s := range screens {
		over := 0
		for range n {
			d := a.latency(s)
			if d <= 0 || d > maxLatency {
				t.Fatalf("%s: latency %v out of range", s.title, d)
			}
			if d > 2*time.Second {
				over++
			}
		}
		if share := float64(over) / n; share < 0.005 || share > 0.06 {
			t.Errorf("%s: %.2f%% above 2 s, want a few percent", s.title, 100*share)
		}
	}
}
