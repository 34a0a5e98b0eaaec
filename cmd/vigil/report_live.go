package main

import (
	"context"
	"time"

	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/store"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// liveReports computes reports for the daemon's API from its own stores
// and the running config; it implements api.Reports.
type liveReports struct {
	live    *liveConfig
	results *resultsdb.Results
	state   *store.State
}

// Customers implements api.Reports.
func (l liveReports) Customers() []string { return customers(l.live.get()) }

// Report implements api.Reports.
func (l liveReports) Report(ctx context.Context, customer string, year int, month time.Month) (*sla.Result, error) {
	return buildReport(ctx, l.live.get(), l.results, l.state, customer, year, month)
}
