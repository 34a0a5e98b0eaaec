package probe

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/clock"
)

// fakeApp is an application with a login and a key screen. A login
// answers a token (JSON), a tenant (header) and a session (cookie); the
// screen wants the token as a bearer and the session cookie. Revoking
// ends every session, as a server restart or a session timeout would.
type fakeApp struct {
	loginDelay, screenDelay time.Duration

	mu       sync.Mutex
	logins   int
	sessions map[string]bool // live tokens
	screen   int             // status the screen answers when authorised; 0 is 200
	seen     []http.Header   // the screen requests' headers
}

func newFakeApp(t testing.TB) (*fakeApp, *httptest.Server) {
	t.Helper()
	app := &fakeApp{sessions: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", app.login)
	mux.HandleFunc("GET /api/employees/{id}", app.employee)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return app, ts
}

// pause waits d, or less when the client gives up on the request, so
// that closing the server need not wait for a sleeping handler.
func pause(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

func (a *fakeApp) login(w http.ResponseWriter, r *http.Request) {
	pause(r, a.loginDelay)
	if r.FormValue("user") != "monitor" || r.FormValue("password") != "s3cret" {
		http.Error(w, "bad credentials", http.StatusUnauthorized)
		return
	}
	a.mu.Lock()
	a.logins++
	token := "tok-" + strconv.Itoa(a.logins)
	a.sessions[token] = true
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "SESSION", Value: "s-" + token, Path: "/"})
	w.Header().Set("X-Tenant", "acme")
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"token": %q, "user": {"employee": 42}}`, token)
}

func (a *fakeApp) employee(w http.ResponseWriter, r *http.Request) {
	pause(r, a.screenDelay)
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	cookie, _ := r.Cookie("SESSION")
	a.mu.Lock()
	live := a.sessions[token] && cookie != nil && cookie.Value == "s-"+token
	a.seen = append(a.seen, r.Header.Clone())
	status := a.screen
	a.mu.Unlock()
	switch {
	case !live:
		http.Error(w, "log in first", http.StatusUnauthorized)
	case status != 0:
		http.Error(w, "broken", status)
	default:
		fmt.Fprintf(w, "<h1>Eigenschappen Medewerker %s</h1>", r.PathValue("id"))
	}
}

func (a *fakeApp) revoke() {
	a.mu.Lock()
	defer a.mu.Unlock()
	clear(a.sessions)
}

func (a *fakeApp) setScreenStatus(code int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.screen = code
}

func (a *fakeApp) loginCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.logins
}

// employeeScreen is the example screen against base.
func employeeScreen(base, ttl string) string {
	return `components: [{id: profit}]
checks:
  - name: employee-properties
    component: profit
    objective: {threshold: 2s, target: 95%}
    screen:
      session_ttl: ` + ttl + `
      steps:
        - {name: login, http: {url: "` + base + `/api/login", method: POST, form: {user: "${VIGIL_TEST_PROBE_USER}", password: "${VIGIL_TEST_PROBE_PASSWORD}"}}, extract: {token: {json: "$.token"}}}
        - {name: open, http: {url: "` + base + `/api/employees/42", headers: {Authorization: "Bearer {{.token}}"}, expect: {status: [200], body_contains: "Eigenschappen Medewerker"}}}
      measure: [open]
`
}

// newScreenProber loads yml through configs (defaults and validation
// included) and builds the first check's screen prober on clk.
func newScreenProber(t testing.TB, yml string, clk clock.Clock) *screenProber {
	t.Helper()
	t.Setenv("VIGIL_TEST_PROBE_USER", "monitor")
	t.Setenv("VIGIL_TEST_PROBE_PASSWORD", "s3cret")
	cfg, err := configs.Parse("screen.yml", []byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	p, err := newScreen(cfg.Checks[0].Screen, nil, clk)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// stepNames lists a Result's steps as name:status, with a * for the
// measured ones.
func stepNames(r Result) string {
	var parts []string
	for _, s := range r.Steps {
		p := s.Name + ":" + strconv.Itoa(s.Status)
		if s.Measured {
			p += "*"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// measuredSpan sums the measured steps' times.
func measuredSpan(r Result) time.Duration {
	var d time.Duration
	for _, s := range r.Steps {
		if s.Measured {
			d += s.Duration
		}
	}
	return d
}

func newTestClock() *clock.Fake { return clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) }

func TestScreenLogsInAndOpens(t *testing.T) {
	app, ts := newFakeApp(t)
	p := newScreenProber(t, employeeScreen(ts.URL, "0s"), newTestClock())
	r := p.Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	if got := stepNames(r); got != "login:200 open:200*" {
		t.Errorf("steps %s", got)
	}
	if r.Status != 200 || r.Phases == nil {
		t.Errorf("status %d, phases %v", r.Status, r.Phases)
	}
	if r.Duration != measuredSpan(r) || r.Duration != r.Steps[1].Duration {
		t.Errorf("duration %v, want the open step's %v", r.Duration, r.Steps[1].Duration)
	}
	if !r.Steps[0].OK || !r.Steps[1].OK || r.Steps[0].Measured {
		t.Errorf("steps %+v", r.Steps)
	}
	checkPhasesWithin(t, r)
	if h := app.seen[0]; h.Get("Authorization") != "Bearer tok-1" || h.Get("User-Agent") != UserAgent {
		t.Errorf("screen request headers %v", h)
	}
}

func TestScreenExtractions(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /start", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Request-Id", "req 7")
		http.SetCookie(w, &http.Cookie{Name: "SESSION", Value: "direct", Path: "/"})
		fmt.Fprint(w, `{"token": "t/1", "n": 12345678901234567890, "ok": true, "user": {"roles": ["a", "b"]}, "gone": null} csrf="c-9"`)
	})
	mux.HandleFunc("GET /json", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"token": "t/1", "n": 12345678901234567890, "ok": true, "user": {"roles": ["a", "b"]}, "gone": null}`)
	})
	mux.HandleFunc("GET /redirect", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "SESSION", Value: "via-redirect", Path: "/"})
		http.Redirect(w, r, "/landed", http.StatusFound)
	})
	mux.HandleFunc("GET /landed", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "landed") })
	got := make(chan string, 1)
	mux.HandleFunc("GET /echo/{v}", func(w http.ResponseWriter, r *http.Request) {
		got <- r.PathValue("v") + "|" + r.URL.Query().Get("q") + "|" + r.Header.Get("X-Value")
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()

	for _, tc := range []struct {
		name, path, extract string
		want                string // the value as the next step receives it
	}{
		{"json string", "/json", `{json: "$.token"}`, "t/1"},
		{"json number exactly", "/json", `{json: "$.n"}`, "12345678901234567890"},
		{"json bool", "/json", `{json: "$.ok"}`, "true"},
		{"json array as JSON", "/json", `{json: "$.user.roles"}`, `["a","b"]`},
		{"regex group", "/start", `{regex: 'csrf="([^"]+)"'}`, "c-9"},
		{"regex whole match", "/start", `{regex: 'c-\d'}`, "c-9"},
		{"header", "/start", `{header: X-Request-Id}`, "req 7"},
		{"cookie", "/start", `{cookie: SESSION}`, "direct"},
		{"cookie set on a redirect", "/redirect", `{cookie: SESSION}`, "via-redirect"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yml := `components: [{id: web}]
checks:
  - name: x
    component: web
    screen:
      steps:
        - {name: first, http: {url: "` + ts.URL + tc.path + `"}, extract: {v: ` + tc.extract + `}}
        - name: echo
          http:
            url: "` + ts.URL + `/echo/{{pathescape .v}}?q={{urlquery .v}}"
            headers: {X-Value: "{{.v}}"}
`
			r := newScreenProber(t, yml, newTestClock()).Probe(probeCtx(t, 5*time.Second))
			expectOK(t, r)
			want := tc.want + "|" + tc.want + "|" + tc.want
			if v := <-got; v != want {
				t.Errorf("echo got %q, want %q", v, want)
			}
		})
	}

	for _, tc := range []struct{ name, path, extract, want string }{
		{"json missing", "/json", `{json: "$.nope"}`, "step first: extract v: json $.nope is missing"},
		{"json null", "/json", `{json: "$.gone"}`, "step first: extract v: json $.gone is null"},
		{"not JSON", "/landed", `{json: "$.token"}`, "step first: extract v: body is not JSON"},
		{"regex no match", "/json", `{regex: 'csrf="(\w+)"'}`, `step first: extract v: body does not match "csrf=\"(\\w+)\""`},
		{"header missing", "/json", `{header: X-Nope}`, "step first: extract v: no header X-Nope in the response"},
		{"cookie missing", "/json", `{cookie: SESSION}`, "step first: extract v: cookie SESSION is not set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yml := `components: [{id: web}]
checks:
  - name: x
    component: web
    screen:
      steps:
        - {name: first, http: {url: "` + ts.URL + tc.path + `"}, extract: {v: ` + tc.extract + `}}
        - {name: echo, http: {url: "` + ts.URL + `/echo/{{.v}}"}}
`
			r := newScreenProber(t, yml, newTestClock()).Probe(probeCtx(t, 5*time.Second))
			expectFailure(t, r, ReasonAssertion, tc.want)
			if len(r.Steps) != 1 || r.Steps[0].OK {
				t.Errorf("steps %+v: the screen must stop at the failed extraction", r.Steps)
			}
		})
	}
}

func TestScreenSharesCookieJarAcrossSteps(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /a", func(w http.ResponseWriter, _ *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "A", Value: "1", Path: "/"})
	})
	mux.HandleFunc("GET /b", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("A"); err != nil || c.Value != "1" {
			http.Error(w, "no cookie A", http.StatusForbidden)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "B", Value: "2", Path: "/"})
	})
	mux.HandleFunc("GET /c", func(w http.ResponseWriter, r *http.Request) {
		a, errA := r.Cookie("A")
		b, errB := r.Cookie("B")
		if errA != nil || errB != nil || a.Value != "1" || b.Value != "2" {
			http.Error(w, "cookies missing", http.StatusForbidden)
		}
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	yml := `components: [{id: web}]
checks:
  - name: x
    component: web
    screen:
      steps:
        - {name: a, http: {url: "` + ts.URL + `/a"}}
        - {name: b, http: {url: "` + ts.URL + `/b"}}
        - {name: c, http: {url: "` + ts.URL + `/c"}}
`
	r := newScreenProber(t, yml, newTestClock()).Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	if got := stepNames(r); got != "a:200 b:200 c:200*" {
		t.Errorf("steps %s", got)
	}
}

func TestScreenReusesSessionWithinTTL(t *testing.T) {
	app, ts := newFakeApp(t)
	clk := newTestClock()
	p := newScreenProber(t, employeeScreen(ts.URL, "15m"), clk)
	for i := range 3 {
		r := p.Probe(probeCtx(t, 5*time.Second))
		expectOK(t, r)
		want := "open:200*"
		if i == 0 {
			want = "login:200 open:200*"
		}
		if got := stepNames(r); got != want {
			t.Errorf("run %d: steps %s, want %s", i, got, want)
		}
		clk.Advance(5 * time.Minute) // 0, 5 and 10 minutes after the login
	}
	if n := app.loginCount(); n != 1 {
		t.Fatalf("%d logins within the TTL, want 1", n)
	}
	// Now 15 minutes after the login: the session has expired.
	r := p.Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	if got := stepNames(r); got != "login:200 open:200*" {
		t.Errorf("after expiry: steps %s", got)
	}
	if n := app.loginCount(); n != 2 {
		t.Errorf("%d logins, want 2 after the TTL", n)
	}
}

func TestScreenWithoutTTLLogsInEveryRun(t *testing.T) {
	app, ts := newFakeApp(t)
	p := newScreenProber(t, employeeScreen(ts.URL, "0s"), newTestClock())
	for range 3 {
		expectOK(t, p.Probe(probeCtx(t, 5*time.Second)))
	}
	if n := app.loginCount(); n != 3 {
		t.Errorf("%d logins in 3 runs, want 3", n)
	}
}

func TestScreenLogsInAgainAfter401(t *testing.T) {
	app, ts := newFakeApp(t)
	p := newScreenProber(t, employeeScreen(ts.URL, "15m"), newTestClock())
	expectOK(t, p.Probe(probeCtx(t, 5*time.Second)))
	app.revoke() // the server ends the session before the TTL does

	r := p.Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	if got := stepNames(r); got != "open:401 login:200 open:200*" {
		t.Fatalf("steps %s", got)
	}
	if first := r.Steps[0]; first.OK || first.Measured || !strings.Contains(first.Message, "logged in again") {
		t.Errorf("the 401 step = %+v, want it failed, not measured, and saying why", first)
	}
	if r.Duration != r.Steps[2].Duration {
		t.Errorf("duration %v, want only the second open's %v", r.Duration, r.Steps[2].Duration)
	}
	if n := app.loginCount(); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
	// The new session is kept: the next run logs in no more.
	expectOK(t, p.Probe(probeCtx(t, 5*time.Second)))
	if n := app.loginCount(); n != 2 {
		t.Errorf("%d logins after the re-login, want the new session reused", n)
	}
}

func TestScreenSecond401Fails(t *testing.T) {
	app, ts := newFakeApp(t)
	p := newScreenProber(t, employeeScreen(ts.URL, "15m"), newTestClock())
	app.setScreenStatus(http.StatusUnauthorized) // the screen refuses every session

	// A 401 right after a fresh login is not a session that ended.
	r := p.Probe(probeCtx(t, 5*time.Second))
	expectFailure(t, r, ReasonStatus, "step open: status 401, expected one of [200]")
	if got := stepNames(r); got != "login:200 open:401*" {
		t.Errorf("fresh login: steps %s", got)
	}
	// On the reused session: one new login, one more try, then failure.
	r = p.Probe(probeCtx(t, 5*time.Second))
	expectFailure(t, r, ReasonStatus, "step open: status 401, expected one of [200]")
	if got := stepNames(r); got != "open:401 login:200 open:401*" {
		t.Errorf("reused session: steps %s", got)
	}
	if n := app.loginCount(); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
}

func TestScreenMeasuresOnlyTheScreen(t *testing.T) {
	app, ts := newFakeApp(t)
	app.loginDelay, app.screenDelay = 300*time.Millisecond, 50*time.Millisecond
	p := newScreenProber(t, employeeScreen(ts.URL, "0s"), newTestClock())
	r := p.Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	// Loose bounds that a loaded machine cannot break: the login's 300 ms
	// must not be in it, the screen's 50 ms must.
	if r.Duration < 50*time.Millisecond || r.Duration >= 250*time.Millisecond {
		t.Errorf("duration %v, want the screen's ~50ms without the login's 300ms", r.Duration)
	}
	if r.Steps[0].Duration < 300*time.Millisecond {
		t.Errorf("login step took %v, want at least its 300ms delay", r.Steps[0].Duration)
	}
}

func TestScreenSumsMeasuredStepsAndRunsTheRest(t *testing.T) {
	hits := map[string]int{}
	var mu sync.Mutex
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
	}))
	defer ts.Close()
	yml := `components: [{id: web}]
checks:
  - name: x
    component: web
    screen:
      steps:
        - {name: login, http: {url: "` + ts.URL + `/login"}}
        - {name: open, http: {url: "` + ts.URL + `/open"}}
        - {name: between, http: {url: "` + ts.URL + `/between"}}
        - {name: tab, http: {url: "` + ts.URL + `/tab"}}
        - {name: logout, http: {url: "` + ts.URL + `/logout"}}
      measure: [tab, open]
`
	r := newScreenProber(t, yml, newTestClock()).Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	if got := stepNames(r); got != "login:200 open:200* between:200 tab:200* logout:200" {
		t.Errorf("steps %s", got)
	}
	if want := r.Steps[1].Duration + r.Steps[3].Duration; r.Duration != want {
		t.Errorf("duration %v, want open + tab = %v", r.Duration, want)
	}
	if len(hits) != 5 {
		t.Errorf("requests %v, want every step once", hits)
	}
}

func TestScreenFailures(t *testing.T) {
	app, ts := newFakeApp(t)
	t.Run("status", func(t *testing.T) {
		app.setScreenStatus(http.StatusServiceUnavailable)
		defer app.setScreenStatus(0)
		r := newScreenProber(t, employeeScreen(ts.URL, "0s"), newTestClock()).Probe(probeCtx(t, 5*time.Second))
		expectFailure(t, r, ReasonStatus, "step open: status 503, expected one of [200]")
		if r.Status != 503 || r.Duration != r.Steps[1].Duration {
			t.Errorf("status %d, duration %v; want the failed measured step's", r.Status, r.Duration)
		}
	})
	t.Run("assertion", func(t *testing.T) {
		yml := strings.Replace(employeeScreen(ts.URL, "0s"), "Eigenschappen Medewerker", "Verlof", 1)
		r := newScreenProber(t, yml, newTestClock()).Probe(probeCtx(t, 5*time.Second))
		expectFailure(t, r, ReasonAssertion, `step open: body does not contain "Verlof"`)
	})
	t.Run("bad credentials", func(t *testing.T) {
		yml := strings.Replace(employeeScreen(ts.URL, "0s"), "${VIGIL_TEST_PROBE_PASSWORD}", "wrong", 1)
		r := newScreenProber(t, yml, newTestClock()).Probe(probeCtx(t, 5*time.Second))
		expectFailure(t, r, ReasonStatus, "step login: status 401, expected 2xx")
		if got := stepNames(r); got != "login:401" || r.Duration != 0 {
			t.Errorf("steps %s, duration %v: a failed login opens nothing", got, r.Duration)
		}
	})
	t.Run("connect", func(t *testing.T) {
		r := newScreenProber(t, employeeScreen("http://"+closedAddr(t), "0s"), newTestClock()).Probe(probeCtx(t, 5*time.Second))
		expectFailure(t, r, ReasonConnect, "step login: dial tcp")
		if strings.Contains(r.Message, "/api/login") {
			t.Errorf("message %q names the URL, which may carry extracted tokens", r.Message)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		slow, slowTS := newFakeApp(t)
		slow.screenDelay = 2 * time.Second
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		r := newScreenProber(t, employeeScreen(slowTS.URL, "0s"), newTestClock()).Probe(ctx)
		expectFailure(t, r, ReasonTimeout, "step open: deadline exceeded after", "during ttfb")
		if got := stepNames(r); got != "login:200 open:0*" {
			t.Errorf("steps %s", got)
		}
	})
}

func TestScreenConcurrentProbes(t *testing.T) {
	app, ts := newFakeApp(t)
	p := newScreenProber(t, employeeScreen(ts.URL, "15m"), newTestClock())
	batch := func() {
		t.Helper()
		var wg sync.WaitGroup
		results := make([]Result, 16)
		for i := range results {
			wg.Go(func() { results[i] = p.Probe(probeCtx(t, 10*time.Second)) })
		}
		wg.Wait()
		for i, r := range results {
			if !r.OK {
				t.Errorf("run %d: %s %s", i, r.Reason, r.Message)
			}
		}
	}
	batch()
	app.revoke() // every run of the next batch finds its session ended
	batch()
	if n := app.loginCount(); n < 2 || n > 32 {
		t.Errorf("%d logins for two batches of 16", n)
	}
}

func TestScreenStepUsesValuesAsTemplates(t *testing.T) {
	type request struct{ path, query, contentType, form string }
	got := make(chan request, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /start", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"id": "a b/c", "q": "x&y"}`)
	})
	mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		got <- request{r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("Content-Type"), r.PostFormValue("id")}
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	yml := `components: [{id: web}]
checks:
  - name: x
    component: web
    screen:
      steps:
        - {name: start, http: {url: "` + ts.URL + `/start"}, extract: {id: {json: "$.id"}, q: {json: "$.q"}}}
        - name: post
          http:
            url: "` + ts.URL + `/e/{{pathescape .id}}?q={{urlquery .q}}"
            method: POST
            form: {id: "{{.id}}"}
`
	r := newScreenProber(t, yml, newTestClock()).Probe(probeCtx(t, 5*time.Second))
	expectOK(t, r)
	want := request{"/e/a%20b%2Fc", "q=x%26y", "application/x-www-form-urlencoded", "a b/c"}
	if g := <-got; g != want {
		t.Errorf("request = %+v, want %+v", g, want)
	}
}

func TestNewScreenRejectsWhatCannotRun(t *testing.T) {
	step := func(name, url string) configs.ScreenStep {
		return configs.ScreenStep{Name: name, HTTP: &configs.HTTPProbe{URL: url, Method: "GET"}}
	}
	for _, tc := range []struct {
		name string
		c    configs.ScreenProbe
		want string
	}{
		{"no steps", configs.ScreenProbe{}, "no steps"},
		{"unknown measure", configs.ScreenProbe{Steps: []configs.ScreenStep{step("a", "http://127.0.0.1/")}, Measure: []string{"b"}}, `measure names step "b"`},
		{"no http", configs.ScreenProbe{Steps: []configs.ScreenStep{{Name: "a"}}}, `step "a": no http`},
		{"bad template", configs.ScreenProbe{Steps: []configs.ScreenStep{step("a", "http://127.0.0.1/{{.x")}}, `step "a": template: url`},
		{"bad extract", configs.ScreenProbe{Steps: []configs.ScreenStep{{Name: "a", HTTP: &configs.HTTPProbe{URL: "http://127.0.0.1/"},
			Extract: map[string]configs.Extract{"v": {JSON: "v"}}}}}, `step "a": extract v: json path "v"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newScreen(&tc.c, nil, newTestClock())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := New(configs.Check{Name: "s", Screen: &configs.ScreenProbe{Steps: []configs.ScreenStep{step("a", "http://127.0.0.1:1/")}}}); err != nil {
		t.Errorf("New(screen): %v", err)
	}
}
