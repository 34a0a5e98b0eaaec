package main

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/vigilmon/vigil/alert"
	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/store"
)

// liveIncidents implements api.Incidents for the daemon: reads merge the
// evaluator's in-memory incidents (authoritative while it runs) over the
// state database; operations go to the evaluator's goroutine.
type liveIncidents struct {
	a  *alerter
	st *store.State
}

// List implements api.Incidents.
func (l liveIncidents) List(ctx context.Context, from, to time.Time) ([]store.Incident, error) {
	stored, err := l.st.ListIncidents(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var mem []alert.Incident
	err = l.a.do(ctx, func(e *alert.Evaluator) ([]alert.Event, error) {
		mem = e.Incidents()
		return nil, nil
	})
	switch {
	case errors.Is(err, api.ErrStandby):
		return stored, nil // the leader saves every change: the store is current
	case err != nil:
		return nil, err
	}
	byID := make(map[string]int, len(stored))
	for i, inc := range stored {
		byID[inc.ID] = i
	}
	for _, inc := range mem {
		s := toStore(inc)
		if i, ok := byID[inc.ID]; ok {
			stored[i] = s
		} else if inc.OpenedAt.Before(to) && (inc.ResolvedAt == nil || inc.ResolvedAt.After(from)) {
			stored = append(stored, s)
		}
	}
	slices.SortStableFunc(stored, func(a, b store.Incident) int { return a.OpenedAt.Compare(b.OpenedAt) })
	return stored, nil
}

// Get implements api.Incidents.
func (l liveIncidents) Get(ctx context.Context, id string) (store.Incident, error) {
	var found *alert.Incident
	err := l.a.do(ctx, func(e *alert.Evaluator) ([]alert.Event, error) {
		found = findIncident(e, id)
		return nil, nil
	})
	if err != nil && !errors.Is(err, api.ErrStandby) {
		return store.Incident{}, err
	}
	if found != nil {
		return toStore(*found), nil
	}
	return l.st.GetIncident(ctx, id)
}

// Update implements api.Incidents.
func (l liveIncidents) Update(ctx context.Context, id, status, message string, notify bool) (store.Incident, error) {
	return l.op(ctx, id, func(e *alert.Evaluator) ([]alert.Event, error) {
		return e.Update(id, alert.Status(status), message, notify)
	})
}

// Resolve implements api.Incidents.
func (l liveIncidents) Resolve(ctx context.Context, id, message string) (store.Incident, error) {
	return l.op(ctx, id, func(e *alert.Evaluator) ([]alert.Event, error) { return e.Resolve(id, message) })
}

// Ack implements api.Incidents.
func (l liveIncidents) Ack(ctx context.Context, id, by string) (store.Incident, error) {
	return l.op(ctx, id, func(e *alert.Evaluator) ([]alert.Event, error) { return e.Ack(id, by) })
}

// op runs an engineer's operation and returns the incident afterwards.
func (l liveIncidents) op(ctx context.Context, id string, fn func(e *alert.Evaluator) ([]alert.Event, error)) (store.Incident, error) {
	var after *alert.Incident
	err := l.a.do(ctx, func(e *alert.Evaluator) ([]alert.Event, error) {
		evs, err := fn(e)
		if err != nil {
			return nil, err
		}
		if len(evs) > 0 {
			inc := evs[len(evs)-1].Incident
			after = &inc
		} else {
			after = findIncident(e, id)
		}
		return evs, nil
	})
	if err != nil {
		return store.Incident{}, storeError(err)
	}
	if after == nil {
		return l.st.GetIncident(ctx, id)
	}
	return toStore(*after), nil
}

// findIncident returns a copy of the evaluator's incident id, or nil.
func findIncident(e *alert.Evaluator, id string) *alert.Incident {
	for _, inc := range e.Incidents() {
		if inc.ID == id {
			return &inc
		}
	}
	return nil
}

// storeError gives an evaluator error the store's kind, which the API
// maps to a status code, keeping its text.
func storeError(err error) error {
	switch {
	case errors.Is(err, alert.ErrNotFound):
		return kindError{err, store.ErrNotFound}
	case errors.Is(err, alert.ErrInvalid):
		return kindError{err, store.ErrInvalid}
	case errors.Is(err, alert.ErrConflict):
		return kindError{err, store.ErrConflict}
	}
	return err
}

// kindError is err that also matches kind with errors.Is.
type kindError struct{ err, kind error }

func (k kindError) Error() string { return k.err.Error() }
func (k kindError) Unwrap() []error {
	return []error{k.err, k.kind}
}
