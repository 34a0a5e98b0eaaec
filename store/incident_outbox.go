package store

import (
	"context"
	"fmt"
	"time"
)

// SaveIncidentAndEnqueue stores inc as SaveIncident does and, in the same
// transaction, writes entries to the outbox (as EnqueueOutbox does), so
// that an incident change and its notifications commit together or not at
// all. When inc's version is stored already nothing is enqueued: saving an
// event twice never sends it twice. It returns the ids of the enqueued
// messages.
func (s *State) SaveIncidentAndEnqueue(ctx context.Context, inc Incident, entries []OutboxEntry, now time.Time) ([]int64, error) {
	inc, err := normalizeIncident(inc)
	if err != nil {
		return nil, fmt.Errorf("save incident %s: %w", inc.ID, err)
	}
	var (
		ids      []int64
		inserted bool
	)
	err = s.inTx(ctx, func(tx *txn) error {
		var changed bool
		var err error
		inserted, changed, err = saveIncident(ctx, tx, inc)
		if err != nil || !changed {
			return err
		}
		ids, err = enqueueOutbox(ctx, tx, entries, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save incident %s with %d notifications: %w", inc.ID, len(entries), err)
	}
	if inserted {
		s.logger.Info("incident recorded", "id", inc.ID, "components", inc.Components, "status", inc.Status, "in_maintenance", inc.InMaintenance)
	}
	return ids, nil
}
