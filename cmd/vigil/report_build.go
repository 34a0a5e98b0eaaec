package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/store"
)

// minLookBack is the least time before the period that is read for
// coverage of its first minutes (SLA.md section 2): a check's interval may
// have been longer when a result was written than the config says now, and
// an hour more of reading costs next to nothing against a month.
const minLookBack = time.Hour

// buildReport computes customer's SLA for the calendar month from the live
// store: the maintenance windows of the state database (cancelled ones left
// out) and the results of the SLA's checks in the TSDB or a remote
// backend. vigil report and GET /api/v1/reports share it; vigil sla
// computes the same from files.
func buildReport(ctx context.Context, cfg *configs.Config, results observationSource, state *store.State,
	customer string, year int, month time.Month) (*sla.Result, error) {
	terms, err := termsFor(cfg, customer)
	if err != nil {
		return nil, err
	}
	p, err := sla.MonthPeriod(terms.Location, year, month)
	if err != nil {
		return nil, fmt.Errorf("report period: %w", err)
	}
	stored, err := state.ListMaintenance(ctx, p.Start, p.End, false)
	if err != nil {
		return nil, fmt.Errorf("maintenance windows: %w", err)
	}
	windows := make([]sla.Window, 0, len(stored))
	for _, m := range stored {
		windows = append(windows, slaWindow(m))
	}
	calc, err := sla.NewCalculatorForPeriod(terms, p, windows)
	if err != nil {
		return nil, fmt.Errorf("sla calculation for %s: %w", customer, err)
	}
	checks := slaChecks(cfg, terms)
	from := p.Start.Add(-lookBack(cfg, checks))
	if err := readObservations(ctx, results, checks, latencyChecks(terms), from, p.End, calc.AddBatch); err != nil {
		return nil, err
	}
	res, err := calc.Result()
	if err != nil {
		return nil, fmt.Errorf("sla result for %s: %w", customer, err)
	}
	incidents, err := incidentsFor(ctx, state, terms, p)
	if err != nil {
		return nil, err
	}
	res.AddIncidents(incidents...)
	return res, nil
}

// lookBack is how long before the period results are read: the longest
// interval of the checks, at least minLookBack.
func lookBack(cfg *configs.Config, checks []string) time.Duration {
	d := minLookBack
	for _, c := range cfg.Checks {
		for _, name := range checks {
			if c.Name == name {
				d = max(d, c.Interval.D())
			}
		}
	}
	return d
}

// incidentsFor returns the incidents of the SLA's components that overlap
// the period, from the state database, for the report's incident table;
// the calculator counts their down minutes (AddIncidents).
func incidentsFor(ctx context.Context, state *store.State, terms sla.Terms, p sla.Period) ([]sla.Incident, error) {
	stored, err := state.ListIncidents(ctx, p.Start, p.End)
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	var out []sla.Incident
	for _, inc := range stored {
		if !slices.ContainsFunc(inc.Components, func(c string) bool { return slices.Contains(terms.Components, c) }) {
			continue
		}
		out = append(out, sla.Incident{ID: inc.ID, Title: inc.Title, Start: inc.OpenedAt, End: inc.ResolvedAt, Components: inc.Components})
	}
	return out, nil
}
