package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/vigilmon/vigil/alert/notify"
	"github.com/vigilmon/vigil/store"
)

// deliver sends (or first reconciles) one claimed message and returns its
// outcome.
func (w *Worker) deliver(ctx context.Context, c *channel, m store.OutboxMessage) store.OutboxOutcome {
	msg := notify.Message{ID: m.ID, Channel: m.Channel, Recipient: m.Recipient, Event: m.Event, Text: m.Text, Payload: m.Payload}
	log := w.logger.With("channel", c.name, "id", m.ID, "to", m.Recipient)
	var resend time.Time
	if m.Reconcile {
		o, done := w.reconcile(ctx, c, m, msg)
		if done {
			return o
		}
		resend = w.cfg.Now()
	}
	sctx, cancel := context.WithTimeout(ctx, w.cfg.SendTimeout)
	r, err := c.Notifier.Notify(sctx, msg)
	cancel()
	now := w.cfg.Now()
	if err == nil {
		w.stats.sent.Add(1)
		return store.OutboxOutcome{ID: m.ID, Status: store.OutboxSent, ProviderID: r.ProviderID, ProviderStatus: r.Status, At: now, ClaimedAt: resend}
	}
	f := notify.AsFailure(err)
	o := store.OutboxOutcome{ID: m.ID, At: now, ClaimedAt: resend, Error: f.Error()}
	switch {
	case f.Permanent:
		w.stats.failed.Add(1)
		w.stats.deactivated.Add(1)
		o.Status = store.OutboxFailed
		o.Deactivate = fmt.Sprintf("permanent failure (code %d): %s", f.Code, f.Error())
		log.Warn("recipient deactivated", "code", f.Code, "err", f.Err)
	case f.Retry && now.Sub(m.CreatedAt) > w.cfg.MaxAge:
		w.stats.failed.Add(1)
		o.Status, o.Error = store.OutboxFailed, "expired after "+w.cfg.MaxAge.String()+": "+f.Error()
		log.Error("notification expired", "err", f.Err)
	case f.Retry:
		w.stats.retried.Add(1)
		o.Status, o.NextAttemptAt = store.OutboxPending, now.Add(max(f.RetryAfter, w.backoff(m.Attempts)))
		if f.RetryAfter > 0 {
			c.pause(now.Add(f.RetryAfter))
		}
	case f.Uncertain:
		o.Status = store.OutboxUncertain
		switch {
		case isReconciler(c):
			o.NextAttemptAt = now.Add(w.cfg.ReconcileDelay)
		case c.Idempotent:
			w.stats.retried.Add(1)
			o.Status, o.NextAttemptAt = store.OutboxPending, now.Add(w.backoff(m.Attempts))
		default:
			w.stats.uncertain.Add(1)
			log.Error("notification may or may not have been sent and cannot be reconciled: check it by hand", "err", f.Err)
		}
	default:
		w.stats.failed.Add(1)
		o.Status = store.OutboxFailed
		log.Error("notification rejected", "code", f.Code, "err", f.Err)
	}
	return o
}

// reconcile asks the provider about an uncertain message. done is false
// when the message was not found and must be sent again.
func (w *Worker) reconcile(ctx context.Context, c *channel, m store.OutboxMessage, msg notify.Message) (o store.OutboxOutcome, done bool) {
	rec, ok := c.Notifier.(notify.Reconciler)
	if !ok {
		if c.Idempotent {
			return store.OutboxOutcome{}, false
		}
		w.stats.uncertain.Add(1)
		return store.OutboxOutcome{ID: m.ID, Status: store.OutboxUncertain, At: w.cfg.Now(), Error: m.LastError + "; cannot be reconciled: check it by hand"}, true
	}
	since := w.cfg.Now()
	if m.ClaimedAt != nil {
		since = *m.ClaimedAt
	}
	rctx, cancel := context.WithTimeout(ctx, w.cfg.SendTimeout)
	r, found, err := rec.Reconcile(rctx, msg, since)
	cancel()
	now := w.cfg.Now()
	switch {
	case err != nil:
		return store.OutboxOutcome{ID: m.ID, Status: store.OutboxUncertain, NextAttemptAt: now.Add(w.cfg.ReconcileDelay), At: now,
			Error: "reconcile: " + err.Error()}, true
	case found:
		w.stats.reconciled.Add(1)
		w.stats.sent.Add(1)
		return store.OutboxOutcome{ID: m.ID, Status: store.OutboxSent, ProviderID: r.ProviderID, ProviderStatus: r.Status, At: now}, true
	}
	w.stats.resent.Add(1)
	return store.OutboxOutcome{}, false
}

// isReconciler reports whether c's notifier can reconcile.
func isReconciler(c *channel) bool {
	_, ok := c.Notifier.(notify.Reconciler)
	return ok
}

// backoff is the wait before retry number attempts+1: BackoffMin doubled
// per attempt, at most BackoffMax.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.cfg.BackoffMin
	for i := 1; i < attempts && d < w.cfg.BackoffMax; i++ {
		d *= 2
	}
	return min(d, w.cfg.BackoffMax)
}
