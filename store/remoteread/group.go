package remoteread

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/store/remotewrite"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// intervalLookBack is how far before the range the interval series is
// read, as store/resultsdb does: there it has a sample at least hourly,
// so the interval of the first results in the range is found.
const intervalLookBack = time.Hour

// groupChunk is one chunk's series of one (check, location) group.
type groupChunk struct {
	success, interval, duration []pair
	failures                    []failureSeries
}

// failureSeries is one vigil_probe_failure series: its reason and samples.
type failureSeries struct {
	reason  string
	samples []pair
}

// carried is what a group carries from one chunk to the next: the
// latest interval sample so far.
type carried struct {
	intervalV  float64 // NaN before the first
	intervalMS int64
}

// readCheck reads one check's groups chunk after chunk, from an interval
// look-back before mint to maxt, and sends their observations in [mint,
// maxt].
func (r *Reader) readCheck(ctx context.Context, flow *resultsdb.BatchFlow, check string, details bool, mint, maxt int64) error {
	sel := selector(check, details)
	step := r.cfg.Chunk.Milliseconds()
	state := map[string]*carried{}
	start := mint - intervalLookBack.Milliseconds()
	for start <= maxt {
		end := maxt
		if maxt-start >= step {
			end = start + step - 1
		}
		series, err := r.query(ctx, sel, start, end)
		if err != nil {
			if ctx.Err() != nil {
				return resultsdb.ErrFlowStopped
			}
			return fmt.Errorf("read observations of %s: %w", check, err)
		}
		groups := splitGroups(series)
		for _, loc := range slices.Sorted(maps.Keys(groups)) {
			c, ok := state[loc]
			if !ok {
				c = &carried{intervalV: math.NaN()}
				state[loc] = c
			}
			if err := c.emit(ctx, flow, check, loc, groups[loc], start, max(start, mint), end); err != nil {
				return err
			}
		}
		start = end + 1
	}
	return nil
}

// splitGroups sorts one answer's series into groups by location. Series
// without a location, or of other metrics, are not vigil's and are left
// out.
func splitGroups(series []matrixSeries) map[string]*groupChunk {
	groups := map[string]*groupChunk{}
	for i := range series {
		s := &series[i]
		loc := s.Metric[remotewrite.LabelLocation]
		if loc == "" {
			continue
		}
		g, ok := groups[loc]
		if !ok {
			g = &groupChunk{}
			groups[loc] = g
		}
		if !slices.IsSortedFunc(s.Values, byTime) {
			slices.SortStableFunc(s.Values, byTime)
		}
		switch s.Metric[remotewrite.LabelName] {
		case remotewrite.MetricSuccess:
			g.success = s.Values
		case remotewrite.MetricInterval:
			g.interval = s.Values
		case remotewrite.MetricDuration:
			g.duration = s.Values
		case remotewrite.MetricFailure:
			g.failures = append(g.failures, failureSeries{reason: s.Metric[remotewrite.LabelReason], samples: s.Values})
		}
	}
	return groups
}

func byTime(a, b pair) int { return cmp.Compare(a.t, b.t) }

// emit sends the observations of one group's chunk, which spans [from,
// hi], with starts in [lo, hi], and carries the interval on to the next
// chunk. A start written twice (a request the backend took twice) is one
// observation.
func (c *carried) emit(ctx context.Context, flow *resultsdb.BatchFlow, check, loc string, g *groupChunk, from, lo, hi int64) error {
	var batch *resultsdb.ObservationBatch
	iv, du := 0, 0
	for iv < len(g.interval) && g.interval[iv].t < from {
		iv++ // the previous chunk's: a window closed on the left repeats its edge
	}
	fails := make([]int, len(g.failures))
	last := int64(math.MinInt64)
	for _, s := range g.success {
		if s.t < lo || s.t > hi || s.t == last {
			continue
		}
		last = s.t
		for ; iv < len(g.interval) && g.interval[iv].t <= s.t; iv++ {
			c.carry(g.interval[iv].v)
		}
		o := resultsdb.Observation{StartMS: s.t, OK: s.v == 1, IntervalMS: c.intervalMS}
		for du < len(g.duration) && g.duration[du].t < s.t {
			du++
		}
		if du < len(g.duration) && g.duration[du].t == s.t {
			ms, err := sla.MillisFromSeconds(g.duration[du].v)
			if err != nil {
				if batch != nil {
					flow.Discard(batch)
				}
				return fmt.Errorf("read observations of %s at %s at %s: %w", check, loc, time.UnixMilli(s.t).UTC().Format(time.RFC3339Nano), err)
			}
			o.DurationMS = ms
		}
		for k := range g.failures {
			f := g.failures[k].samples
			for fails[k] < len(f) && f[fails[k]].t < s.t {
				fails[k]++
			}
			if fails[k] < len(f) && f[fails[k]].t == s.t && f[fails[k]].v == 1 {
				o.Reason = g.failures[k].reason
			}
		}
		if batch == nil {
			var err error
			if batch, err = flow.Take(ctx, check, loc); err != nil {
				return err
			}
		}
		batch.Observations = append(batch.Observations, o)
		if len(batch.Observations) == resultsdb.BatchSize {
			if err := flow.Send(ctx, batch); err != nil {
				return err
			}
			batch = nil
		}
	}
	for ; iv < len(g.interval) && g.interval[iv].t <= hi; iv++ {
		c.carry(g.interval[iv].v)
	}
	if batch == nil {
		return nil
	}
	return flow.Send(ctx, batch)
}

// carry makes v the interval of the results that follow, in whole
// milliseconds as store/resultsdb converts it.
func (c *carried) carry(v float64) {
	if v != c.intervalV {
		c.intervalV, c.intervalMS = v, time.Duration(math.Round(v*1e9)).Milliseconds()
	}
}
