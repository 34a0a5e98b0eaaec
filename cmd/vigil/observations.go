package main

import (
	"context"
	"fmt"
	"time"

	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/store"
)

// readObservations streams the stored results of checks with Start in
// [from, to) to fn as SLA observations, each (check, location) series in
// time order (what sla.Calculator.Add needs). Durations and failure reasons
// are read only for the checks in details (the latency objectives'):
// availability needs neither, and skipping them halves the read.
func readObservations(ctx context.Context, results *store.Results, checks, details []string, from, to time.Time,
	fn func(sla.Observation) error) error {
	q := store.ObservationsQuery{Checks: checks, Details: details, From: from, To: to}
	err := results.Observations(ctx, q, func(b *store.ObservationBatch) error {
		o := sla.Observation{Check: b.Check, Location: b.Location}
		for i := range b.Observations {
			x := &b.Observations[i]
			o.StartMS, o.OK, o.DurationMS, o.Reason, o.IntervalMS = x.StartMS, x.OK, x.DurationMS, x.Reason, x.IntervalMS
			if err := fn(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read results: %w", err)
	}
	return nil
}

// latencyChecks are the checks whose durations the SLA's objectives judge.
func latencyChecks(t sla.Terms) []string {
	out := make([]string, 0, len(t.Latency))
	for _, l := range t.Latency {
		out = append(out, l.Check)
	}
	return out
}
