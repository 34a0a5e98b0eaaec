package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RecoverOutbox is called once when a worker starts, before it claims
// anything: rows still 'sending' were in flight when the previous process
// died, so whether the provider has them is unknown. They become
// 'uncertain', due at now, and the worker reconciles them with the
// provider (never a blind resend). It returns how many rows it moved.
//
// This assumes no other process has messages in flight: true for SQLite,
// which one vigil uses at a time, and on PostgreSQL for an instance that
// has just become the one running the worker (the leader). Called while
// another instance is sending, it makes those messages uncertain too;
// they are then reconciled with the provider, never resent blindly.
func (s *State) RecoverOutbox(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'uncertain', next_attempt_at_ms = ?,
			last_error = 'in flight when vigil stopped'
			WHERE status = 'sending'`, toMS(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("recover in-flight notifications: %w", err)
	}
	if n > 0 {
		s.logger.Warn("notifications in flight at the last stop will be reconciled", "count", n)
	}
	return int(n), nil
}

// ClaimOutbox marks up to limit due messages of channel (pending or
// uncertain, next attempt at or before now) 'sending' and returns them in
// due order. It counts an attempt. A pending message gets ClaimedAt = now
// (the attempt's start); an uncertain one keeps the ClaimedAt of the
// attempt in doubt and comes back with Reconcile set. The claim is
// committed before anything is sent: a crash then leaves the message in
// 'sending', which RecoverOutbox turns into 'uncertain'.
//
// Several workers may claim at once, on PostgreSQL also from several
// vigil instances: each message goes to one of them. There claims run
// beside the writer lock: a claim locks the rows it selects and skips
// rows another transaction holds (FOR UPDATE SKIP LOCKED), so concurrent
// claims neither wait for nor take each other's messages.
func (s *State) ClaimOutbox(ctx context.Context, channel string, now time.Time, limit int) ([]OutboxMessage, error) {
	var out []OutboxMessage
	ms := toMS(now)
	err := s.inClaimTx(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET
				status = 'sending',
				attempts = attempts + 1,
				reconcile = CASE WHEN status = 'uncertain' THEN 1 ELSE 0 END,
				claimed_at_ms = CASE WHEN status = 'uncertain' AND claimed_at_ms IS NOT NULL THEN claimed_at_ms ELSE ? END
			WHERE id IN (
				SELECT id FROM outbox
				WHERE channel = ? AND status IN ('pending', 'uncertain') AND next_attempt_at_ms <= ?
				ORDER BY next_attempt_at_ms, id
				LIMIT ?`+s.d.skipLocked()+`)
			RETURNING `+outboxColumns, ms, channel, ms, limit)
		if err != nil {
			return err
		}
		out, err = scanOutbox(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim notifications: %w", err)
	}
	slices.SortFunc(out, func(a, b OutboxMessage) int {
		return cmp.Or(a.NextAttemptAt.Compare(*b.NextAttemptAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// OutboxOutcome is what happened to a claimed message.
type OutboxOutcome struct {
	ID     int64
	Status OutboxStatus // sent, pending (retry), failed, uncertain, cancelled
	// NextAttemptAt is when a pending or uncertain message is due again;
	// zero leaves an uncertain message for a human (no reconciler).
	NextAttemptAt time.Time
	// ClaimedAt, when set, replaces the attempt's start (a resend after a
	// reconciliation found nothing).
	ClaimedAt      time.Time
	Error          string // free of secrets
	ProviderID     string
	ProviderStatus string
	At             time.Time // when it was decided; SentAt for sent
	// Deactivate, when set, deactivates the message's recipient on its
	// channel with this reason and cancels its other waiting messages.
	Deactivate string
}

// FinishOutbox records outcomes of claimed messages, in one transaction.
func (s *State) FinishOutbox(ctx context.Context, outcomes []OutboxOutcome) error {
	if len(outcomes) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *txn) error {
		upd, err := tx.PrepareContext(ctx, `UPDATE outbox SET status = ?, next_attempt_at_ms = ?,
				claimed_at_ms = COALESCE(?, claimed_at_ms), last_error = ?,
				provider_id = COALESCE(?, provider_id), provider_status = COALESCE(?, provider_status),
				sent_at_ms = COALESCE(?, sent_at_ms)
			WHERE id = ? AND status = 'sending'`)
		if err != nil {
			return fmt.Errorf("prepare update: %w", err)
		}
		defer upd.Close()
		for _, o := range outcomes {
			var next, claimed, sent sql.NullInt64
			if !o.NextAttemptAt.IsZero() && (o.Status == OutboxPending || o.Status == OutboxUncertain) {
				next = sql.NullInt64{Int64: toMS(o.NextAttemptAt), Valid: true}
			}
			if !o.ClaimedAt.IsZero() {
				claimed = sql.NullInt64{Int64: toMS(o.ClaimedAt), Valid: true}
			}
			if o.Status == OutboxSent {
				sent = sql.NullInt64{Int64: toMS(o.At), Valid: true}
			}
			if _, err := upd.ExecContext(ctx, string(o.Status), next, claimed, o.Error,
				nullString(o.ProviderID), nullString(o.ProviderStatus), sent, o.ID); err != nil {
				return fmt.Errorf("record notification %d: %w", o.ID, err)
			}
			if o.Deactivate != "" {
				if err := deactivateByMessage(ctx, tx, o.ID, o.Deactivate, o.At); err != nil {
					return err
				}
			}
		}
		return applyEarlyStatuses(ctx, tx, outcomes)
	})
	if err != nil {
		return fmt.Errorf("record %d notification outcomes: %w", len(outcomes), err)
	}
	return nil
}

// nullString maps "" to NULL.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// earlyLookupChunk bounds the ids one look-up of early statuses names.
const earlyLookupChunk = 100

// applyEarlyStatuses moves delivery statuses that arrived before the
// provider ids of outcomes were recorded onto their messages, looking
// them up for the whole batch at once: most batches have none.
func applyEarlyStatuses(ctx context.Context, tx *txn, outcomes []OutboxOutcome) error {
	var ids []any
	for _, o := range outcomes {
		if o.ProviderID != "" {
			ids = append(ids, o.ProviderID)
		}
	}
	early := map[string]string{} // provider id → status
	for chunk := range slices.Chunk(ids, earlyLookupChunk) {
		rows, err := tx.QueryContext(ctx, `SELECT provider_id, status FROM early_provider_status
			WHERE provider_id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, chunk...)
		if err != nil {
			return fmt.Errorf("look up early statuses: %w", err)
		}
		for rows.Next() {
			var id, status string
			if err := rows.Scan(&id, &status); err != nil {
				rows.Close()
				return fmt.Errorf("read early status: %w", err)
			}
			early[id] = status
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("read early statuses: %w", err)
		}
	}
	for _, o := range outcomes {
		status, ok := early[o.ProviderID]
		if !ok {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET provider_status = ? WHERE id = ?`, status, o.ID); err != nil {
			return fmt.Errorf("apply early status to notification %d: %w", o.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM early_provider_status WHERE provider_id = ?`, o.ProviderID); err != nil {
			return fmt.Errorf("drop early status of %s: %w", o.ProviderID, err)
		}
		delete(early, o.ProviderID)
	}
	return nil
}
