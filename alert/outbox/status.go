package outbox

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
)

// StatusRecorder records provider delivery statuses (store.State).
type StatusRecorder interface {
	SetOutboxProviderStatus(ctx context.Context, providerID, status string) (bool, error)
}

// Verifier checks a provider webhook's signature and returns its form
// (twilio.Verifier).
type Verifier interface {
	Verify(w http.ResponseWriter, r *http.Request) (url.Values, error)
}

// StatusHandler serves Twilio's status callbacks (POST
// /api/v1/twilio/status): a request whose X-Twilio-Signature does not
// verify gets 403 and changes nothing; otherwise MessageStatus is recorded
// for MessageSid (an unknown sid is logged and acknowledged, so Twilio
// does not retry it).
func StatusHandler(st StatusRecorder, v Verifier, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With("component", "twilio-status")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		form, err := v.Verify(w, r)
		if err != nil {
			logger.Warn("status callback refused", "remote", r.RemoteAddr, "err", err)
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		sid, status := form.Get("MessageSid"), form.Get("MessageStatus")
		if sid == "" || status == "" {
			http.Error(w, "MessageSid and MessageStatus are required", http.StatusBadRequest)
			return
		}
		ok, err := st.SetOutboxProviderStatus(r.Context(), sid, status)
		if err != nil {
			logger.Error("record status callback", "sid", sid, "err", err)
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		if !ok {
			logger.Warn("status callback for an unknown message", "sid", sid, "status", status)
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
