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

// Subscription is a customer's SMS subscription to one component's
// incidents and maintenance (migrations/0004_subscriptions.sql). Phone is
// E.164; the caller validates it.
type Subscription struct {
	Phone       string
	Component   string
	CreatedAt   time.Time
	ConfirmedAt *time.Time // nil until confirmed
	Active      bool       // cleared by STOP, set again by START
}

// AddSubscription subscribes phone to component, confirmed at once when
// confirmed is set (an operator adding a number vouches for it). Adding an
// existing subscription makes it active again and confirms it if asked;
// CreatedAt stays. It returns the subscription as stored.
func (s *State) AddSubscription(ctx context.Context, phone, component string, confirmed bool, now time.Time) (Subscription, error) {
	phone, component = strings.TrimSpace(phone), strings.TrimSpace(component)
	if phone == "" || component == "" {
		return Subscription{}, fmt.Errorf("add subscription: %w: phone and component are required", ErrInvalid)
	}
	var conf sql.NullInt64
	if confirmed {
		conf = sql.NullInt64{Int64: toMS(now), Valid: true}
	}
	err := s.inTx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (phone, component, created_at_ms, confirmed_at_ms, active)
			VALUES (?, ?, ?, ?, 1)
			ON CONFLICT (phone, component) DO UPDATE SET active = 1,
				confirmed_at_ms = COALESCE(subscriptions.confirmed_at_ms, excluded.confirmed_at_ms)`,
			phone, component, toMS(now), conf)
		return err
	})
	if err != nil {
		return Subscription{}, fmt.Errorf("add subscription of %s to %s: %w", phone, component, err)
	}
	subs, err := querySubscriptions(ctx, s.r, `phone = ? AND component = ?`, phone, component)
	if err != nil || len(subs) == 0 {
		return Subscription{}, fmt.Errorf("add subscription of %s to %s: read back: %w", phone, component, errors.Join(err, ErrNotFound))
	}
	return subs[0], nil
}

// ConfirmSubscription confirms phone's subscription to component; the
// error wraps ErrNotFound when there is none.
func (s *State) ConfirmSubscription(ctx context.Context, phone, component string, now time.Time) error {
	var n int64
	err := s.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET confirmed_at_ms = COALESCE(confirmed_at_ms, ?)
			WHERE phone = ? AND component = ?`, toMS(now), phone, component)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	switch {
	case err != nil:
		return fmt.Errorf("confirm subscription of %s to %s: %w", phone, component, err)
	case n == 0:
		return fmt.Errorf("confirm subscription of %s to %s: %w", phone, component, ErrNotFound)
	}
	return nil
}

// ListSubscriptions returns component's subscriptions (every one when
// component is empty), active or not, by phone.
func (s *State) ListSubscriptions(ctx context.Context, component string) ([]Subscription, error) {
	where, args := `1 = 1`, []any{}
	if component != "" {
		where, args = `component = ?`, []any{component}
	}
	subs, err := querySubscriptions(ctx, s.r, where, args...)
	if err != nil {
		return nil, fmt.Errorf("list subscriptions: %w", err)
	}
	return subs, nil
}

// SubscriberPhones returns the phones with a confirmed, active
// subscription to any of components, each once, sorted: the customer
// recipients of a message about them.
func (s *State) SubscriberPhones(ctx context.Context, components []string) ([]string, error) {
	if len(components) == 0 {
		return nil, nil
	}
	args := make([]any, len(components))
	for i, c := range components {
		args[i] = c
	}
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT phone FROM subscriptions
		WHERE active = 1 AND confirmed_at_ms IS NOT NULL AND component IN (?`+strings.Repeat(", ?", len(components)-1)+`)
		ORDER BY phone`, args...)
	if err != nil {
		return nil, fmt.Errorf("list subscribers: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("list subscribers: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list subscribers: %w", err)
	}
	slices.Sort(out) // in Go: not up to the database's collation
	return out, nil
}

// SetSubscriberActive answers a STOP (active false) or START (active true)
// from phone in one transaction: every subscription of phone and its
// delivery state on channel (see SetRecipientActive: deactivating cancels
// its waiting messages). It returns how many subscriptions phone has.
func (s *State) SetSubscriberActive(ctx context.Context, channel, phone string, active bool, reason string, now time.Time) (int, error) {
	a := 0
	if active {
		a = 1
	}
	var n int64
	err := s.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET active = ? WHERE phone = ?`, a, phone)
		if err != nil {
			return fmt.Errorf("update subscriptions: %w", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return setRecipient(ctx, tx, channel, phone, active, reason, now)
	})
	if err != nil {
		return 0, fmt.Errorf("set subscriber %s active=%v: %w", phone, active, err)
	}
	return int(n), nil
}

// querySubscriptions reads the subscriptions matching where, ordered by
// phone and component.
func querySubscriptions(ctx context.Context, q querier, where string, args ...any) ([]Subscription, error) {
	rows, err := q.QueryContext(ctx, `SELECT phone, component, created_at_ms, confirmed_at_ms, active
		FROM subscriptions WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query subscriptions: %w", err)
	}
	defer rows.Close()
	var out []Subscription
	for rows.Next() {
		var (
			sub     Subscription
			created int64
			conf    sql.NullInt64
			active  int
		)
		if err := rows.Scan(&sub.Phone, &sub.Component, &created, &conf, &active); err != nil {
			return nil, fmt.Errorf("read subscription: %w", err)
		}
		sub.CreatedAt, sub.ConfirmedAt, sub.Active = msTime(created), nullMSTime(conf), active != 0
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read subscriptions: %w", err)
	}
	// In Go: not up to the database's collation.
	slices.SortFunc(out, func(a, b Subscription) int {
		return cmp.Or(strings.Compare(a.Phone, b.Phone), strings.Compare(a.Component, b.Component))
	})
	return out, nil
}
