package resultsdb

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"

	"github.com/vigilmon/vigil/probe"
)

// resultField says which part of a probe.Result a series holds.
type resultField int

const (
	fieldSuccess resultField = iota
	fieldDuration
	fieldInterval
	fieldStatus
	fieldPhase
	fieldFailure
)

// seriesCursor walks one series of a group.
type seriesCursor struct {
	field  resultField
	phase  string       // for fieldPhase
	reason probe.Reason // for fieldFailure
	it     chunkenc.Iterator
	t      int64 // timestamp of the current sample, math.MinInt64 before the first
	done   bool
	// For fieldInterval, which carries forward: the latest value at or
	// before the result being built.
	carried    float64
	hasCarried bool
}

// resultMerger rebuilds results from the series of one group at a time. Its
// cursors and iterators are reused from group to group.
type resultMerger struct {
	mint, maxt int64
	fn         func(probe.Result) error
	cursors    []seriesCursor
	iters      []chunkenc.Iterator
}

// ctxCheckEvery is how many results pass between checks of the context.
const ctxCheckEvery = 4096

// group reads the series set of group g and calls fn for each result, driven
// by the success series: every result has exactly one success sample, the
// other series have a sample at the same timestamp or none.
func (m *resultMerger) group(ctx context.Context, g groupKey, set storage.SeriesSet) error {
	m.cursors = m.cursors[:0]
	driver := -1
	for set.Next() {
		s := set.At()
		c, ok := cursorFor(s.Labels())
		if !ok {
			continue
		}
		n := len(m.cursors)
		if n == len(m.iters) {
			m.iters = append(m.iters, nil)
		}
		m.iters[n] = s.Iterator(m.iters[n])
		c.it, c.t = m.iters[n], math.MinInt64
		if c.field == fieldSuccess {
			driver = n
		}
		m.cursors = append(m.cursors, c)
	}
	if err := set.Err(); err != nil {
		return fmt.Errorf("query results of %s at %s: %w", g.check, g.location, err)
	}
	if driver < 0 {
		return nil
	}
	// The driver goes first; the others follow it.
	m.cursors[0], m.cursors[driver] = m.cursors[driver], m.cursors[0]
	succ, others := &m.cursors[0], m.cursors[1:]
	count := 0
	for typ := succ.it.Seek(m.mint); typ != chunkenc.ValNone; typ = succ.it.Next() {
		if typ != chunkenc.ValFloat {
			continue
		}
		t, v := succ.it.At()
		if t > m.maxt {
			break
		}
		res := probe.Result{Check: g.check, Location: g.location, Start: time.UnixMilli(t).UTC(), OK: v == 1}
		for i := range others {
			valueAt := others[i].valueAt
			if others[i].field == fieldInterval {
				valueAt = others[i].carriedAt
			}
			if v, ok := valueAt(t); ok {
				others[i].apply(&res, v)
			}
		}
		if err := m.fn(res); err != nil {
			return err
		}
		if count++; count%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("query results: %w", err)
			}
		}
	}
	for i := range m.cursors {
		if err := m.cursors[i].it.Err(); err != nil {
			return fmt.Errorf("query results of %s at %s: read samples: %w", g.check, g.location, err)
		}
	}
	return nil
}

// cursorFor classifies a series of the layout by its labels.
func cursorFor(lset labels.Labels) (seriesCursor, bool) {
	switch lset.Get(labelName) {
	case metricSuccess:
		return seriesCursor{field: fieldSuccess}, true
	case metricDuration:
		return seriesCursor{field: fieldDuration}, true
	case metricInterval:
		return seriesCursor{field: fieldInterval}, true
	case metricStatus:
		return seriesCursor{field: fieldStatus}, true
	case metricPhase:
		name := lset.Get(labelPhase)
		if !slices.Contains(probe.PhaseNames, name) {
			return seriesCursor{}, false
		}
		return seriesCursor{field: fieldPhase, phase: name}, true
	case metricFailure:
		return seriesCursor{field: fieldFailure, reason: probe.Reason(lset.Get(labelReason))}, true
	}
	return seriesCursor{}, false
}

// valueAt advances the cursor to t and returns its value there, if it has one.
func (c *seriesCursor) valueAt(t int64) (float64, bool) {
	if c.done {
		return 0, false
	}
	// Next, not Seek: over several blocks, storage's chained iterator
	// re-seeks every block on each Seek, which made reads 15 times slower.
	for c.t < t {
		if c.it.Next() == chunkenc.ValNone {
			c.done = true
			return 0, false
		}
		c.t = c.it.AtT()
	}
	if c.t != t {
		return 0, false
	}
	_, v := c.it.At()
	return v, true
}

// carriedAt advances the cursor past t and returns the value of its latest
// sample at or before t, if any: the interval series has a sample only when
// the interval changes, and at least every intervalRefresh.
func (c *seriesCursor) carriedAt(t int64) (float64, bool) {
	for !c.done && c.t <= t {
		if c.t != math.MinInt64 {
			_, c.carried = c.it.At()
			c.hasCarried = true
		}
		if c.it.Next() == chunkenc.ValNone {
			c.done = true
			break
		}
		c.t = c.it.AtT()
	}
	return c.carried, c.hasCarried
}

// apply stores the series' value v into res.
func (c *seriesCursor) apply(res *probe.Result, v float64) {
	switch c.field {
	case fieldDuration:
		res.Duration = seconds(v)
	case fieldInterval:
		res.Interval = seconds(v)
	case fieldStatus:
		res.Status = int(v)
	case fieldFailure:
		if v == 1 {
			res.Reason = c.reason
		}
	case fieldPhase:
		if res.Phases == nil {
			res.Phases = &probe.Phases{}
		}
		res.Phases.Set(c.phase, seconds(v))
	}
}

// seconds converts a stored number of seconds back into a Duration.
func seconds(v float64) time.Duration {
	return time.Duration(math.Round(v * float64(time.Second)))
}
