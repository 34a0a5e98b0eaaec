package resultsdb

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/prometheus/storage"

	"github.com/vigilmon/vigil/sla"
)

// ObservationsQuery selects what Results.Observations reads.
type ObservationsQuery struct {
	// Checks are the checks to read, at every location; none reads nothing.
	Checks []string
	// From and To bound the results' Start: at or after From, before To
	// (zero: unbounded), as in Query.
	From, To time.Time
	// Details are the checks (of Checks) whose observations need DurationMS
	// and Reason: those with a latency objective. The others get neither;
	// availability needs only OK and IntervalMS, and their duration and
	// failure series are not read at all.
	Details []string
}

// Observation is one stored result as the SLA calculator needs it: compact,
// without the check and location (see ObservationBatch), so that a batch
// goes to sla.Calculator.AddBatch as it is. StartMS is the probe's start;
// DurationMS is its duration rounded half up to whole milliseconds from the
// stored seconds (as sla.MillisFromSeconds does), 0 unless the check is in
// ObservationsQuery.Details; IntervalMS is the check's interval when the
// probe ran, 0 if none is stored; Reason is why it failed ("" when OK, or
// when the check is not in ObservationsQuery.Details).
type Observation = sla.Sample

// ObservationBatch is a run of consecutive observations of one check at one
// location, in time order.
type ObservationBatch struct {
	Check, Location string
	Observations    []Observation
}

// Observations streams the observations that q selects to fn in batches:
// each batch holds consecutive results of one (check, location) series
// group in time order, and a group's batches come in time order, but the
// batches of different groups interleave. That is what sla.Calculator
// needs; every observation is delivered exactly once.
//
// It is the fast path for SLA reports: the groups' chunks are decoded
// directly, several groups at a time (one reader goroutine per CPU), and
// only the series q needs are read. fn is called on the caller's goroutine,
// one batch at a time, so it needs no locking. The batch and its slice are
// reused once fn returns: fn must not keep them. An error from fn stops the
// read and is returned as is. Memory is a fixed number of batches (of at most
// 1,024 observations), whatever the number of results.
func (r *Results) Observations(ctx context.Context, q ObservationsQuery, fn func(*ObservationBatch) error) error {
	if !r.beginQuery() {
		return ErrResultsClosed
	}
	defer r.queries.Done()
	mint, maxt := Query{From: q.From, To: q.To}.bounds()
	if mint > maxt || len(q.Checks) == 0 {
		return nil
	}
	groups, err := r.observationGroups(ctx, q, mint, maxt)
	if err != nil || len(groups) == 0 {
		return err
	}
	p := &groupQuery{
		groups: groups,
		mint:   mint, maxt: maxt,
		details: make(map[string]bool, len(q.Details)),
	}
	for _, c := range q.Details {
		p.details[c] = true
	}
	readers := min(runtime.GOMAXPROCS(0), len(groups))
	return RunBatchFlow(ctx, "read observations", readers, func(ctx context.Context, f *BatchFlow) error {
		return r.readGroups(ctx, p, f)
	}, fn)
}

// groupQuery is the shared state of one Observations call.
type groupQuery struct {
	groups     []groupKey
	next       atomic.Int64 // index of the next group to read
	mint, maxt int64
	details    map[string]bool

	reasonsMu sync.Mutex
	reasons   map[string]string // failure reasons, interned
}

// reason returns the interned copy of a failure reason read from a label:
// label values do not outlive their querier, batches may.
func (p *groupQuery) reason(s string) string {
	p.reasonsMu.Lock()
	defer p.reasonsMu.Unlock()
	r, ok := p.reasons[s]
	if !ok {
		if p.reasons == nil {
			p.reasons = make(map[string]string)
		}
		r = strings.Clone(s)
		p.reasons[r] = r
	}
	return r
}

// observationGroups lists the series groups of q's checks in [mint, maxt].
func (r *Results) observationGroups(ctx context.Context, q ObservationsQuery, mint, maxt int64) ([]groupKey, error) {
	querier, err := r.db.Querier(mint, maxt)
	if err != nil {
		return nil, fmt.Errorf("read observations: %w", err)
	}
	defer querier.Close()
	all, err := listGroups(ctx, querier, &storage.SelectHints{Start: mint, End: maxt}, "", "")
	if err != nil {
		return nil, err
	}
	wanted := make(map[string]bool, len(q.Checks))
	for _, c := range q.Checks {
		wanted[c] = true
	}
	groups := all[:0]
	for _, g := range all {
		if wanted[g.check] {
			groups = append(groups, g)
		}
	}
	return groups, nil
}
