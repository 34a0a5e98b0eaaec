// Package api owns vigil's HTTP API for engineers and tools: /healthz,
// /metrics, and /api/v1 (checks, their latest and raw results and their
// latency view; heartbeat pings behind their own tokens; remote agents'
// result batches behind theirs (ingest.go); the maintenance
// schedule, incidents and SMS subscribers behind the admin token; monthly
// SLA reports behind the report token). The public status page lives in
// statuspage; this package serves the operator's view.
package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/vigilmon/vigil/probe"
)

// CheckInfo describes a configured check.
type CheckInfo struct {
	Name      string        `json:"name"`
	Component string        `json:"component"`
	Kind      string        `json:"kind"`
	Target    string        `json:"target"`
	Interval  time.Duration `json:"-"`
	Timeout   time.Duration `json:"-"`
	// Objective is the check's latency objective; nil without one.
	Objective *Objective `json:"objective,omitempty"`
}

// Results is where raw results are read from (the store).
type Results interface {
	// Query streams the results of one check in [from, to), in time order.
	Query(ctx context.Context, check string, from, to time.Time, fn func(probe.Result) error) error
}

// Catalog lists the configured checks; it changes on reload.
type Catalog interface {
	Checks() []CheckInfo
}

// Options wires the API to the rest of vigil.
type Options struct {
	Catalog Catalog
	Latest  *Latest
	Results Results
	Metrics func(http.ResponseWriter) // writes the Prometheus text format
	Logger  *slog.Logger
	Now     func() time.Time
	// AdminToken guards the admin API (maintenance windows): requests
	// carry "Authorization: Bearer <token>". Empty turns the API off.
	AdminToken string
	// Maintenances is the maintenance schedule; MaintenancePolicy, when
	// set, rejects unknown components and warns about windows customers
	// would count as unplanned.
	Maintenances      Maintenances
	MaintenancePolicy MaintenancePolicy
	// ReportToken guards the SLA report API; empty turns it off.
	ReportToken string
	// Reports computes the monthly SLA reports.
	Reports Reports
	// Incidents is the daemon's incident state (admin token); nil turns
	// the incident routes off.
	Incidents Incidents
	// Subscribers keeps customer SMS subscriptions (admin token); nil
	// turns the subscriber routes off.
	Subscribers Subscribers
	// Heartbeats records heartbeat pings; nil answers them 404.
	Heartbeats HeartbeatSink
	// Ingest stores the batches of remote agents; nil answers them 404.
	Ingest IngestSink
	// Role says whether this instance leads ("single", "leader",
	// "standby"); /healthz shows it. Nil leaves it out.
	Role func() string
	// Extra handlers mounted beside the API (status page, demo, …), by pattern.
	Extra map[string]http.Handler
}

// Handler returns the API's routes.
func Handler(o Options) http.Handler {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	a := &apiHandlers{o}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /metrics", a.metrics)
	mux.HandleFunc("GET /api/v1/checks", a.checks)
	mux.HandleFunc("GET /api/v1/checks/{name}", a.check)
	mux.HandleFunc("GET /api/v1/checks/{name}/results", a.results)
	mux.HandleFunc("GET /api/v1/checks/{name}/latency", a.latency)
	mountMaintenances(mux, a)
	mountReports(mux, a)
	mountIncidents(mux, a)
	mountSubscribers(mux, a)
	mountHeartbeats(mux, a)
	mountIngest(mux, a)
	for pattern, h := range o.Extra {
		mux.Handle(pattern, h)
	}
	return mux
}

type apiHandlers struct{ o Options }

func (a *apiHandlers) healthz(w http.ResponseWriter, r *http.Request) {
	body := map[string]any{"status": "ok"}
	if a.o.Role != nil {
		body["role"] = a.o.Role()
	}
	writeJSON(w, http.StatusOK, body)
}

func (a *apiHandlers) metrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	if a.o.Metrics != nil {
		a.o.Metrics(w)
	}
}

// checkJSON is a check with its latest result, as /api/v1/checks shows it.
type checkJSON struct {
	CheckInfo
	IntervalSeconds float64     `json:"interval_seconds"`
	TimeoutSeconds  float64     `json:"timeout_seconds"`
	Latest          *resultJSON `json:"latest"`
}

func (a *apiHandlers) describe(c CheckInfo) checkJSON {
	out := checkJSON{CheckInfo: c, IntervalSeconds: c.Interval.Seconds(), TimeoutSeconds: c.Timeout.Seconds()}
	if r, ok := a.o.Latest.Get(c.Name); ok {
		j := toJSON(r)
		out.Latest = &j
	}
	return out
}

func (a *apiHandlers) checks(w http.ResponseWriter, r *http.Request) {
	list := a.o.Catalog.Checks()
	out := make([]checkJSON, 0, len(list))
	for _, c := range list {
		out = append(out, a.describe(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"checks": out})
}

func (a *apiHandlers) find(name string) (CheckInfo, bool) {
	for _, c := range a.o.Catalog.Checks() {
		if c.Name == name {
			return c, true
		}
	}
	return CheckInfo{}, false
}

func (a *apiHandlers) check(w http.ResponseWriter, r *http.Request) {
	c, ok := a.find(r.PathValue("name"))
	if !ok {
		writeError(w, http.StatusNotFound, "no check named %q: GET /api/v1/checks lists them", r.PathValue("name"))
		return
	}
	writeJSON(w, http.StatusOK, a.describe(c))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
