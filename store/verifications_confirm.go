package store

import (
	"context"
	"crypto/hmac"
	"fmt"
	"time"
)

// VerifyOutcome is what one entered code did to a pending verification.
type VerifyOutcome int

// The outcomes of ConfirmVerification.
const (
	// VerifyConfirmed: the code matched; the verification is gone and the
	// number is a confirmed, active subscriber of its components.
	VerifyConfirmed VerifyOutcome = iota + 1
	// VerifyWrongCode: the code did not match; one attempt is used up.
	VerifyWrongCode
	// VerifyExpired: the code expired; the verification is deleted.
	VerifyExpired
	// VerifyLocked: every attempt is used up; nothing changes until the
	// verification expires or a new code replaces it.
	VerifyLocked
	// VerifyStale: the attempt was made from a form issued before the
	// last attempt (a replayed form); nothing changes.
	VerifyStale
)

// VerifyAttempt is one code entered for a pending verification.
type VerifyAttempt struct {
	ID string
	// SeenAttempts is the attempt count the form was issued at: each form
	// serves one attempt.
	SeenAttempts int
	// CodeHash is the entered code hashed as the stored one was.
	CodeHash []byte
	// MaxAttempts is how many wrong codes lock the verification.
	MaxAttempts int
	// Channel, when set, is the notification channel on which the number
	// is made an active recipient again on confirmation: it has just shown
	// that it receives SMS (see SetRecipientActive).
	Channel string
}

// ConfirmVerification checks attempt against its pending verification in
// one transaction and returns the outcome with the verification as it is
// now (attempts counted). On a match it deletes the verification and
// subscribes the number, confirmed, to every component asked for (an
// existing subscription is made active again). The error wraps
// ErrNotFound when there is no such verification.
func (s *State) ConfirmVerification(ctx context.Context, a VerifyAttempt, now time.Time) (VerifyOutcome, Verification, error) {
	var (
		out VerifyOutcome
		v   Verification
	)
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		if v, err = getVerification(ctx, tx, a.ID); err != nil {
			return err
		}
		switch out = judgeAttempt(v, a, now); out {
		case VerifyExpired:
			_, err = tx.ExecContext(ctx, `DELETE FROM subscribe_verifications WHERE id = ?`, v.ID)
		case VerifyWrongCode:
			v.Attempts++
			_, err = tx.ExecContext(ctx, `UPDATE subscribe_verifications SET attempts = ? WHERE id = ?`, v.Attempts, v.ID)
		case VerifyConfirmed:
			err = confirmSubscriber(ctx, tx, v, a.Channel, now)
		}
		return err
	})
	if err != nil {
		return 0, Verification{}, fmt.Errorf("confirm verification %s: %w", a.ID, err)
	}
	return out, v, nil
}

// judgeAttempt decides the outcome of a against v, without side effects.
func judgeAttempt(v Verification, a VerifyAttempt, now time.Time) VerifyOutcome {
	switch {
	case !now.Before(v.ExpiresAt):
		return VerifyExpired
	case a.SeenAttempts != v.Attempts:
		return VerifyStale
	case v.Attempts >= a.MaxAttempts:
		return VerifyLocked
	case len(a.CodeHash) == 0 || !hmac.Equal(a.CodeHash, v.CodeHash):
		return VerifyWrongCode
	}
	return VerifyConfirmed
}

// confirmSubscriber deletes v and writes its confirmed subscriptions, the
// upsert of AddSubscription with confirmed set.
func confirmSubscriber(ctx context.Context, tx *txn, v Verification, channel string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM subscribe_verifications WHERE id = ?`, v.ID); err != nil {
		return fmt.Errorf("delete verification: %w", err)
	}
	for _, c := range v.Components {
		if _, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (phone, component, created_at_ms, confirmed_at_ms, active)
			VALUES (?, ?, ?, ?, 1)
			ON CONFLICT (phone, component) DO UPDATE SET active = 1,
				confirmed_at_ms = COALESCE(subscriptions.confirmed_at_ms, excluded.confirmed_at_ms)`,
			v.Phone, c, toMS(now), toMS(now)); err != nil {
			return fmt.Errorf("subscribe %s to %s: %w", v.Phone, c, err)
		}
	}
	if channel == "" {
		return nil
	}
	return setRecipient(ctx, tx, channel, v.Phone, true, "", now)
}
