package store

import (
	"context"
	"fmt"
	"time"
)

// Maintenance is a maintenance window (SLA.md section 3) as stored.
//
// Start and End are the scheduled whole minutes, in UTC. AnnouncedAt is
// the announcement the current schedule counts from: vigil sets it when the
// window is scheduled and again when a reschedule starts it earlier or ends
// it later; callers never set it. ActualEnd is set when an operator closes
// the window (before End: the rest is given back; after End: an overrun,
// which the SLA does not exclude). CancelledAt is set when the window is
// called off; a cancelled window excludes nothing, even the minutes before
// it was cancelled. All times are UTC with millisecond precision.
type Maintenance struct {
	ID          string
	Title       string
	Components  []string // sorted, without duplicates
	Start, End  time.Time
	AnnouncedAt time.Time
	ActualEnd   *time.Time
	CancelledAt *time.Time
	CreatedAt   time.Time
}

// ScheduleMaintenance stores a new window and announces it at now (the
// server's clock, never the caller's say): it sets ID, AnnouncedAt and
// CreatedAt, which m must leave empty, and records revision 1 of the
// window's history. m needs a title, at least one component, and whole
// minutes with End after Start.
//
// A window starting in the past is accepted: recording an emergency after
// the fact is legitimate, and it is simply unplanned, since its
// announcement comes after start − notice.
func (s *State) ScheduleMaintenance(ctx context.Context, m Maintenance, now time.Time) (Maintenance, error) {
	m, err := newWindow(m, now)
	if err != nil {
		return Maintenance{}, fmt.Errorf("schedule maintenance: %w", err)
	}
	err = s.inTx(ctx, func(tx *txn) error {
		id, err := newWindowID(ctx, tx)
		if err != nil {
			return err
		}
		m.ID = id
		if _, err := tx.ExecContext(ctx, `INSERT INTO maintenance_windows
			(id, title, start_ms, end_ms, announced_at_ms, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)`,
			m.ID, m.Title, toMS(m.Start), toMS(m.End), toMS(m.AnnouncedAt), toMS(m.CreatedAt)); err != nil {
			return fmt.Errorf("insert window: %w", err)
		}
		for _, c := range m.Components {
			if _, err := tx.ExecContext(ctx, `INSERT INTO maintenance_components (window_id, component) VALUES (?, ?)`, m.ID, c); err != nil {
				return fmt.Errorf("insert component %q: %w", c, err)
			}
		}
		return insertRevision(ctx, tx, m, RevisionAnnounced, m.AnnouncedAt)
	})
	if err != nil {
		return Maintenance{}, fmt.Errorf("schedule maintenance: %w", err)
	}
	s.logger.Info("maintenance scheduled", "id", m.ID, "start", m.Start, "end", m.End, "components", m.Components, "announced_at", m.AnnouncedAt)
	return m, nil
}

// GetMaintenance returns the window with the given id; the error wraps
// ErrNotFound when there is none.
func (s *State) GetMaintenance(ctx context.Context, id string) (Maintenance, error) {
	m, err := getWindow(ctx, s.r, id)
	if err != nil {
		return Maintenance{}, fmt.Errorf("get maintenance: %w", err)
	}
	return m, nil
}

// ListMaintenance returns the windows whose span overlaps [from, to),
// ordered by start (then id). A window's span is [Start, End), extended to
// ActualEnd when it overran. Cancelled windows are left out unless
// includeCancelled is set.
func (s *State) ListMaintenance(ctx context.Context, from, to time.Time, includeCancelled bool) ([]Maintenance, error) {
	if !from.Before(to) {
		return nil, fmt.Errorf("list maintenance: %w: from %s is not before to %s: give a non-empty range",
			ErrInvalid, from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	where := `w.start_ms < ? AND (w.end_ms > ? OR w.actual_end_ms > ?)`
	args := []any{ceilMS(to), toMS(from), toMS(from)}
	if !includeCancelled {
		where += ` AND w.cancelled_at_ms IS NULL`
	}
	ms, err := queryWindows(ctx, s.r, where, args...)
	if err != nil {
		return nil, fmt.Errorf("list maintenance: %w", err)
	}
	return ms, nil
}

// ceilMS returns t in Unix milliseconds, rounded up, so that an exclusive
// upper bound with a sub-millisecond part keeps the millisecond it is in.
func ceilMS(t time.Time) int64 {
	ms := t.UnixMilli()
	if time.UnixMilli(ms).Before(t) {
		ms++
	}
	return ms
}
