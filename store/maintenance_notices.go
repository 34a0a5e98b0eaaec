package store

import (
	"context"
	"fmt"
	"time"
)

// Maintenance notice kinds: what subscribers are told about a window.
const (
	NoticeScheduled = "scheduled"
	NoticeStarted   = "started"
	NoticeCompleted = "completed"
)

// EnqueueMaintenanceNotice records that window's notice of kind is sent
// and writes entries to the outbox, in one transaction. A notice already
// recorded enqueues nothing, so each window's scheduled, started and
// completed notice goes out once, also across restarts and from several
// callers. It reports whether the notice was new.
func (s *State) EnqueueMaintenanceNotice(ctx context.Context, windowID, kind string, entries []OutboxEntry, now time.Time) (bool, error) {
	var fresh bool
	err := s.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO maintenance_notices (window_id, kind, sent_at_ms) VALUES (?, ?, ?)
			ON CONFLICT (window_id, kind) DO NOTHING`, windowID, kind, toMS(now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		fresh = true
		_, err = enqueueOutbox(ctx, tx, entries, now)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("maintenance %s notice %s: %w", windowID, kind, err)
	}
	return fresh, nil
}

// MaintenanceNoticeSent reports whether window's notice of kind was
// recorded.
func (s *State) MaintenanceNoticeSent(ctx context.Context, windowID, kind string) (bool, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM maintenance_notices WHERE window_id = ? AND kind = ?`,
		windowID, kind).Scan(&n); err != nil {
		return false, fmt.Errorf("maintenance %s notice %s: %w", windowID, kind, err)
	}
	return n > 0, nil
}
