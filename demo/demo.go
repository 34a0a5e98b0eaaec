// Package demo owns the built-in demo SaaS application ("Profit") that the
// embedded default configuration probes, so that a newcomer's first run
// shows real results. It has a real login, three key screens with
// realistic long-tailed latencies, and a switch to make it slow or down.
//
// Two faces, one session store:
//
//   - the JSON API: POST /api/login (form user, password; demo/demo)
//     answers a random session token; GET /api/employees/{id},
//     /api/sales-relations/{id} and /api/purchase-relations/{id} take it
//     as "Authorization: Bearer" (or the session cookie) and answer after
//     the screen's latency;
//   - the pages, for browser probes: /login (a form with #user, #password
//     and #login) sets an HttpOnly session cookie and leads to /app, whose
//     links #open-employee, #open-sales-relation and #open-purchase-relation
//     open the screens. A screen page is an empty shell whose script
//     fetches the record from the JSON API and only then renders
//     #employee-properties, #sales-relation-properties or
//     #purchase-relation-properties: a plain GET of the page measures
//     nothing, a browser waiting for that element measures the screen.
//
// Sessions live in memory, expire after SessionTTL and are never
// extended. POST /demo/mode?mode=normal|slow|down switches the behaviour.
//
// It is a target, not part of monitoring: nothing else in vigil imports it
// except cmd/vigil, which starts it when the config enables it.
package demo

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

// Mode is how the demo behaves: normally, slowly (every screen takes
// seconds) or down (every request answers 503).
type Mode string

// The demo's modes.
const (
	ModeNormal Mode = "normal"
	ModeSlow   Mode = "slow"
	ModeDown   Mode = "down"
)

// App is the demo application.
type App struct {
	mode     atomic.Value // Mode
	sessions *sessions
	// sleep waits for d or until the request is gone; tests replace it.
	sleep func(r *http.Request, d time.Duration)
}

// New returns the demo application in normal mode.
func New() *App { return newApp(clock.Real{}) }

func newApp(clk clock.Clock) *App {
	a := &App{sessions: newSessions(clk, SessionTTL, maxSessions), sleep: sleepCtx}
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
	mux.HandleFunc("POST /api/login", a.apiLogin)
	mux.HandleFunc("GET /login", a.loginPage)
	mux.HandleFunc("POST /login", a.loginForm)
	mux.HandleFunc("POST /logout", a.logout)
	mux.HandleFunc("GET /app", a.appPage)
	for _, s := range screens {
		mux.HandleFunc("GET "+s.api+"{id}", a.screenAPI(s))
		mux.HandleFunc("GET "+s.page+"{id}", a.screenPage(s))
	}
	mux.Handle("GET /static/", staticHandler())
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

func (a *App) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "mode": a.Mode()})
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
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
