package store

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Verification is the pending confirmation of a self-service SMS
// subscription (migrations/0006_subscribe_verifications.sql): the number,
// the components asked for and a hash of the code sent by SMS. It is all
// that is stored about a would-be subscriber before the code is confirmed.
type Verification struct {
	ID         string // random, names the verification in the form
	Phone      string // E.164; the caller validates it
	Components []string
	CodeHash   []byte // keyed hash of the code, never the code
	CreatedAt  time.Time
	ExpiresAt  time.Time
	Attempts   int // wrong codes entered so far
}

// SaveVerification stores v as its number's pending verification,
// replacing an earlier one (whose code then stops working), and deletes
// the verifications that expired by now.
func (s *State) SaveVerification(ctx context.Context, v Verification, now time.Time) error {
	if err := checkVerification(v); err != nil {
		return fmt.Errorf("save verification: %w", err)
	}
	err := s.inTx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM subscribe_verifications WHERE expires_at_ms <= ?`, toMS(now)); err != nil {
			return fmt.Errorf("sweep expired: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO subscribe_verifications
			(id, phone, components, code_hash, created_at_ms, expires_at_ms, attempts)
			VALUES (?, ?, ?, ?, ?, ?, 0)
			ON CONFLICT (phone) DO UPDATE SET id = excluded.id, components = excluded.components,
				code_hash = excluded.code_hash, created_at_ms = excluded.created_at_ms,
				expires_at_ms = excluded.expires_at_ms, attempts = 0`,
			v.ID, v.Phone, strings.Join(v.Components, ","), hex.EncodeToString(v.CodeHash),
			toMS(v.CreatedAt), toMS(v.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("save verification for %s: %w", v.Phone, err)
	}
	return nil
}

// checkVerification lists what is missing or malformed in v.
func checkVerification(v Verification) error {
	var problems []string
	if v.ID == "" || v.Phone == "" || len(v.CodeHash) == 0 {
		problems = append(problems, "id, phone and code hash are required")
	}
	if len(v.Components) == 0 {
		problems = append(problems, "at least one component is required")
	}
	for _, c := range v.Components {
		if c == "" || strings.Contains(c, ",") {
			problems = append(problems, fmt.Sprintf("component %q is empty or holds a comma", c))
		}
	}
	if !v.ExpiresAt.After(v.CreatedAt) {
		problems = append(problems, "it must expire after it was created")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

// GetVerification returns the pending verification id; the error wraps
// ErrNotFound when there is none (never was, replaced, confirmed, or
// expired and swept).
func (s *State) GetVerification(ctx context.Context, id string) (Verification, error) {
	v, err := getVerification(ctx, s.r, id)
	if err != nil {
		return Verification{}, fmt.Errorf("get verification %s: %w", id, err)
	}
	return v, nil
}

// DeleteVerification forgets the pending verification id, for example
// when its SMS could not be sent; deleting one that is gone is no error.
func (s *State) DeleteVerification(ctx context.Context, id string) error {
	err := s.inTx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM subscribe_verifications WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete verification %s: %w", id, err)
	}
	return nil
}

// getVerification reads one verification; the error wraps ErrNotFound.
func getVerification(ctx context.Context, q querier, id string) (Verification, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, phone, components, code_hash, created_at_ms, expires_at_ms, attempts
		FROM subscribe_verifications WHERE id = ?`, id)
	if err != nil {
		return Verification{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		return Verification{}, errors.Join(rows.Err(), ErrNotFound)
	}
	var (
		v                Verification
		comps, hash      string
		created, expires int64
	)
	if err := rows.Scan(&v.ID, &v.Phone, &comps, &hash, &created, &expires, &v.Attempts); err != nil {
		return Verification{}, fmt.Errorf("read verification: %w", err)
	}
	if v.CodeHash, err = hex.DecodeString(hash); err != nil {
		return Verification{}, fmt.Errorf("read verification: code hash: %w", err)
	}
	v.Components = strings.Split(comps, ",")
	v.CreatedAt, v.ExpiresAt = msTime(created), msTime(expires)
	return v, rows.Err()
}
