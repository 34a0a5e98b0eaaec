package resultsdb

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"

	"github.com/vigilmon/vigil/probe"
)

// Query selects stored results.
type Query struct {
	Check    string    // one check, or every check when empty
	Location string    // one location, or every location when empty
	From     time.Time // results whose Start is at or after From; zero: from the oldest
	To       time.Time // and before To (exclusive); zero: up to the newest
	// NoDetails leaves Status and Phases out (zero and nil). The SLA
	// calculator needs neither, and reads then go about twice as fast.
	NoDetails bool
}

// bounds returns the query's inclusive TSDB time range in milliseconds.
func (q Query) bounds() (mint, maxt int64) {
	mint, maxt = math.MinInt64, math.MaxInt64
	if !q.From.IsZero() {
		mint = ceilMilli(q.From)
	}
	if !q.To.IsZero() {
		maxt = ceilMilli(q.To) - 1
	}
	return mint, maxt
}

// ceilMilli is t in Unix milliseconds, rounded up.
func ceilMilli(t time.Time) int64 {
	ms := t.UnixMilli()
	if time.UnixMilli(ms).Before(t) {
		ms++
	}
	return ms
}

// Query calls fn for every stored result that q selects: series group after
// series group (sorted by check, then location), each in time order. It
// reads only committed results. Memory does not grow with the number of
// results: the group's series are merged on their timestamps while they are
// read. Message is always empty (it is not stored). An error from fn stops
// the query and is returned as is.
func (r *Results) Query(ctx context.Context, q Query, fn func(probe.Result) error) error {
	if !r.beginQuery() {
		return ErrResultsClosed
	}
	defer r.queries.Done()
	mint, maxt := q.bounds()
	if mint > maxt {
		return nil
	}
	// The interval in force at From may have been written up to
	// intervalLookBack before it (see the package doc).
	lookback := lookBackMint(mint)
	querier, err := r.db.Querier(lookback, maxt)
	if err != nil {
		return fmt.Errorf("query results: %w", err)
	}
	defer querier.Close()
	hints := &storage.SelectHints{Start: lookback, End: maxt}
	groups, err := listGroups(ctx, querier, hints, q.Check, q.Location)
	if err != nil {
		return err
	}
	m := &resultMerger{mint: mint, maxt: maxt, fn: fn}
	pattern := metricsPattern
	if q.NoDetails {
		pattern = metricsPatternNoDetails
	}
	for _, g := range groups {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("query results: %w", err)
		}
		set := querier.Select(ctx, false, hints,
			labels.MustNewMatcher(labels.MatchEqual, labelCheck, g.check),
			labels.MustNewMatcher(labels.MatchEqual, labelLocation, g.location),
			labels.MustNewMatcher(labels.MatchRegexp, labelName, pattern))
		if err := m.group(ctx, g, set); err != nil {
			return err
		}
	}
	return nil
}

// Checks returns the names of every check with stored results, sorted.
func (r *Results) Checks(ctx context.Context) ([]string, error) {
	if !r.beginQuery() {
		return nil, ErrResultsClosed
	}
	defer r.queries.Done()
	querier, err := r.db.Querier(math.MinInt64, math.MaxInt64)
	if err != nil {
		return nil, fmt.Errorf("list checks: %w", err)
	}
	defer querier.Close()
	values, _, err := querier.LabelValues(ctx, labelCheck, nil,
		labels.MustNewMatcher(labels.MatchEqual, labelName, metricSuccess))
	if err != nil {
		return nil, fmt.Errorf("list checks: %w", err)
	}
	checks := make([]string, len(values))
	for i, v := range values {
		checks[i] = strings.Clone(v) // values do not outlive the querier
	}
	return checks, nil
}

// beginQuery registers a running query unless Results is closed.
func (r *Results) beginQuery() bool {
	r.closeMu.RLock()
	defer r.closeMu.RUnlock()
	if r.closed {
		return false
	}
	r.queries.Add(1)
	return true
}

// listGroups returns the series groups (check, location) with a success
// series in the querier's range, sorted; it reads labels, not samples.
func listGroups(ctx context.Context, querier storage.Querier, hints *storage.SelectHints, check, location string) ([]groupKey, error) {
	matchers := []*labels.Matcher{labels.MustNewMatcher(labels.MatchEqual, labelName, metricSuccess)}
	if check != "" {
		matchers = append(matchers, labels.MustNewMatcher(labels.MatchEqual, labelCheck, check))
	}
	if location != "" {
		matchers = append(matchers, labels.MustNewMatcher(labels.MatchEqual, labelLocation, location))
	}
	set := querier.Select(ctx, true, hints, matchers...)
	var groups []groupKey
	for set.Next() {
		lset := set.At().Labels()
		groups = append(groups, groupKey{
			check:    strings.Clone(lset.Get(labelCheck)),
			location: strings.Clone(lset.Get(labelLocation)),
		})
	}
	if err := set.Err(); err != nil {
		return nil, fmt.Errorf("query results: list series: %w", err)
	}
	return groups, nil
}
