package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Incident is an incident as stored: the state the alert package's
// evaluator decided, and its timeline. All times are UTC with millisecond
// precision. The alert package owns the rules; the store checks only
// what keeps the records consistent.
type Incident struct {
	ID         string // "inc-…", set by the evaluator
	Title      string
	Components []string // sorted, without duplicates
	Status     string   // IncidentStatuses
	OpenedAt   time.Time
	ResolvedAt *time.Time // set exactly when Status is "resolved"
	AckedAt    *time.Time
	AckedBy    string
	// InMaintenance: opened during planned maintenance, nobody paged yet.
	InMaintenance bool
	// Announced: customer subscribers were told it is open, not yet that
	// it is over.
	Announced   bool
	Reopens     int
	LastPagedAt *time.Time
	// Version grows with every change (at least 1); see SaveIncident.
	Version int
	Updates []IncidentUpdate // oldest first, Seq 1, 2, 3 …
}

// IncidentUpdate is one entry of an incident's timeline.
type IncidentUpdate struct {
	Seq     int
	At      time.Time
	Status  string
	Message string
	Notify  bool // sent to customer subscribers
}

// IncidentStatuses are the statuses an incident and an update may have
// (Statuspage's vocabulary).
var IncidentStatuses = []string{"investigating", "identified", "monitoring", "resolved"}

// SaveIncident stores inc as it is now, in one transaction: a new
// incident is inserted with its components and updates; a known one is
// brought up to inc's state and its new updates (Seq above those stored)
// are appended. Saving the version already stored changes nothing, so
// saving an event twice is harmless.
//
// The error wraps ErrInvalid when inc breaks a rule (listing every
// problem), and ErrConflict when it is older than what is stored (a lower
// Version, fewer updates), or when its id belongs to another incident
// (another OpenedAt).
func (s *State) SaveIncident(ctx context.Context, inc Incident) error {
	inc, err := normalizeIncident(inc)
	if err != nil {
		return fmt.Errorf("save incident %s: %w", inc.ID, err)
	}
	var inserted bool
	err = s.inTx(ctx, func(tx *txn) error {
		var err error
		inserted, _, err = saveIncident(ctx, tx, inc)
		return err
	})
	if err != nil {
		return fmt.Errorf("save incident %s: %w", inc.ID, err)
	}
	if inserted {
		s.logger.Info("incident recorded", "id", inc.ID, "components", inc.Components, "status", inc.Status, "in_maintenance", inc.InMaintenance)
	}
	return nil
}

// GetIncident returns the incident with the given id and its updates; the
// error wraps ErrNotFound when there is none.
func (s *State) GetIncident(ctx context.Context, id string) (Incident, error) {
	incs, err := s.queryIncidents(ctx, `i.id = ?`, id)
	if err != nil {
		return Incident{}, fmt.Errorf("get incident %s: %w", id, err)
	}
	if len(incs) == 0 {
		return Incident{}, fmt.Errorf("get incident %s: %w", id, ErrNotFound)
	}
	return incs[0], nil
}

// ListIncidents returns the incidents whose span overlaps [from, to),
// with their updates, ordered by OpenedAt (then id). An incident's span
// is [OpenedAt, ResolvedAt), open-ended while it is open.
func (s *State) ListIncidents(ctx context.Context, from, to time.Time) ([]Incident, error) {
	if !from.Before(to) {
		return nil, fmt.Errorf("list incidents: %w: from %s is not before to %s: give a non-empty range",
			ErrInvalid, from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	incs, err := s.queryIncidents(ctx, `i.opened_at_ms < ? AND (i.resolved_at_ms IS NULL OR i.resolved_at_ms > ?)`, ceilMS(to), toMS(from))
	if err != nil {
		return nil, fmt.Errorf("list incidents: %w", err)
	}
	return incs, nil
}

// ActiveIncidents returns the open incidents and those resolved at or
// after resolvedSince, with their updates, ordered by OpenedAt: what the
// alert evaluator resumes with after a restart.
func (s *State) ActiveIncidents(ctx context.Context, resolvedSince time.Time) ([]Incident, error) {
	incs, err := s.queryIncidents(ctx, `i.resolved_at_ms IS NULL OR i.resolved_at_ms >= ?`, toMS(resolvedSince))
	if err != nil {
		return nil, fmt.Errorf("active incidents: %w", err)
	}
	return incs, nil
}

// saveIncident is SaveIncident's work inside a caller's transaction, for a
// normalized inc. It reports whether the incident was new and whether
// anything was written (false when inc's version was stored already).
func saveIncident(ctx context.Context, tx *txn, inc Incident) (inserted, changed bool, err error) {
	var version, seqs int
	var opened int64
	err = tx.QueryRowContext(ctx, `SELECT i.version, i.opened_at_ms,
			(SELECT COALESCE(MAX(u.seq), 0) FROM incident_updates u WHERE u.incident_id = i.id)
		FROM incidents i WHERE i.id = ?`, inc.ID).Scan(&version, &opened, &seqs)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return true, true, insertIncident(ctx, tx, inc)
	case err != nil:
		return false, false, fmt.Errorf("read incident: %w", err)
	case opened != toMS(inc.OpenedAt):
		return false, false, fmt.Errorf("%w: id %s already belongs to the incident opened at %s: give this one another id",
			ErrConflict, inc.ID, fmtTime(msTime(opened)))
	case inc.Version < version || len(inc.Updates) < seqs:
		return false, false, fmt.Errorf("%w: version %d with %d updates is older than the stored version %d with %d updates: save the incident's latest state",
			ErrConflict, inc.Version, len(inc.Updates), version, seqs)
	case inc.Version == version:
		return false, false, nil // saved already
	}
	return false, true, updateIncident(ctx, tx, inc, seqs)
}
