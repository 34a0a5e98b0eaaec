package twilio

import (
	"context"
	"fmt"
	"strconv"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/vigilmon/vigil/alert/notify"
)

// ClockSkew is how far Twilio's clock (and the one-second precision of
// date_created) may be behind ours when matching a message to an attempt.
const ClockSkew = 2 * time.Minute

// reconcilePages bounds how many pages of 100 messages Reconcile reads.
const reconcilePages = 5

// Reconcile asks Twilio whether it accepted m since the attempt started at
// since: it lists the messages to m.Recipient, newest first, and looks for
// one with m's (fitted) body created at or after since − ClockSkew.
//
// It filters on To only, not on DateSent: date_sent stays null while a
// message is queued, so a DateSent filter would miss exactly the messages
// a crash or a timeout leaves behind. Two identical texts to the same
// number within ClockSkew cannot be told apart; vigil's texts carry the
// incident and time, so this does not happen in practice.
func (n *Notifier) Reconcile(ctx context.Context, m notify.Message, since time.Time) (notify.Receipt, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, n.cfg.Timeout)
	defer cancel()
	body := Fit(m.Text)
	from := since.Add(-ClockSkew)
	params := &openapi.ListMessageParams{}
	params.SetTo(m.Recipient)
	params.SetPageSize(100)
	var match *openapi.ApiV2010Message
	for page := 0; page < reconcilePages; page++ {
		c := n.newCall(ctx)
		res, err := c.api.PageMessage(params, "", strconv.Itoa(page))
		if err != nil {
			return notify.Receipt{}, false, n.clean(fmt.Errorf("twilio: reconcile message %d: list messages: %w", m.ID, err))
		}
		older := false
		for i := range res.Messages {
			msg := &res.Messages[i]
			created, ok := parseTwilioTime(msg.DateCreated)
			if ok && created.Before(from) {
				older = true
				continue
			}
			if msg.Body != nil && *msg.Body == body {
				match = msg // newest first: keep the earliest match
			}
		}
		if older || res.NextPageUri == nil || len(res.Messages) == 0 {
			break
		}
	}
	if match == nil {
		return notify.Receipt{}, false, nil
	}
	r := notify.Receipt{}
	if match.Sid != nil {
		r.ProviderID = *match.Sid
	}
	if match.Status != nil {
		r.Status = *match.Status
	}
	return r, true, nil
}

// parseTwilioTime reads Twilio's RFC 1123 dates.
func parseTwilioTime(s *string) (time.Time, bool) {
	if s == nil {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, *s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
