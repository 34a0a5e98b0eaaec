// Package log is the log channel: instead of sending an SMS it writes the
// exact text that would be sent (fitted as the twilio channel fits it) and
// its recipient to a slog.Logger. It is the default when no Twilio
// credentials are configured, so the embedded default config shows the
// whole loop from failing probe to "SMS".
//
// It imports alert/notify and alert/notify/twilio (for the text rules)
// and nothing else of vigil.
package log

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/vigilmon/vigil/alert/notify"
	"github.com/vigilmon/vigil/alert/notify/twilio"
)

// Notifier logs messages instead of sending them. It never fails.
type Notifier struct {
	logger *slog.Logger
}

// New returns a Notifier writing to logger (nil: slog.Default()).
func New(logger *slog.Logger) *Notifier {
	if logger == nil {
		logger = slog.Default()
	}
	return &Notifier{logger: logger.With("channel", "log")}
}

// Notify logs the SMS m would be: recipient and fitted text.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (notify.Receipt, error) {
	text := twilio.Fit(m.Text)
	segments, _ := twilio.Segments(text)
	n.logger.InfoContext(ctx, "sms (log channel, not sent)",
		"id", m.ID, "event", m.Event, "to", m.Recipient, "segments", segments, "text", text)
	return notify.Receipt{ProviderID: fmt.Sprintf("log-%d", m.ID), Status: "logged"}, nil
}
