package main

import (
	"context"
	"fmt"
	"time"

	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/store"
)

// readObservations streams the stored results of checks with Start in
// [from, to) to fn as SLA observations: per check, one location after the
// other, each in time order (what sla.Calculator.Add needs). It is the one
// place that turns stored results into observations; keep its signature
// narrow, so that its body can move to a faster path into the TSDB.
func readObservations(ctx context.Context, results *store.Results, checks []string, from, to time.Time,
	fn func(sla.Observation) error) error {
	for _, check := range checks {
		q := store.Query{Check: check, From: from, To: to, NoDetails: true}
		err := results.Query(ctx, q, func(r probe.Result) error {
			return fn(sla.Observation{
				StartMS:    r.Start.UnixMilli(),
				Check:      r.Check,
				Location:   r.Location,
				OK:         r.OK,
				DurationMS: sla.MillisFromDuration(r.Duration),
				Reason:     string(r.Reason),
				IntervalMS: r.Interval.Milliseconds(),
			})
		})
		if err != nil {
			return fmt.Errorf("read results of check %s: %w", check, err)
		}
	}
	return nil
}
