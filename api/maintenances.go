package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vigilmon/vigil/store"
)

// maintenanceHandlers serve the admin API for the maintenance schedule.
type maintenanceHandlers struct {
	a      *apiHandlers
	store  Maintenances
	policy MaintenancePolicy // may be nil: no component check, no warnings
}

// mountMaintenances adds the maintenance routes, behind the admin token.
func mountMaintenances(mux *http.ServeMux, a *apiHandlers) {
	h := &maintenanceHandlers{a: a, store: a.o.Maintenances, policy: a.o.MaintenancePolicy}
	auth := bearer{token: a.o.AdminToken, name: "admin API", setting: "server.admin_token", env: "VIGIL_ADMIN_TOKEN"}
	if h.store == nil {
		// Without a schedule the routes still say how to get one.
		auth.token = ""
	}
	mux.HandleFunc("GET /api/v1/maintenances", auth.wrap(h.list))
	mux.HandleFunc("POST /api/v1/maintenances", auth.wrap(h.schedule))
	mux.HandleFunc("GET /api/v1/maintenances/{id}", auth.wrap(h.get))
	mux.HandleFunc("POST /api/v1/maintenances/{id}/complete", auth.wrap(h.complete))
	mux.HandleFunc("POST /api/v1/maintenances/{id}/cancel", auth.wrap(h.cancel))
	mux.HandleFunc("POST /api/v1/maintenances/{id}/reschedule", auth.wrap(h.reschedule))
}

// describe is m as the API shows it, with the customers' warnings.
func (h *maintenanceHandlers) describe(m store.Maintenance) maintenanceJSON {
	out := maintenanceJSON{
		ID: m.ID, Title: m.Title, Components: m.Components, Start: m.Start, End: m.End,
		AnnouncedAt: m.AnnouncedAt, ActualEnd: m.ActualEnd, CancelledAt: m.CancelledAt, CreatedAt: m.CreatedAt,
		Status: MaintenanceStatus(m, h.a.o.Now()), Warnings: []Warning{},
	}
	if h.policy != nil && m.CancelledAt == nil {
		if ws := h.policy.Warnings(m); len(ws) > 0 {
			out.Warnings = ws
		}
	}
	return out
}

// list answers the windows overlapping [from, to), cancelled ones too;
// by default from 31 days ago on.
func (h *maintenanceHandlers) list(w http.ResponseWriter, r *http.Request) {
	now := h.a.o.Now()
	from, to, err := rangeParams(r, now.AddDate(0, 0, -31), now.AddDate(10, 0, 0))
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	ms, err := h.store.ListMaintenance(r.Context(), from, to, true)
	if err != nil {
		h.fail(w, err)
		return
	}
	out := make([]maintenanceJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, h.describe(m))
	}
	writeJSON(w, http.StatusOK, map[string]any{"maintenances": out})
}

func (h *maintenanceHandlers) get(w http.ResponseWriter, r *http.Request) {
	m, err := h.store.GetMaintenance(r.Context(), r.PathValue("id"))
	h.answer(w, http.StatusOK, m, err)
}

func (h *maintenanceHandlers) schedule(w http.ResponseWriter, r *http.Request) {
	var req scheduleRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	if err := h.knownComponents(req.Components); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	m, err := h.store.ScheduleMaintenance(r.Context(), store.Maintenance{
		Title: req.Title, Components: req.Components, Start: req.Start, End: req.End,
	}, h.a.o.Now())
	if err == nil {
		w.Header().Set("Location", "/api/v1/maintenances/"+m.ID)
	}
	h.answer(w, http.StatusCreated, m, err)
}

func (h *maintenanceHandlers) reschedule(w http.ResponseWriter, r *http.Request) {
	var req rescheduleRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	m, err := h.store.RescheduleMaintenance(r.Context(), r.PathValue("id"), req.Start, req.End, h.a.o.Now())
	h.answer(w, http.StatusOK, m, err)
}

func (h *maintenanceHandlers) complete(w http.ResponseWriter, r *http.Request) {
	h.closeWith(w, r, h.store.CompleteMaintenance)
}

func (h *maintenanceHandlers) cancel(w http.ResponseWriter, r *http.Request) {
	h.closeWith(w, r, h.store.CancelMaintenance)
}

// closeWith completes or cancels the window at the body's "at", by
// default now.
func (h *maintenanceHandlers) closeWith(w http.ResponseWriter, r *http.Request,
	op func(ctx context.Context, id string, at time.Time) (store.Maintenance, error)) {
	var req atRequest
	if err := decodeBody(w, r, &req, true); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	at := h.a.o.Now()
	if req.At != nil {
		at = *req.At
	}
	m, err := op(r.Context(), r.PathValue("id"), at)
	h.answer(w, http.StatusOK, m, err)
}

// knownComponents rejects component ids the config does not define.
func (h *maintenanceHandlers) knownComponents(ids []string) error {
	if h.policy == nil {
		return nil
	}
	known := h.policy.Components()
	var unknown []string
	for _, id := range ids {
		if !slices.Contains(known, id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return errors.New("unknown component " + strings.Join(quoteAll(unknown), ", ") +
		": the config defines " + strings.Join(known, ", "))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}

// answer writes m with status, or the store's error.
func (h *maintenanceHandlers) answer(w http.ResponseWriter, status int, m store.Maintenance, err error) {
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, status, h.describe(m))
}

// fail maps a store error to its status: the store's messages say what to
// fix; anything else is the server's fault and goes to the log.
func (h *maintenanceHandlers) fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrInvalid):
		writeError(w, http.StatusBadRequest, "%v", err)
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "%v: GET /api/v1/maintenances lists the windows", err)
	case errors.Is(err, store.ErrConflict):
		writeError(w, http.StatusConflict, "%v", err)
	default:
		h.a.o.Logger.Error("maintenance schedule", "err", err)
		writeError(w, http.StatusInternalServerError, "the maintenance schedule could not be read or changed; the server log says why")
	}
}
