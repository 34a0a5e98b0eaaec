package outbox

import (
	"context"
	"time"

	"github.com/vigilmon/vigil/store"
)

// dispatch claims c's due messages and feeds them to the senders at c's
// rate until ctx ends; messages claimed but not handed over are released.
func (w *Worker) dispatch(ctx context.Context, c *channel, jobs chan<- job, outcomes chan<- store.OutboxOutcome) {
	log := w.logger.With("channel", c.name)
	for ctx.Err() == nil {
		if !w.waitPause(ctx, c) {
			return
		}
		msgs, err := w.cfg.Store.ClaimOutbox(ctx, c.name, w.cfg.Now(), c.batch)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("claim notifications", "err", err)
			}
			w.idle(ctx, c)
			continue
		}
		if len(msgs) == 0 {
			w.idle(ctx, c)
			continue
		}
		for i, m := range msgs {
			if !w.waitPause(ctx, c) || c.limiter.Wait(ctx) != nil {
				w.release(msgs[i:], outcomes)
				return
			}
			select {
			case jobs <- job{ch: c, m: m}:
			case <-ctx.Done():
				w.release(msgs[i:], outcomes)
				return
			}
		}
	}
}

// idle waits for a wake-up, the poll interval or the end of ctx.
func (w *Worker) idle(ctx context.Context, c *channel) {
	t := time.NewTimer(w.cfg.Poll)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-c.wake:
	case <-t.C:
	}
}

// waitPause sleeps while the channel is paused by a Retry-After; it
// reports false when ctx ended.
func (w *Worker) waitPause(ctx context.Context, c *channel) bool {
	for {
		until := time.Unix(0, c.pausedUntil.Load())
		d := until.Sub(w.cfg.Now())
		if d <= 0 {
			return ctx.Err() == nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
}

// pause holds the channel's sends until until (a provider's Retry-After).
func (c *channel) pause(until time.Time) {
	for {
		cur := c.pausedUntil.Load()
		if until.UnixNano() <= cur || c.pausedUntil.CompareAndSwap(cur, until.UnixNano()) {
			return
		}
	}
}

// release gives claimed, unsent messages back: pending and due now, or
// uncertain again when they were being reconciled.
func (w *Worker) release(msgs []store.OutboxMessage, outcomes chan<- store.OutboxOutcome) {
	now := w.cfg.Now()
	for _, m := range msgs {
		o := store.OutboxOutcome{ID: m.ID, Status: store.OutboxPending, NextAttemptAt: now, At: now, Error: m.LastError}
		if m.Reconcile {
			o.Status = store.OutboxUncertain
		}
		outcomes <- o
	}
}
