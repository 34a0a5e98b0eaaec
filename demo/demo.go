// Package demo owns the built-in demo SaaS application that the embedded
// default configuration probes, so that a newcomer's first run shows real
// results: a login, three key screens with realistic long-tailed latencies,
// and a switch to make the application slow or down.
//
// It is a target, not part of monitoring: nothing else in vigil imports it
// except cmd/vigil, which starts it when the config enables it.
package demo

import (
	"crypto/subtle"
	"encoding/json"
	"html/template"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Token is the bearer token the demo's login hands out and its screens accept.
const Token = "demo-token"

// Mode is how the demo behaves: normally, slowly (every screen takes
// seconds) or down (every request answers 503).
type Mode string

// The demo's modes.
const (
	ModeNormal Mode = "normal"
	ModeSlow   Mode = "slow"
	ModeDown   Mode = "down"
)

// screen is one key screen: its title and its latency distribution, a
// log-normal with the given median whose spread puts a few percent of
// openings above 2 s, as real screens behave.
type screen struct {
	path   string
	title  string
	median time.Duration
	sigma  float64
}

var screens = []screen{
	{"/api/employees/", "Eigenschappen Medewerker", 400 * time.Millisecond, 0.85},
	{"/api/sales-relations/", "Eigenschappen Verkooprelatie", 550 * time.Millisecond, 0.7},
	{"/api/purchase-relations/", "Eigenschappen Inkooprelatie", 350 * time.Millisecond, 0.8},
}

// App is the demo application.
type App struct {
	mode atomic.Value // Mode
	// sleep waits for d or until the request is gone; tests replace it.
	sleep func(r *http.Request, d time.Duration)
}

// New returns the demo application in normal mode.
func New() *App {
	a := &App{sleep: sleepCtx}
	a.mode.Store(ModeNormal)
	return a
}

// SetMode switches the demo between normal, slow and down.
func (a *App) SetMode(m Mode) { a.mode.Store(m) }

// Mode returns the current mode.
func (a *App) Mode() Mode { return a.mode.Load().(Mode) }

// Handler serves the demo's pages and API.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /healthz", a.health)
	mux.HandleFunc("POST /api/login", a.login)
	for _, s := range screens {
		mux.HandleFunc("GET "+s.path+"{id}", a.screen(s))
	}
	mux.HandleFunc("POST /demo/mode", a.setMode)
	return a.downGuard(mux)
}

func (a *App) downGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.Mode() == ModeDown && r.URL.Path != "/demo/mode" {
			http.Error(w, "service unavailable (demo switched down)", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Profit — vigil demo</title></head>
<body><h1>Profit</h1>
<p>A small stand-in for a SaaS application, probed by vigil's default configuration.</p>
<p>Mode: <strong>{{.}}</strong>. Switch with <code>curl -X POST 'http://HOST/demo/mode?mode=slow'</code> (normal, slow, down).</p>
</body></html>`))

func (a *App) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = homePage.Execute(w, a.Mode())
}

func (a *App) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "mode": a.Mode()})
}

func (a *App) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "send user and password as a form"})
		return
	}
	user := r.PostForm.Get("user")
	pass := r.PostForm.Get("password")
	if subtle.ConstantTimeCompare([]byte(user), []byte("demo"))&subtle.ConstantTimeCompare([]byte(pass), []byte("demo")) != 1 {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "wrong user or password (the demo's are demo/demo)"})
		return
	}
	a.sleep(r, 80*time.Millisecond)
	writeJSON(w, http.StatusOK, map[string]string{"token": Token})
}

func (a *App) screen(s screen) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(auth), []byte(Token)) != 1 {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "log in first: POST /api/login"})
			return
		}
		a.sleep(r, a.latency(s))
		writeJSON(w, http.StatusOK, map[string]any{"screen": s.title, "id": r.PathValue("id")})
	}
}

// latency draws one opening time for the screen.
func (a *App) latency(s screen) time.Duration {
	d := time.Duration(float64(s.median) * math.Exp(s.sigma*rand.NormFloat64()))
	if a.Mode() == ModeSlow {
		d += 3 * time.Second
	}
	return min(d, 30*time.Second)
}

func (a *App) setMode(w http.ResponseWriter, r *http.Request) {
	m := Mode(r.URL.Query().Get("mode"))
	switch m {
	case ModeNormal, ModeSlow, ModeDown:
		a.SetMode(m)
		writeJSON(w, http.StatusOK, map[string]any{"mode": m})
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "mode must be normal, slow or down"})
	}
}

func sleepCtx(r *http.Request, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
