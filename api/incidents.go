package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/vigilmon/vigil/store"
)

// Incidents is the running daemon's incident state. Manual operations go
// to the alert evaluator, whose in-memory state is authoritative while
// vigil serve runs; errors wrap store.ErrNotFound, store.ErrInvalid or
// store.ErrConflict.
type Incidents interface {
	// List returns the incidents overlapping [from, to), oldest first.
	List(ctx context.Context, from, to time.Time) ([]store.Incident, error)
	Get(ctx context.Context, id string) (store.Incident, error)
	// Update posts an update: status investigating, identified, monitoring
	// or resolved, a message, and whether customer subscribers hear of it.
	Update(ctx context.Context, id, status, message string, notify bool) (store.Incident, error)
	Resolve(ctx context.Context, id, message string) (store.Incident, error)
	Ack(ctx context.Context, id, by string) (store.Incident, error)
}

// incidentJSON is an incident as the API shows it.
type incidentJSON struct {
	ID            string               `json:"id"`
	Title         string               `json:"title"`
	Components    []string             `json:"components"`
	Status        string               `json:"status"`
	OpenedAt      time.Time            `json:"opened_at"`
	ResolvedAt    *time.Time           `json:"resolved_at"`
	AckedAt       *time.Time           `json:"acked_at"`
	AckedBy       string               `json:"acked_by,omitempty"`
	InMaintenance bool                 `json:"in_maintenance"`
	Reopens       int                  `json:"reopens"`
	Version       int                  `json:"version"`
	Updates       []incidentUpdateJSON `json:"updates"`
}

type incidentUpdateJSON struct {
	Seq     int       `json:"seq"`
	At      time.Time `json:"at"`
	Status  string    `json:"status"`
	Message string    `json:"message"`
	Notify  bool      `json:"notify"`
}

func describeIncident(inc store.Incident) incidentJSON {
	out := incidentJSON{
		ID: inc.ID, Title: inc.Title, Components: inc.Components, Status: inc.Status, OpenedAt: inc.OpenedAt,
		ResolvedAt: inc.ResolvedAt, AckedAt: inc.AckedAt, AckedBy: inc.AckedBy, InMaintenance: inc.InMaintenance,
		Reopens: inc.Reopens, Version: inc.Version, Updates: []incidentUpdateJSON{},
	}
	if out.Components == nil {
		out.Components = []string{}
	}
	for _, u := range inc.Updates {
		out.Updates = append(out.Updates, incidentUpdateJSON{Seq: u.Seq, At: u.At, Status: u.Status, Message: u.Message, Notify: u.Notify})
	}
	return out
}

// incidentHandlers serve the admin API for incidents.
type incidentHandlers struct {
	a   *apiHandlers
	inc Incidents
}

// mountIncidents adds the incident routes, behind the admin token.
func mountIncidents(mux *http.ServeMux, a *apiHandlers) {
	h := &incidentHandlers{a: a, inc: a.o.Incidents}
	auth := bearer{token: a.o.AdminToken, name: "admin API", setting: "server.admin_token", env: "VIGIL_ADMIN_TOKEN"}
	if h.inc == nil {
		auth.token = ""
	}
	mux.HandleFunc("GET /api/v1/incidents", auth.wrap(h.list))
	mux.HandleFunc("GET /api/v1/incidents/{id}", auth.wrap(h.get))
	mux.HandleFunc("POST /api/v1/incidents/{id}/update", auth.wrap(h.update))
	mux.HandleFunc("POST /api/v1/incidents/{id}/resolve", auth.wrap(h.resolve))
	mux.HandleFunc("POST /api/v1/incidents/{id}/ack", auth.wrap(h.ack))
}

// list answers the incidents overlapping [from, to); by default those of
// the last 31 days and the open ones.
func (h *incidentHandlers) list(w http.ResponseWriter, r *http.Request) {
	now := h.a.o.Now()
	from, to, err := rangeParams(r, now.AddDate(0, 0, -31), now.Add(time.Minute))
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	incs, err := h.inc.List(r.Context(), from, to)
	if err != nil {
		h.fail(w, err)
		return
	}
	out := make([]incidentJSON, 0, len(incs))
	for _, inc := range incs {
		out = append(out, describeIncident(inc))
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": out})
}

func (h *incidentHandlers) get(w http.ResponseWriter, r *http.Request) {
	inc, err := h.inc.Get(r.Context(), r.PathValue("id"))
	h.answer(w, inc, err)
}

// updateRequest is the body of POST /api/v1/incidents/{id}/update.
type updateRequest struct {
	Status  string `json:"status"`
	Message string `json:"message"`
	Notify  bool   `json:"notify"`
}

func (h *incidentHandlers) update(w http.ResponseWriter, r *http.Request) {
	var req updateRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	inc, err := h.inc.Update(r.Context(), r.PathValue("id"), req.Status, req.Message, req.Notify)
	h.answer(w, inc, err)
}

// resolveRequest is the body of POST /api/v1/incidents/{id}/resolve; it
// may be empty.
type resolveRequest struct {
	Message string `json:"message"`
}

func (h *incidentHandlers) resolve(w http.ResponseWriter, r *http.Request) {
	var req resolveRequest
	if err := decodeBody(w, r, &req, true); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	inc, err := h.inc.Resolve(r.Context(), r.PathValue("id"), req.Message)
	h.answer(w, inc, err)
}

// ackRequest is the body of POST /api/v1/incidents/{id}/ack.
type ackRequest struct {
	By string `json:"by"`
}

func (h *incidentHandlers) ack(w http.ResponseWriter, r *http.Request) {
	var req ackRequest
	if err := decodeBody(w, r, &req, true); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	if req.By == "" {
		req.By = "admin API"
	}
	inc, err := h.inc.Ack(r.Context(), r.PathValue("id"), req.By)
	h.answer(w, inc, err)
}

func (h *incidentHandlers) answer(w http.ResponseWriter, inc store.Incident, err error) {
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, describeIncident(inc))
}

// ErrStandby refuses incident changes on an instance that stands by while
// another one leads (several instances on one PostgreSQL).
var ErrStandby = errors.New("this vigil instance is standing by and does not change incidents; send the request to the leading instance (its /healthz says \"role\": \"leader\")")

func (h *incidentHandlers) fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrInvalid):
		writeError(w, http.StatusBadRequest, "%v", err)
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "%v: GET /api/v1/incidents lists the incidents", err)
	case errors.Is(err, store.ErrConflict):
		writeError(w, http.StatusConflict, "%v", err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusServiceUnavailable, "the incident state did not answer in time; try again")
	case errors.Is(err, ErrStandby):
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, "%v", err)
	default:
		h.a.o.Logger.Error("incidents", "err", err)
		writeError(w, http.StatusInternalServerError, "the incidents could not be read or changed; the server log says why")
	}
}
