package store

import (
	"context"
	"fmt"
	"time"
)

// RescheduleMaintenance moves window id to [start, end) at time now and
// applies the rule of SLA.md section 3: starting earlier or ending later
// is a new announcement (AnnouncedAt = now) for the whole changed window;
// pure shortening (starting later and/or ending earlier, inside the old
// span) keeps the old AnnouncedAt. Every change adds a revision to the
// window's history; rescheduling to the current span changes nothing.
//
// This applies to a window under way too: extending a running window
// re-announces it, so it will in general no longer be planned; to record
// an overrun, complete the window late instead. Cancelled and completed
// windows cannot be rescheduled.
func (s *State) RescheduleMaintenance(ctx context.Context, id string, start, end, now time.Time) (Maintenance, error) {
	problems := checkSpan(start, end)
	if now.IsZero() {
		problems = append(problems, "reschedule time is missing: pass the server's clock")
	}
	if len(problems) > 0 {
		return Maintenance{}, fmt.Errorf("reschedule maintenance %s: %w", id, invalid(problems))
	}
	start, end, now = start.UTC(), end.UTC(), stamp(now)
	var m Maintenance
	var kind RevisionKind
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		if m, err = getWindow(ctx, tx, id); err != nil {
			return err
		}
		if err := checkOpen(m, "rescheduled"); err != nil {
			return err
		}
		if start.Equal(m.Start) && end.Equal(m.End) {
			return nil
		}
		kind = RevisionShortened
		if start.Before(m.Start) || end.After(m.End) {
			kind = RevisionReannounced
			m.AnnouncedAt = now
		}
		m.Start, m.End = start, end
		if _, err := tx.ExecContext(ctx, `UPDATE maintenance_windows SET start_ms = ?, end_ms = ?, announced_at_ms = ? WHERE id = ?`,
			toMS(m.Start), toMS(m.End), toMS(m.AnnouncedAt), m.ID); err != nil {
			return fmt.Errorf("update window: %w", err)
		}
		return insertRevision(ctx, tx, m, kind, now)
	})
	if err != nil {
		return Maintenance{}, fmt.Errorf("reschedule maintenance: %w", err)
	}
	if kind != "" {
		s.logger.Info("maintenance rescheduled", "id", m.ID, "start", m.Start, "end", m.End, "change", kind, "announced_at", m.AnnouncedAt)
	}
	return m, nil
}

// CompleteMaintenance closes window id at time at, its ActualEnd: before
// End it gives the rest of the window back to normal time, after End the
// overrun is not excluded (SLA.md section 3). at must not be before the
// window's start (cancel a window that never began instead). Completing a
// completed or cancelled window is an error that says when that happened.
func (s *State) CompleteMaintenance(ctx context.Context, id string, at time.Time) (Maintenance, error) {
	if at.IsZero() {
		return Maintenance{}, fmt.Errorf("complete maintenance %s: %w", id, invalid([]string{"completion time is missing: give the time the work ended"}))
	}
	at = stamp(at)
	var m Maintenance
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		if m, err = getWindow(ctx, tx, id); err != nil {
			return err
		}
		if err := checkOpen(m, "completed"); err != nil {
			return err
		}
		if at.Before(m.Start) {
			return fmt.Errorf("maintenance window %s: %w", id, invalid([]string{fmt.Sprintf(
				"completion time %s is before the window's start %s: give a later time, or cancel the window if it never began",
				fmtTime(at), fmtTime(m.Start))}))
		}
		m.ActualEnd = &at
		if _, err := tx.ExecContext(ctx, `UPDATE maintenance_windows SET actual_end_ms = ? WHERE id = ?`, toMS(at), id); err != nil {
			return fmt.Errorf("update window: %w", err)
		}
		return nil
	})
	if err != nil {
		return Maintenance{}, fmt.Errorf("complete maintenance: %w", err)
	}
	s.logger.Info("maintenance completed", "id", m.ID, "actual_end", at, "scheduled_end", m.End)
	return m, nil
}

// CancelMaintenance calls window id off at time at. A cancelled window
// excludes nothing, not even minutes before it was cancelled: its minutes
// are judged like any others. Cancelling a cancelled or completed window is
// an error that says when that happened.
func (s *State) CancelMaintenance(ctx context.Context, id string, at time.Time) (Maintenance, error) {
	if at.IsZero() {
		return Maintenance{}, fmt.Errorf("cancel maintenance %s: %w", id, invalid([]string{"cancellation time is missing: pass the server's clock"}))
	}
	at = stamp(at)
	var m Maintenance
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		if m, err = getWindow(ctx, tx, id); err != nil {
			return err
		}
		if err := checkOpen(m, "cancelled"); err != nil {
			return err
		}
		m.CancelledAt = &at
		if _, err := tx.ExecContext(ctx, `UPDATE maintenance_windows SET cancelled_at_ms = ? WHERE id = ?`, toMS(at), id); err != nil {
			return fmt.Errorf("update window: %w", err)
		}
		return nil
	})
	if err != nil {
		return Maintenance{}, fmt.Errorf("cancel maintenance: %w", err)
	}
	s.logger.Info("maintenance cancelled", "id", m.ID, "cancelled_at", at)
	return m, nil
}

// checkOpen returns an error wrapping ErrConflict when m was already
// completed or cancelled and so cannot be what (rescheduled, completed,
// cancelled).
func checkOpen(m Maintenance, what string) error {
	switch {
	case m.ActualEnd != nil:
		return fmt.Errorf("maintenance window %s: %w: already completed at %s, it cannot be %s", m.ID, ErrConflict, fmtTime(*m.ActualEnd), what)
	case m.CancelledAt != nil:
		return fmt.Errorf("maintenance window %s: %w: already cancelled at %s, it cannot be %s", m.ID, ErrConflict, fmtTime(*m.CancelledAt), what)
	}
	return nil
}
