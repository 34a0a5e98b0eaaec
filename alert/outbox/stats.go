package outbox

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/vigilmon/vigil/store"
)

// counters are the worker's running totals.
type counters struct {
	sent, failed, retried, uncertain, reconciled, resent, deactivated, recovered atomic.Int64
}

// Stats are the worker's totals since it started, for /metrics.
type Stats struct {
	Sent        int64 // accepted by the provider (including found by reconciliation)
	Failed      int64 // given up: permanent, rejected or expired
	Retried     int64 // scheduled for another attempt
	Uncertain   int64 // left for a human: may or may not have been sent
	Reconciled  int64 // uncertain sends the provider turned out to have
	Resent      int64 // uncertain sends the provider did not have, sent again
	Deactivated int64 // recipients deactivated after a permanent failure
	Recovered   int64 // messages found in flight at start
}

// Stats returns the totals.
func (w *Worker) Stats() Stats {
	c := &w.stats
	return Stats{
		Sent: c.sent.Load(), Failed: c.failed.Load(), Retried: c.retried.Load(), Uncertain: c.uncertain.Load(),
		Reconciled: c.reconciled.Load(), Resent: c.resent.Load(), Deactivated: c.deactivated.Load(), Recovered: c.recovered.Load(),
	}
}

// Backlog returns how many messages wait for delivery: pending, in
// flight and uncertain (the /metrics backlog gauge).
func (w *Worker) Backlog(ctx context.Context) (int, error) {
	counts, err := w.cfg.Store.OutboxCounts(ctx)
	if err != nil {
		return 0, fmt.Errorf("outbox backlog: %w", err)
	}
	return counts[store.OutboxPending] + counts[store.OutboxSending] + counts[store.OutboxUncertain], nil
}
