package browser

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/probe"
)

// Test login and password of the test site.
const (
	siteUser     = "monitor"
	sitePassword = "s3cret-pass"
)

// site is a small application on 127.0.0.1 with a login form, a home page
// whose employee screen is rendered by JavaScript after a fetch, a page
// that never finishes, an error page, and a page that shows what state a
// browser context carried in.
type site struct {
	*httptest.Server
	// delay is how long the employee data takes, server-side.
	delay time.Duration
	// hangs counts requests to /api/hang: a run that got there is busy
	// waiting for a screen that never opens.
	hangs chan struct{}
	// employeeRequests counts the employee data requests.
	employeeRequests atomic.Int64
}

func newSite(t testing.TB, delay time.Duration) *site {
	t.Helper()
	page := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	login, home, never := page("login.html"), page("home.html"), page("never.html")
	state := template.Must(template.New("state").Parse(string(page("state.html"))))

	s := &site{delay: delay, hangs: make(chan struct{}, 16)}
	html := func(w http.ResponseWriter, status int, body []byte) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
	signedIn := func(r *http.Request) bool {
		c, err := r.Cookie("session")
		return err == nil && c.Value == "ok"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, _ *http.Request) { html(w, http.StatusOK, login) })
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
		if r.PostFormValue("user") != siteUser || r.PostFormValue("password") != sitePassword {
			html(w, http.StatusForbidden, []byte("<!doctype html><h1>Wrong password</h1>"))
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "ok", Path: "/", HttpOnly: true})
		http.Redirect(w, r, "/home", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /home", func(w http.ResponseWriter, r *http.Request) {
		if !signedIn(r) {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		html(w, http.StatusOK, home)
	})
	mux.HandleFunc("GET /api/employee", func(w http.ResponseWriter, r *http.Request) {
		if !signedIn(r) {
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		s.employeeRequests.Add(1)
		select {
		case <-time.After(s.delay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"name": "Jansen"}`))
	})
	mux.HandleFunc("GET /never", func(w http.ResponseWriter, _ *http.Request) { html(w, http.StatusOK, never) })
	mux.HandleFunc("GET /api/hang", func(_ http.ResponseWriter, r *http.Request) {
		select {
		case s.hangs <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	})
	mux.HandleFunc("GET /unavailable", func(w http.ResponseWriter, _ *http.Request) {
		html(w, http.StatusServiceUnavailable, []byte("<!doctype html><h1>Down for maintenance</h1>"))
	})
	mux.HandleFunc("GET /state", func(w http.ResponseWriter, r *http.Request) {
		seen := r.Header.Get("Cookie")
		if seen == "" {
			seen = "none"
		}
		http.SetCookie(w, &http.Cookie{Name: "server-cookie", Value: "1", Path: "/", MaxAge: 3600, HttpOnly: true})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = state.Execute(w, seen)
	})
	mux.HandleFunc("GET /framed", func(w http.ResponseWriter, _ *http.Request) {
		html(w, http.StatusOK, []byte(`<!doctype html><h1 id="title">Framed</h1><iframe id="ad" src="/missing"></iframe>`))
	})
	mux.HandleFunc("GET /text", func(w http.ResponseWriter, _ *http.Request) {
		html(w, http.StatusOK, []byte(`<!doctype html><h1 id="title">Loading</h1>
<script>setTimeout(() => { document.getElementById("title").textContent = "Eigenschappen Medewerker"; }, 150);</script>`))
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// loginSteps sign in and open the employee screen; steps 5 and 6 are the
// click that opens it and the wait until it shows (screenSpan).
func (s *site) loginSteps() []configs.BrowserStep {
	return []configs.BrowserStep{
		{Navigate: s.URL + "/login"},
		{Fill: &configs.FillStep{Selector: "#user", Value: siteUser}},
		{Fill: &configs.FillStep{Selector: "#password", Value: sitePassword}},
		{Click: "#login"},
		// The form's answer is a new page: wait for it, so that the
		// measured click does not include loading it.
		{WaitVisible: "#open-employee"},
		{Click: "#open-employee"},
		{WaitVisible: "#employee-properties"},
	}
}

// screenSpan measures the opening of the employee screen in loginSteps.
var screenSpan = &configs.StepSpan{From: 5, To: 6}

// browserCheck is a browser check of the given steps and measured span.
func browserCheck(name string, measure *configs.StepSpan, steps ...configs.BrowserStep) configs.Check {
	return configs.Check{
		Name:    name,
		Timeout: configs.Duration(10 * time.Second),
		Browser: &configs.BrowserProbe{Steps: steps, Measure: measure},
	}
}

// newTestRunner makes a Runner for a test, its browser started, closed at
// its end. Without Chromium the test is skipped, unless it runs in CI,
// where that is a failure.
func newTestRunner(t testing.TB, opts Options) *Runner {
	t.Helper()
	path, err := FindChromium(os.Getenv)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must have Chromium: %v", err)
		}
		t.Skipf("browser tests need Chromium: %v", err)
	}
	opts.ExecPath = path
	r, err := NewRunner(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	// Start the browser now, so that the deadlines of the tests' runs are
	// not spent on it.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := r.browser(ctx); err != nil {
		t.Fatal(err)
	}
	return r
}

// newProber builds the prober of c, with screenshots in dir ("" for none).
func newProber(t testing.TB, r *Runner, c configs.Check, dir string) *prober {
	t.Helper()
	p, err := r.Prober(c, dir)
	if err != nil {
		t.Fatal(err)
	}
	return p.(*prober)
}

// probeWithin runs p once with a deadline of d from now.
func probeWithin(p *prober, d time.Duration) probe.Result {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return p.Probe(ctx)
}
