// Package inbound answers the SMS people send back to vigil's number
// (Twilio's messaging webhook, POST /api/v1/twilio/inbound): STOP and its
// synonyms unsubscribe the sender, START and its synonyms subscribe it
// again, anything else gets the help text as a TwiML reply.
//
// A request whose X-Twilio-Signature does not verify gets 403 and changes
// nothing. It imports nothing of vigil but the Verifier shape; the wiring
// gives it the state database through Subscribers.
package inbound

import (
	"context"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// Action is what an inbound text asks for.
type Action int

// The actions.
const (
	Help  Action = iota // HELP, or anything not understood
	Stop                // STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT
	Start               // START, YES, UNSTOP
)

// keywords are Twilio's standard opt-out and opt-in keywords.
var keywords = map[string]Action{
	"STOP": Stop, "STOPALL": Stop, "UNSUBSCRIBE": Stop, "CANCEL": Stop, "END": Stop, "QUIT": Stop,
	"START": Start, "YES": Start, "UNSTOP": Start,
	"HELP": Help, "INFO": Help,
}

// Parse returns what body asks for. Like Twilio's own opt-out handling it
// matches the whole text, trimmed, in any case ("Stop", " stop. ").
func Parse(body string) Action {
	w := strings.ToUpper(strings.Trim(strings.TrimSpace(body), ".!"))
	if a, ok := keywords[w]; ok {
		return a
	}
	return Help
}

// Subscribers changes whether a phone receives messages.
type Subscribers interface {
	// Unsubscribe deactivates every subscription of phone and phone as
	// an SMS recipient.
	Unsubscribe(ctx context.Context, phone string) error
	// Resubscribe activates them again.
	Resubscribe(ctx context.Context, phone string) error
}

// Verifier checks a webhook's signature and returns its form
// (twilio.Verifier).
type Verifier interface {
	Verify(w http.ResponseWriter, r *http.Request) (url.Values, error)
}

// Config configures the handler.
type Config struct {
	Verifier    Verifier
	Subscribers Subscribers
	// HelpText answers HELP and texts not understood.
	HelpText string
	// StartText answers START; empty answers nothing.
	StartText string
	Logger    *slog.Logger
}

// Handler returns the inbound SMS handler.
func Handler(c Config) http.Handler {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, err := c.Verifier.Verify(w, r)
		if err != nil {
			c.Logger.Warn("inbound SMS refused", "err", err, "remote", r.RemoteAddr)
			http.Error(w, "forbidden: invalid X-Twilio-Signature", http.StatusForbidden)
			return
		}
		from := form.Get("From")
		if from == "" {
			http.Error(w, "bad request: no From", http.StatusBadRequest)
			return
		}
		var reply string
		switch a := Parse(form.Get("Body")); a {
		case Stop:
			err = c.Subscribers.Unsubscribe(r.Context(), from)
			// Twilio confirms an opt-out itself; a reply would not arrive.
		case Start:
			err, reply = c.Subscribers.Resubscribe(r.Context(), from), c.StartText
		default:
			reply = c.HelpText
		}
		if err != nil {
			// 500 makes Twilio retry the webhook: better than a lost STOP.
			c.Logger.Error("inbound SMS not applied", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		c.Logger.Info("inbound SMS", "action", actionName(Parse(form.Get("Body"))))
		writeTwiML(w, reply)
	})
}

func actionName(a Action) string {
	switch a {
	case Stop:
		return "stop"
	case Start:
		return "start"
	}
	return "help"
}

// twiml is a messaging response: an optional reply.
type twiml struct {
	XMLName xml.Name `xml:"Response"`
	Message string   `xml:"Message,omitempty"`
}

// writeTwiML answers with a TwiML reply (none when text is empty).
func writeTwiML(w http.ResponseWriter, text string) {
	b, err := xml.Marshal(twiml{Message: text})
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write(append([]byte(xml.Header), b...))
}
