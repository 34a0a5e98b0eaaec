package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// querier is what reads need: the reader pool or a write transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// getWindow reads one window; the error wraps ErrNotFound when there is
// none.
func getWindow(ctx context.Context, q querier, id string) (Maintenance, error) {
	ms, err := queryWindows(ctx, q, `w.id = ?`, id)
	if err != nil {
		return Maintenance{}, fmt.Errorf("maintenance window %s: %w", id, err)
	}
	if len(ms) == 0 {
		return Maintenance{}, fmt.Errorf("maintenance window %s: %w", id, ErrNotFound)
	}
	return ms[0], nil
}

// queryWindows reads the windows matching where (a condition on w, the
// maintenance_windows table) with their components, in one query ordered
// by start and id.
func queryWindows(ctx context.Context, q querier, where string, args ...any) ([]Maintenance, error) {
	rows, err := q.QueryContext(ctx, `SELECT w.id, w.title, w.start_ms, w.end_ms, w.announced_at_ms,
			w.actual_end_ms, w.cancelled_at_ms, w.created_at_ms, c.component
		FROM maintenance_windows w
		LEFT JOIN maintenance_components c ON c.window_id = w.id
		WHERE `+where+`
		ORDER BY w.start_ms, w.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("query windows: %w", err)
	}
	defer rows.Close()
	var ms []Maintenance
	for rows.Next() {
		var (
			m                           Maintenance
			start, end, announced, made int64
			actualEnd, cancelled        sql.NullInt64
			component                   sql.NullString
		)
		if err := rows.Scan(&m.ID, &m.Title, &start, &end, &announced, &actualEnd, &cancelled, &made, &component); err != nil {
			return nil, fmt.Errorf("read window: %w", err)
		}
		if n := len(ms); n == 0 || ms[n-1].ID != m.ID {
			m.Start, m.End = msTime(start), msTime(end)
			m.AnnouncedAt, m.CreatedAt = msTime(announced), msTime(made)
			m.ActualEnd, m.CancelledAt = nullMSTime(actualEnd), nullMSTime(cancelled)
			ms = append(ms, m)
		}
		if component.Valid {
			last := &ms[len(ms)-1]
			last.Components = append(last.Components, component.String)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read windows: %w", err)
	}
	for _, m := range ms {
		slices.Sort(m.Components) // in Go: not up to the database's collation
	}
	return ms, nil
}

// msTime turns Unix milliseconds into a UTC time.
func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// nullMSTime turns nullable Unix milliseconds into a UTC time or nil.
func nullMSTime(ms sql.NullInt64) *time.Time {
	if !ms.Valid {
		return nil
	}
	t := msTime(ms.Int64)
	return &t
}

// toMS turns a time into Unix milliseconds as stored.
func toMS(t time.Time) int64 { return t.UnixMilli() }

// stamp returns t as it is stored and read back: UTC, milliseconds.
func stamp(t time.Time) time.Time { return msTime(toMS(t)) }

// fmtTime formats a time for an error message.
func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
