package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Recipient is an address's delivery state on one channel. An address
// without a row is active.
type Recipient struct {
	Channel, Address  string
	Active            bool
	DeactivatedReason string
	ChangedAt         time.Time
}

// SetRecipientActive activates or deactivates address on channel (STOP,
// START, a permanent provider error). Deactivating also cancels the
// address's waiting messages (pending or uncertain).
func (s *State) SetRecipientActive(ctx context.Context, channel, address string, active bool, reason string, now time.Time) error {
	err := s.inTx(ctx, func(tx *txn) error {
		return setRecipient(ctx, tx, channel, address, active, reason, now)
	})
	if err != nil {
		return fmt.Errorf("set recipient %s %s active=%v: %w", channel, address, active, err)
	}
	return nil
}

// GetRecipient returns address's state on channel; an address never
// deactivated is active.
func (s *State) GetRecipient(ctx context.Context, channel, address string) (Recipient, error) {
	r := Recipient{Channel: channel, Address: address, Active: true}
	var active int
	var changed int64
	err := s.r.QueryRowContext(ctx, `SELECT active, deactivated_reason, changed_at_ms FROM recipients WHERE channel = ? AND address = ?`,
		channel, address).Scan(&active, &r.DeactivatedReason, &changed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return r, nil
	case err != nil:
		return Recipient{}, fmt.Errorf("get recipient %s %s: %w", channel, address, err)
	}
	r.Active, r.ChangedAt = active != 0, msTime(changed)
	return r, nil
}

// setRecipient upserts a recipient row and cancels waiting messages when
// it deactivates.
func setRecipient(ctx context.Context, tx *txn, channel, address string, active bool, reason string, now time.Time) error {
	a := 0
	if active {
		a, reason = 1, ""
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO recipients (channel, address, active, deactivated_reason, changed_at_ms)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (channel, address) DO UPDATE SET active = excluded.active,
			deactivated_reason = excluded.deactivated_reason, changed_at_ms = excluded.changed_at_ms`,
		channel, address, a, reason, toMS(now)); err != nil {
		return fmt.Errorf("upsert recipient: %w", err)
	}
	if active {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'cancelled', next_attempt_at_ms = NULL,
			last_error = ?
		WHERE channel = ? AND recipient = ? AND status IN ('pending', 'uncertain')`,
		"recipient deactivated: "+reason, channel, address); err != nil {
		return fmt.Errorf("cancel waiting notifications: %w", err)
	}
	return nil
}

// deactivateByMessage deactivates the recipient of message id.
func deactivateByMessage(ctx context.Context, tx *txn, id int64, reason string, now time.Time) error {
	var channel, address string
	if err := tx.QueryRowContext(ctx, `SELECT channel, recipient FROM outbox WHERE id = ?`, id).Scan(&channel, &address); err != nil {
		return fmt.Errorf("notification %d: %w", id, err)
	}
	if err := setRecipient(ctx, tx, channel, address, false, reason, now); err != nil {
		return fmt.Errorf("deactivate recipient of notification %d: %w", id, err)
	}
	return nil
}

// finalProviderStatuses are delivery statuses no later callback replaces
// with an earlier one (callbacks can arrive out of order).
var finalProviderStatuses = []any{"delivered", "undelivered", "failed", "read", "canceled"}

// SetOutboxProviderStatus records a delivery status the provider reported
// (a Twilio status callback) for the message with providerID. A final
// status (delivered, undelivered, failed, read, canceled) is never
// replaced by a non-final one. A status for an id no message has yet (the
// callback beat the send's recorded outcome) is kept until FinishOutbox
// records that id. It reports whether the status was recorded.
func (s *State) SetOutboxProviderStatus(ctx context.Context, providerID, status string) (bool, error) {
	final := false
	for _, f := range finalProviderStatuses {
		final = final || f == status
	}
	q := `UPDATE outbox SET provider_status = ? WHERE provider_id = ?`
	args := []any{status, providerID}
	if !final {
		q += ` AND (provider_status IS NULL OR provider_status NOT IN (?, ?, ?, ?, ?))`
		args = append(args, finalProviderStatuses...)
	}
	var n int64
	err := s.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if n == 0 && !final {
			// Matched but kept (a final status is recorded) also counts.
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE provider_id = ?`, providerID).Scan(&n); err != nil {
				return err
			}
		}
		if n > 0 {
			return nil
		}
		// No message has this id yet: the callback beat the send's
		// recorded outcome. Keep it (a final status over an earlier one)
		// until FinishOutbox records the id.
		n = 1
		_, err = tx.ExecContext(ctx, `INSERT INTO early_provider_status (provider_id, status, final, received_at_ms)
			VALUES (?, ?, ?, ?)
			ON CONFLICT (provider_id) DO UPDATE SET status = excluded.status, final = excluded.final,
				received_at_ms = excluded.received_at_ms
			WHERE early_provider_status.final = 0`, providerID, status, sqlFlag(final), toMS(time.Now()))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("record provider status of %s: %w", providerID, err)
	}
	return n > 0, nil
}
