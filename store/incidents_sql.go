package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// insertIncident inserts a new incident with its components and updates.
func insertIncident(ctx context.Context, tx *txn, inc Incident) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO incidents
		(id, title, status, opened_at_ms, resolved_at_ms, acked_at_ms, acked_by, in_maintenance, announced, reopens, last_paged_at_ms, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		inc.ID, inc.Title, inc.Status, toMS(inc.OpenedAt), incidentNullMS(inc.ResolvedAt), incidentNullMS(inc.AckedAt), inc.AckedBy,
		sqlFlag(inc.InMaintenance), sqlFlag(inc.Announced), inc.Reopens, incidentNullMS(inc.LastPagedAt), inc.Version); err != nil {
		return fmt.Errorf("insert incident: %w", err)
	}
	if err := insertIncidentComponents(ctx, tx, inc); err != nil {
		return err
	}
	return insertIncidentUpdates(ctx, tx, inc, 0)
}

// updateIncident brings a stored incident, whose updates run to seq
// stored, up to inc.
func updateIncident(ctx context.Context, tx *txn, inc Incident, stored int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE incidents SET title = ?, status = ?, resolved_at_ms = ?, acked_at_ms = ?, acked_by = ?,
		in_maintenance = ?, announced = ?, reopens = ?, last_paged_at_ms = ?, version = ? WHERE id = ?`,
		inc.Title, inc.Status, incidentNullMS(inc.ResolvedAt), incidentNullMS(inc.AckedAt), inc.AckedBy,
		sqlFlag(inc.InMaintenance), sqlFlag(inc.Announced), inc.Reopens, incidentNullMS(inc.LastPagedAt), inc.Version, inc.ID); err != nil {
		return fmt.Errorf("update incident: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM incident_components WHERE incident_id = ?`, inc.ID); err != nil {
		return fmt.Errorf("replace components: %w", err)
	}
	if err := insertIncidentComponents(ctx, tx, inc); err != nil {
		return err
	}
	return insertIncidentUpdates(ctx, tx, inc, stored)
}

// insertIncidentComponents inserts inc's components.
func insertIncidentComponents(ctx context.Context, tx *txn, inc Incident) error {
	for _, c := range inc.Components {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_components (incident_id, component) VALUES (?, ?)`, inc.ID, c); err != nil {
			return fmt.Errorf("insert component %q: %w", c, err)
		}
	}
	return nil
}

// insertIncidentUpdates inserts inc's updates after the first stored.
func insertIncidentUpdates(ctx context.Context, tx *txn, inc Incident, stored int) error {
	for _, u := range inc.Updates[stored:] {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_updates (incident_id, seq, at_ms, status, message, notify) VALUES (?, ?, ?, ?, ?, ?)`,
			inc.ID, u.Seq, toMS(u.At), u.Status, u.Message, sqlFlag(u.Notify)); err != nil {
			return fmt.Errorf("insert update %d: %w", u.Seq, err)
		}
	}
	return nil
}

// queryIncidents reads the incidents matching where (a condition on i,
// the incidents table) with their components and updates, ordered by
// OpenedAt and id. It reads in one transaction, so that the three
// queries see the same state.
func (s *State) queryIncidents(ctx context.Context, where string, args ...any) ([]Incident, error) {
	tx, err := s.r.begin(ctx, s.d.snapshotTx())
	if err != nil {
		return nil, fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback() // read only: nothing to commit
	incs, pos, err := readIncidents(ctx, tx, where, args...)
	if err != nil || len(incs) == 0 {
		return incs, err
	}
	sub := `SELECT i.id FROM incidents i WHERE ` + where
	rows, err := tx.QueryContext(ctx, `SELECT incident_id, component FROM incident_components WHERE incident_id IN (`+sub+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("query incident components: %w", err)
	}
	err = scanIncidentRows(rows, func() error {
		var id, c string
		if err := rows.Scan(&id, &c); err != nil {
			return err
		}
		if i, ok := pos[id]; ok {
			incs[i].Components = append(incs[i].Components, c)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read incident components: %w", err)
	}
	rows, err = tx.QueryContext(ctx, `SELECT incident_id, seq, at_ms, status, message, notify FROM incident_updates
		WHERE incident_id IN (`+sub+`) ORDER BY incident_id, seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("query incident updates: %w", err)
	}
	err = scanIncidentRows(rows, func() error {
		var (
			id     string
			u      IncidentUpdate
			at     int64
			notify int
		)
		if err := rows.Scan(&id, &u.Seq, &at, &u.Status, &u.Message, &notify); err != nil {
			return err
		}
		u.At, u.Notify = msTime(at), notify != 0
		if i, ok := pos[id]; ok {
			incs[i].Updates = append(incs[i].Updates, u)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read incident updates: %w", err)
	}
	for i := range incs {
		slices.Sort(incs[i].Components) // in Go: not up to the database's collation
	}
	return incs, nil
}

// readIncidents reads the incident rows matching where, and their
// positions in the result by id.
func readIncidents(ctx context.Context, q querier, where string, args ...any) ([]Incident, map[string]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.id, i.title, i.status, i.opened_at_ms, i.resolved_at_ms, i.acked_at_ms, i.acked_by,
			i.in_maintenance, i.announced, i.reopens, i.last_paged_at_ms, i.version
		FROM incidents i WHERE `+where+` ORDER BY i.opened_at_ms, i.id`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("query incidents: %w", err)
	}
	var incs []Incident
	pos := map[string]int{}
	err = scanIncidentRows(rows, func() error {
		var (
			inc                      Incident
			opened                   int64
			resolved, acked, paged   sql.NullInt64
			inMaintenance, announced int
		)
		if err := rows.Scan(&inc.ID, &inc.Title, &inc.Status, &opened, &resolved, &acked, &inc.AckedBy,
			&inMaintenance, &announced, &inc.Reopens, &paged, &inc.Version); err != nil {
			return err
		}
		inc.OpenedAt = msTime(opened)
		inc.ResolvedAt, inc.AckedAt, inc.LastPagedAt = nullMSTime(resolved), nullMSTime(acked), nullMSTime(paged)
		inc.InMaintenance, inc.Announced = inMaintenance != 0, announced != 0
		pos[inc.ID] = len(incs)
		incs = append(incs, inc)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read incidents: %w", err)
	}
	return incs, pos, nil
}

// scanIncidentRows calls scan for every row and closes rows.
func scanIncidentRows(rows *sql.Rows, scan func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := scan(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// incidentNullMS turns an optional time into nullable Unix milliseconds.
func incidentNullMS(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: toMS(*t), Valid: true}
}

// sqlFlag stores a bool as SMALLINT 0 or 1.
func sqlFlag(b bool) int {
	if b {
		return 1
	}
	return 0
}
