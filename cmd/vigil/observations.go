package main

import (
	"context"
	"fmt"
	"time"

	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// observationSource is where reports read results from: the embedded
// results database (*resultsdb.Results) or a remote backend's query API
// (*remoteread.Reader), which yield the same observations.
type observationSource interface {
	Observations(ctx context.Context, q resultsdb.ObservationsQuery, fn func(*resultsdb.ObservationBatch) error) error
}

// readObservations streams the stored results of checks with Start in
// [from, to) to fn in batches, each batch one (check, location) series in
// time order (what sla.Calculator.AddBatch needs; fn must not keep the
// slice). Durations and failure reasons are read only for the checks in
// details (the latency objectives'): availability needs neither, and
// skipping them halves the read.
func readObservations(ctx context.Context, results observationSource, checks, details []string, from, to time.Time,
	fn func(check, location string, samples []sla.Sample) error) error {
	q := resultsdb.ObservationsQuery{Checks: checks, Details: details, From: from, To: to}
	err := results.Observations(ctx, q, func(b *resultsdb.ObservationBatch) error {
		return fn(b.Check, b.Location, b.Observations)
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
