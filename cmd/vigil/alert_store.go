package main

import (
	"context"
	"time"

	"github.com/vigilmon/vigil/alert"
	"github.com/vigilmon/vigil/store"
)

// stateIncidents adapts store.State to alert.IncidentStore (store must
// not import alert, nor alert store).
type stateIncidents struct{ s *store.State }

// SaveIncident implements alert.IncidentStore.
func (a stateIncidents) SaveIncident(ctx context.Context, inc alert.Incident) error {
	return a.s.SaveIncident(ctx, toStore(inc))
}

// ActiveIncidents implements alert.IncidentStore.
func (a stateIncidents) ActiveIncidents(ctx context.Context, since time.Time) ([]alert.Incident, error) {
	incs, err := a.s.ActiveIncidents(ctx, since)
	if err != nil {
		return nil, err
	}
	out := make([]alert.Incident, len(incs))
	for i, inc := range incs {
		out[i] = fromStore(inc)
	}
	return out, nil
}

// toStore converts an incident for the store.
func toStore(inc alert.Incident) store.Incident {
	out := store.Incident{
		ID: inc.ID, Title: inc.Title, Components: inc.Components, Status: string(inc.Status),
		OpenedAt: inc.OpenedAt, ResolvedAt: inc.ResolvedAt, AckedAt: inc.AckedAt, AckedBy: inc.AckedBy,
		InMaintenance: inc.InMaintenance, Announced: inc.Announced, Reopens: inc.Reopens,
		LastPagedAt: inc.LastPagedAt, Version: inc.Version,
	}
	for _, u := range inc.Updates {
		out.Updates = append(out.Updates, store.IncidentUpdate{Seq: u.Seq, At: u.At, Status: string(u.Status), Message: u.Message, Notify: u.Notify})
	}
	return out
}

// fromStore converts a stored incident back.
func fromStore(inc store.Incident) alert.Incident {
	out := alert.Incident{
		ID: inc.ID, Title: inc.Title, Components: inc.Components, Status: alert.Status(inc.Status),
		OpenedAt: inc.OpenedAt, ResolvedAt: inc.ResolvedAt, AckedAt: inc.AckedAt, AckedBy: inc.AckedBy,
		InMaintenance: inc.InMaintenance, Announced: inc.Announced, Reopens: inc.Reopens,
		LastPagedAt: inc.LastPagedAt, Version: inc.Version,
	}
	for _, u := range inc.Updates {
		out.Updates = append(out.Updates, alert.Update{Seq: u.Seq, At: u.At, Status: alert.Status(u.Status), Message: u.Message, Notify: u.Notify})
	}
	return out
}
