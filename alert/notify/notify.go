// Package notify owns the shape every notification channel shares: a
// Message to one recipient, the Notifier interface, and how a channel says
// whether a failure is worth retrying. Each channel is a package of its own
// below this one (twilio, webhook, log); the outbox worker drives them.
package notify

import (
	"context"
	"errors"
	"time"
)

// Message is one notification to one recipient over one channel. ID is the
// outbox row's id: stable across retries, so a channel can use it as an
// idempotency key where the provider supports one.
type Message struct {
	ID        int64
	Channel   string // "twilio", "webhook", "log"
	Recipient string // E.164 phone number for SMS, URL for webhooks
	Event     string // "incident.opened", "incident.updated", "incident.resolved", "incident.reminder", "maintenance.scheduled", …
	Text      string // the rendered text (SMS body)
	Payload   []byte // JSON for webhooks; may be nil for SMS
}

// Receipt is what a channel learned from a successful send.
type Receipt struct {
	ProviderID string // e.g. Twilio's message SID
	Status     string // provider status, e.g. "queued"
}

// Notifier sends one message.
//
// On failure it classifies the error (alertmanager's habit): Retry says the
// same message may be sent again later without risk of a duplicate the
// recipient would see twice — after RetryAfter when the provider said so.
type Notifier interface {
	Notify(ctx context.Context, m Message) (Receipt, error)
}

// Failure is the error a Notifier returns when it knows how to classify it.
//
// At most one of Retry, Permanent and Uncertain is set. A Failure with none
// of them set means the provider rejected this message for good (for example
// a body it refuses) while the recipient stays valid: the worker marks the
// message failed and does not deactivate the recipient.
type Failure struct {
	Err error
	// Retry: safe and useful to send again (429, connection refused before
	// the request was written).
	Retry bool
	// RetryAfter is the provider's wish (Retry-After header); 0 if none.
	RetryAfter time.Duration
	// Permanent: the recipient cannot receive (invalid number 21211,
	// unsubscribed 21610): deactivate it, never retry.
	Permanent bool
	// Uncertain: the request may have been accepted (5xx or timeout after it
	// was sent); resending blindly could duplicate. The worker must
	// reconcile or mark it uncertain, never resend blindly.
	Uncertain bool
	// Code is the provider's error code, e.g. 21211.
	Code int
}

// Error returns the wrapped error's text.
func (f *Failure) Error() string { return f.Err.Error() }

// Unwrap returns the wrapped error.
func (f *Failure) Unwrap() error { return f.Err }

// AsFailure returns err's classification; an unclassified error counts as
// uncertain (the safe reading: do not resend blindly).
func AsFailure(err error) *Failure {
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	return &Failure{Err: err, Uncertain: true}
}

// Reconciler is implemented by channels that can ask the provider whether
// a message whose send was Uncertain (or was in flight when vigil died) was
// accepted after all. The outbox worker reconciles before it sends such a
// message again.
type Reconciler interface {
	// Reconcile looks for m among the messages the provider accepted since
	// the attempt that started at since. found reports whether it did (and
	// then the Receipt describes it); found == false with a nil error means
	// the provider has no such message and sending m again cannot produce
	// a duplicate. An error means the question could not be answered.
	Reconcile(ctx context.Context, m Message, since time.Time) (r Receipt, found bool, err error)
}
