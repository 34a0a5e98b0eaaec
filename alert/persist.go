package alert

import (
	"context"
	"fmt"
	"time"
)

// IncidentStore is what alert needs of the state database. The wiring
// adapts store.State to it (store must not import alert, nor alert
// store).
type IncidentStore interface {
	// SaveIncident stores inc as it is now: the incident and every
	// update it has. Saving a snapshot whose Version is already stored
	// changes nothing; an older one is refused.
	SaveIncident(ctx context.Context, inc Incident) error
	// ActiveIncidents returns the open incidents and those resolved at or
	// after resolvedSince, with their updates.
	ActiveIncidents(ctx context.Context, resolvedSince time.Time) ([]Incident, error)
}

// Resume loads the incidents an evaluator goes on with after a restart
// from s (see Restore).
func (e *Evaluator) Resume(ctx context.Context, s IncidentStore) error {
	incs, err := s.ActiveIncidents(ctx, e.clock().Add(-e.policy.ReopenWithin))
	if err != nil {
		return fmt.Errorf("resume incidents: %w", err)
	}
	return e.Restore(incs)
}

// SaveEvents stores the incident of every event, in order. Call it
// before the events are handed to the outbox, so that a message never
// announces an incident the database does not hold.
func SaveEvents(ctx context.Context, s IncidentStore, evs []Event) error {
	for _, ev := range evs {
		if err := s.SaveIncident(ctx, ev.Incident); err != nil {
			return fmt.Errorf("save incident %s: %w", ev.Incident.ID, err)
		}
	}
	return nil
}
