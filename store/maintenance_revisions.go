package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// RevisionKind says how a window's schedule came to be.
type RevisionKind string

// The kinds of revision.
const (
	// RevisionAnnounced is the first schedule, announced when the window
	// was scheduled.
	RevisionAnnounced RevisionKind = "announced"
	// RevisionReannounced is a reschedule that started the window earlier
	// or ended it later: a new announcement.
	RevisionReannounced RevisionKind = "reannounced"
	// RevisionShortened is a reschedule inside the previous span: it keeps
	// the previous announcement.
	RevisionShortened RevisionKind = "shortened"
)

// MaintenanceRevision is one schedule a window has had, for audits: what
// was announced when.
type MaintenanceRevision struct {
	WindowID string
	Revision int // 1, 2, 3 … in the order of the changes
	Kind     RevisionKind
	// Start and End are the schedule of this revision.
	Start, End time.Time
	// AnnouncedAt is the announcement this schedule counts from: equal to
	// RecordedAt for an announcement, the previous one for a shortening.
	AnnouncedAt time.Time
	// RecordedAt is when the change was made.
	RecordedAt time.Time
}

// MaintenanceRevisions returns the history of window id, oldest first; the
// error wraps ErrNotFound when there is no such window.
func (s *State) MaintenanceRevisions(ctx context.Context, id string) ([]MaintenanceRevision, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.revision, r.kind, r.start_ms, r.end_ms, r.announced_at_ms, r.recorded_at_ms
		FROM maintenance_windows w
		LEFT JOIN maintenance_revisions r ON r.window_id = w.id
		WHERE w.id = ?
		ORDER BY r.revision`, id)
	if err != nil {
		return nil, fmt.Errorf("maintenance revisions of %s: %w", id, err)
	}
	defer rows.Close()
	var (
		revs  []MaintenanceRevision
		found bool
	)
	for rows.Next() {
		found = true
		var (
			rev                             sql.NullInt64
			kind                            sql.NullString
			start, end, announced, recorded sql.NullInt64
		)
		if err := rows.Scan(&rev, &kind, &start, &end, &announced, &recorded); err != nil {
			return nil, fmt.Errorf("maintenance revisions of %s: %w", id, err)
		}
		if !rev.Valid {
			continue
		}
		revs = append(revs, MaintenanceRevision{
			WindowID:    id,
			Revision:    int(rev.Int64),
			Kind:        RevisionKind(kind.String),
			Start:       msTime(start.Int64),
			End:         msTime(end.Int64),
			AnnouncedAt: msTime(announced.Int64),
			RecordedAt:  msTime(recorded.Int64),
		})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("maintenance revisions of %s: %w", id, err)
	}
	if !found {
		return nil, fmt.Errorf("maintenance revisions: maintenance window %s: %w", id, ErrNotFound)
	}
	return revs, nil
}

// insertRevision records m's current schedule as the window's next
// revision, made at recorded.
func insertRevision(ctx context.Context, tx *txn, m Maintenance, kind RevisionKind, recorded time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO maintenance_revisions
		(window_id, revision, kind, start_ms, end_ms, announced_at_ms, recorded_at_ms)
		SELECT ?, COALESCE(MAX(revision), 0) + 1, ?, ?, ?, ?, ?
		FROM maintenance_revisions WHERE window_id = ?`,
		m.ID, string(kind), toMS(m.Start), toMS(m.End), toMS(m.AnnouncedAt), toMS(recorded), m.ID)
	if err != nil {
		return fmt.Errorf("insert revision: %w", err)
	}
	return nil
}
