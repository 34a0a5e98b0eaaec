package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/vigilmon/vigil/store"
)

// Subscribers is where customer SMS subscriptions are kept (store.State).
type Subscribers interface {
	AddSubscription(ctx context.Context, phone, component string, confirmed bool, now time.Time) (store.Subscription, error)
	ListSubscriptions(ctx context.Context, component string) ([]store.Subscription, error)
}

// subscriberRequest is the body of POST /api/v1/subscribers.
type subscriberRequest struct {
	Phone      string   `json:"phone"`
	Components []string `json:"components"`
}

type subscriptionJSON struct {
	Phone       string     `json:"phone"`
	Component   string     `json:"component"`
	CreatedAt   time.Time  `json:"created_at"`
	ConfirmedAt *time.Time `json:"confirmed_at"`
	Active      bool       `json:"active"`
}

// mountSubscribers adds the subscriber routes, behind the admin token. An
// operator adding a number vouches for it: the subscription is confirmed
// at once (the status page's web form will confirm by SMS).
func mountSubscribers(mux *http.ServeMux, a *apiHandlers) {
	auth := bearer{token: a.o.AdminToken, name: "admin API", setting: "server.admin_token", env: "VIGIL_ADMIN_TOKEN"}
	if a.o.Subscribers == nil {
		auth.token = ""
	}
	mux.HandleFunc("POST /api/v1/subscribers", auth.wrap(a.addSubscriber))
	mux.HandleFunc("GET /api/v1/subscribers", auth.wrap(a.listSubscribers))
}

func (a *apiHandlers) addSubscriber(w http.ResponseWriter, r *http.Request) {
	var req subscriberRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	num, err := phonenumbers.Parse(req.Phone, "")
	if err != nil || !phonenumbers.IsValidNumber(num) || phonenumbers.Format(num, phonenumbers.E164) != strings.TrimSpace(req.Phone) {
		writeError(w, http.StatusBadRequest, "phone %q is not a valid number in E.164 form: write + and the country code, no spaces, such as +31612345678", req.Phone)
		return
	}
	if len(req.Components) == 0 {
		writeError(w, http.StatusBadRequest, "components is empty: list the component ids to subscribe to, e.g. [\"profit\"]")
		return
	}
	if a.o.MaintenancePolicy != nil {
		known := a.o.MaintenancePolicy.Components()
		for _, c := range req.Components {
			if !slices.Contains(known, c) {
				writeError(w, http.StatusBadRequest, "unknown component %q: use one of %s", c, strings.Join(known, ", "))
				return
			}
		}
	}
	out := make([]subscriptionJSON, 0, len(req.Components))
	for _, c := range req.Components {
		s, err := a.o.Subscribers.AddSubscription(r.Context(), strings.TrimSpace(req.Phone), c, true, a.o.Now())
		if err != nil {
			a.o.Logger.Error("add subscriber", "err", err)
			writeError(w, http.StatusInternalServerError, "the subscription could not be stored; the server log says why")
			return
		}
		out = append(out, toSubscriptionJSON(s))
	}
	writeJSON(w, http.StatusCreated, map[string]any{"subscriptions": out})
}

func (a *apiHandlers) listSubscribers(w http.ResponseWriter, r *http.Request) {
	subs, err := a.o.Subscribers.ListSubscriptions(r.Context(), r.URL.Query().Get("component"))
	if err != nil {
		a.o.Logger.Error("list subscribers", "err", err)
		writeError(w, http.StatusInternalServerError, "the subscriptions could not be read; the server log says why")
		return
	}
	out := make([]subscriptionJSON, 0, len(subs))
	for _, s := range subs {
		out = append(out, toSubscriptionJSON(s))
	}
	writeJSON(w, http.StatusOK, map[string]any{"subscriptions": out})
}

func toSubscriptionJSON(s store.Subscription) subscriptionJSON {
	return subscriptionJSON{Phone: s.Phone, Component: s.Component, CreatedAt: s.CreatedAt, ConfirmedAt: s.ConfirmedAt, Active: s.Active}
}
