package store

import (
	"context"
	"fmt"
	"time"
)

// OutboxStatus is where an outbox message stands.
type OutboxStatus string

// The outbox statuses (migrations/0003_outbox.sql shows the moves).
const (
	OutboxPending   OutboxStatus = "pending"   // waiting for its next attempt
	OutboxSending   OutboxStatus = "sending"   // claimed by a worker, in flight
	OutboxSent      OutboxStatus = "sent"      // the provider accepted it
	OutboxFailed    OutboxStatus = "failed"    // given up: permanent error or rejected
	OutboxUncertain OutboxStatus = "uncertain" // the provider may have it: reconcile, never resend blindly
	OutboxCancelled OutboxStatus = "cancelled" // not sent: the recipient was deactivated
)

// OutboxEntry is a notification to write to the outbox.
type OutboxEntry struct {
	Channel   string // "twilio", "webhook", "log"
	Recipient string // E.164 number or URL
	Event     string // "incident.opened", …
	Text      string // the rendered SMS text
	Payload   []byte // JSON for webhooks, may be nil
}

// OutboxMessage is an outbox row.
type OutboxMessage struct {
	ID int64
	OutboxEntry
	Status   OutboxStatus
	Attempts int // how many times a worker claimed it
	// Reconcile is set on a claimed message that was uncertain: the
	// worker must ask the provider before it sends again.
	Reconcile      bool
	NextAttemptAt  *time.Time // nil once no worker will pick it up again
	ClaimedAt      *time.Time // start of the latest send attempt
	LastError      string     // never holds a secret
	ProviderID     string
	ProviderStatus string
	CreatedAt      time.Time
	SentAt         *time.Time
}

// EnqueueOutbox writes entries to the outbox in one transaction, due now,
// and returns their ids in order. Entries for an address its channel has
// deactivated are stored as cancelled. A fan-out of 10,000 entries is one
// prepared statement in one transaction.
func (s *State) EnqueueOutbox(ctx context.Context, entries []OutboxEntry, now time.Time) ([]int64, error) {
	var ids []int64
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		ids, err = enqueueOutbox(ctx, tx, entries, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("enqueue %d notifications: %w", len(entries), err)
	}
	return ids, nil
}

// enqueueOutbox is EnqueueOutbox inside a caller's transaction, so that
// an incident change and its notifications commit together.
func enqueueOutbox(ctx context.Context, tx *txn, entries []OutboxEntry, now time.Time) ([]int64, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	for i, e := range entries {
		if e.Channel == "" || e.Recipient == "" {
			return nil, fmt.Errorf("entry %d: %w: channel and recipient are required", i, ErrInvalid)
		}
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO outbox
		(channel, recipient, event, text, payload, status, attempts, reconcile, next_attempt_at_ms, created_at_ms)
		VALUES (?, ?, ?, ?, ?, 'pending', 0, 0, ?, ?) RETURNING id`)
	if err != nil {
		return nil, fmt.Errorf("prepare insert: %w", err)
	}
	defer stmt.Close()
	ms := toMS(now)
	ids := make([]int64, len(entries))
	for i, e := range entries {
		if err := stmt.QueryRowContext(ctx, e.Channel, e.Recipient, e.Event, e.Text, e.Payload, ms, ms).Scan(&ids[i]); err != nil {
			return nil, fmt.Errorf("insert notification %d: %w", i, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox
		SET status = 'cancelled', next_attempt_at_ms = NULL, last_error = 'recipient deactivated'
		WHERE id >= ? AND status = 'pending' AND EXISTS (
			SELECT 1 FROM recipients r
			WHERE r.channel = outbox.channel AND r.address = outbox.recipient AND r.active = 0)`, ids[0]); err != nil {
		return nil, fmt.Errorf("cancel notifications to deactivated recipients: %w", err)
	}
	return ids, nil
}

// GetOutbox returns one outbox message; the error wraps ErrNotFound when
// there is none.
func (s *State) GetOutbox(ctx context.Context, id int64) (OutboxMessage, error) {
	ms, err := queryOutbox(ctx, s.r, `id = ?`, id)
	if err != nil {
		return OutboxMessage{}, fmt.Errorf("get notification %d: %w", id, err)
	}
	if len(ms) == 0 {
		return OutboxMessage{}, fmt.Errorf("get notification %d: %w", id, ErrNotFound)
	}
	return ms[0], nil
}

// ListOutbox returns the messages with the given status (all when empty),
// oldest first, at most limit (0: no limit).
func (s *State) ListOutbox(ctx context.Context, status OutboxStatus, limit int) ([]OutboxMessage, error) {
	where, args := `1 = 1`, []any{}
	if status != "" {
		where, args = `status = ?`, append(args, string(status))
	}
	if limit > 0 {
		where += ` ORDER BY id LIMIT ?`
		args = append(args, limit)
	} else {
		where += ` ORDER BY id`
	}
	ms, err := queryOutbox(ctx, s.r, where, args...)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return ms, nil
}

// OutboxCounts returns how many messages are in each status, for metrics
// (the backlog is pending + sending + uncertain).
func (s *State) OutboxCounts(ctx context.Context) (map[OutboxStatus]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count notifications: %w", err)
	}
	defer rows.Close()
	out := map[OutboxStatus]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count notifications: %w", err)
		}
		out[OutboxStatus(st)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count notifications: %w", err)
	}
	return out, nil
}
