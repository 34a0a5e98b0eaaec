package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"
)

// LimiterState is the state of one token bucket of a rate limit
// (migrations/0006_subscribe_verifications.sql), written through on every
// change so that a restart continues where it stopped instead of handing
// out full buckets again.
type LimiterState struct {
	Scope   string // what is limited, e.g. "ip", "number"
	Subject string // whose bucket, e.g. the address or the number
	Tokens  float64
	At      time.Time // when Tokens was measured
	// FullAt is when the bucket is full again; from then on the state says
	// nothing a fresh bucket would not, and it is swept.
	FullAt time.Time
}

// LoadLimiter returns the stored state of scope's bucket for subject;
// found is false when there is none (a full bucket).
func (s *State) LoadLimiter(ctx context.Context, scope, subject string) (st LimiterState, found bool, err error) {
	var at, full int64
	st = LimiterState{Scope: scope, Subject: subject}
	err = s.r.QueryRowContext(ctx, `SELECT tokens, updated_at_ms, full_at_ms FROM rate_limits WHERE scope = ? AND subject = ?`,
		scope, subject).Scan(&st.Tokens, &at, &full)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return st, false, nil
	case err != nil:
		return LimiterState{}, false, fmt.Errorf("load rate limit %s %s: %w", scope, subject, err)
	}
	st.At, st.FullAt = msTime(at), msTime(full)
	return st, true, nil
}

// SaveLimiters writes states in one transaction and deletes the stored
// states whose buckets are full by now.
func (s *State) SaveLimiters(ctx context.Context, states []LimiterState, now time.Time) error {
	for _, st := range states {
		if st.Scope == "" || st.Subject == "" || math.IsNaN(st.Tokens) || math.IsInf(st.Tokens, 0) {
			return fmt.Errorf("save rate limits: %w: scope %q subject %q tokens %v: scope, subject and finite tokens are required",
				ErrInvalid, st.Scope, st.Subject, st.Tokens)
		}
	}
	err := s.inTx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rate_limits WHERE full_at_ms <= ?`, toMS(now)); err != nil {
			return fmt.Errorf("sweep full buckets: %w", err)
		}
		for _, st := range states {
			if _, err := tx.ExecContext(ctx, `INSERT INTO rate_limits (scope, subject, tokens, updated_at_ms, full_at_ms)
				VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (scope, subject) DO UPDATE SET tokens = excluded.tokens,
					updated_at_ms = excluded.updated_at_ms, full_at_ms = excluded.full_at_ms`,
				st.Scope, st.Subject, st.Tokens, toMS(st.At), toMS(st.FullAt)); err != nil {
				return fmt.Errorf("%s %s: %w", st.Scope, st.Subject, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save rate limits: %w", err)
	}
	return nil
}
