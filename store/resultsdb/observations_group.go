package resultsdb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

// Series read by Observations: without and with the details of the
// latency objectives.
const (
	observationsPattern        = "vigil_probe_(success|interval_seconds)"
	observationsPatternDetails = "vigil_probe_(success|interval_seconds|duration_seconds|failure)"
)

// groupReader is one reader goroutine of Observations: it reads whole
// groups, one at a time, into batches. Its cursors are reused from group to
// group.
type groupReader struct {
	p       *groupQuery
	flow    *BatchFlow
	querier storage.ChunkQuerier
	hints   *storage.SelectHints
	names   [2]*labels.Matcher // the series to read: without, with details

	success, interval, duration chunkCursor
	failures                    []failureCursor
	nFailures                   int
	// pending: the cursor holds a sample not yet used.
	intervalPending, durationPending bool

	intervalV  float64 // the last interval sample used, and in milliseconds
	intervalMS int64

	dec xorDecoder        // the success series' chunks
	it  chunkenc.Iterator // the fallback for chunks dec cannot decode
}

// failureCursor walks one vigil_probe_failure series.
type failureCursor struct {
	chunkCursor
	reason  string
	pending bool
}

// readGroups is a reader goroutine: it takes the next group until none is
// left, with a querier of its own that reaches an interval look-back before
// the query's range.
func (r *Results) readGroups(ctx context.Context, p *groupQuery, flow *BatchFlow) error {
	lookback := lookBackMint(p.mint)
	querier, err := r.db.ChunkQuerier(lookback, p.maxt)
	if err != nil {
		return fmt.Errorf("read observations: %w", err)
	}
	defer querier.Close()
	g := &groupReader{
		p:       p,
		flow:    flow,
		querier: querier,
		hints:   &storage.SelectHints{Start: lookback, End: p.maxt},
		names: [2]*labels.Matcher{
			labels.MustNewMatcher(labels.MatchRegexp, labelName, observationsPattern),
			labels.MustNewMatcher(labels.MatchRegexp, labelName, observationsPatternDetails),
		},
	}
	for {
		i := int(p.next.Add(1) - 1)
		if i >= len(p.groups) {
			return nil
		}
		if err := g.read(ctx, p.groups[i]); err != nil {
			return err
		}
	}
}

// lookBackMint is mint moved back by intervalLookBack, without overflowing.
func lookBackMint(mint int64) int64 {
	back := intervalLookBack.Milliseconds()
	if mint < math.MinInt64+back {
		return math.MinInt64
	}
	return mint - back
}

// read reads one group into batches and hands them on.
func (g *groupReader) read(ctx context.Context, key groupKey) error {
	details := g.p.details[key.check]
	names := g.names[0]
	if details {
		names = g.names[1]
	}
	set := g.querier.Select(ctx, false, g.hints, names,
		labels.MustNewMatcher(labels.MatchEqual, labelCheck, key.check),
		labels.MustNewMatcher(labels.MatchEqual, labelLocation, key.location))
	hasSuccess, err := g.open(set)
	if err != nil {
		return fmt.Errorf("read observations of %s at %s: %w", key.check, key.location, err)
	}
	if !hasSuccess {
		return nil
	}
	batch, err := g.flow.Take(ctx, key.check, key.location)
	if err != nil {
		return err
	}
	mint, maxt := g.p.mint, g.p.maxt
	obs := batch.Observations[:0]
	// The success series drives: its chunks are decoded here, whole, as
	// the hottest path of a report.
chunks:
	for c := g.success.nextRaw(); c != nil; c = g.success.nextRaw() {
		ts, vs, err := g.decode(c)
		if err != nil {
			g.success.err = err
			break
		}
		for i, t := range ts {
			if t < mint {
				continue
			}
			if t > maxt {
				break chunks
			}
			obs = append(obs, Observation{StartMS: t, OK: vs[i] == 1})
			if len(obs) < cap(obs) {
				continue
			}
			batch.Observations = obs
			if err := g.send(ctx, key, batch); err != nil {
				return err
			}
			if batch, err = g.flow.Take(ctx, key.check, key.location); err != nil {
				return err
			}
			obs = batch.Observations[:0]
		}
	}
	if err := g.success.err; err != nil {
		g.flow.Discard(batch)
		return fmt.Errorf("read observations of %s at %s: %w", key.check, key.location, err)
	}
	if len(obs) == 0 {
		g.flow.Discard(batch)
		return nil
	}
	batch.Observations = obs
	return g.send(ctx, key, batch)
}

// decode decodes a whole chunk of the success series: with the bulk
// decoder when it is an XOR chunk that decodes, else (other encodings,
// damaged chunks) with chunkenc's own iterator, as before.
func (g *groupReader) decode(c chunkenc.Chunk) ([]int64, []float64, error) {
	if c.Encoding() == chunkenc.EncXOR && g.dec.decode(c.Bytes()) == nil {
		return g.dec.t, g.dec.v, nil
	}
	ts, vs := g.dec.t[:0], g.dec.v[:0]
	g.it = c.Iterator(g.it)
	for typ := g.it.Next(); typ != chunkenc.ValNone; typ = g.it.Next() {
		if typ == chunkenc.ValFloat {
			t, v := g.it.At()
			ts, vs = append(ts, t), append(vs, v)
		}
	}
	g.dec.t, g.dec.v = ts, vs
	return ts, vs, g.it.Err()
}

// open points the cursors at the series of one group's set and reports
// whether it has a success series.
func (g *groupReader) open(set storage.ChunkSeriesSet) (hasSuccess bool, err error) {
	g.nFailures = 0
	g.interval.err, g.duration.err = nil, nil
	g.intervalPending, g.durationPending = false, false
	g.intervalV, g.intervalMS = math.NaN(), 0
	for set.Next() {
		s := set.At()
		lset := s.Labels()
		switch lset.Get(labelName) {
		case metricSuccess:
			g.success.reset(s, g.p.mint)
			hasSuccess = true
		case metricInterval:
			g.interval.reset(s, math.MinInt64)
			g.intervalPending = g.interval.next()
		case metricDuration:
			g.duration.reset(s, g.p.mint)
			g.durationPending = g.duration.next()
		case metricFailure:
			if g.nFailures == len(g.failures) {
				g.failures = append(g.failures, failureCursor{})
			}
			f := &g.failures[g.nFailures]
			g.nFailures++
			f.reset(s, g.p.mint)
			f.reason = g.p.reason(lset.Get(labelReason))
			f.pending = f.next()
		}
	}
	return hasSuccess, set.Err()
}

// send fills in the batch's other fields and hands it to fn's goroutine.
func (g *groupReader) send(ctx context.Context, key groupKey, batch *ObservationBatch) error {
	if err := g.fill(batch.Observations); err != nil {
		g.flow.Discard(batch)
		return fmt.Errorf("read observations of %s at %s: %w", key.check, key.location, err)
	}
	return g.flow.Send(ctx, batch)
}

// fill sets the interval (carried forward from the latest interval sample
// at or before each start), and with details the duration and reason (from
// the samples at each start) of obs.
func (g *groupReader) fill(obs []Observation) error {
	for i := range obs {
		t := obs[i].StartMS
		for g.intervalPending && g.interval.t <= t {
			if v := g.interval.v; v != g.intervalV {
				g.intervalV, g.intervalMS = v, time.Duration(math.Round(v*1e9)).Milliseconds()
			}
			g.intervalPending = g.interval.next()
		}
		obs[i].IntervalMS = g.intervalMS
	}
	for i := range obs {
		t := obs[i].StartMS
		for g.durationPending && g.duration.t < t {
			g.durationPending = g.duration.next()
		}
		if g.durationPending && g.duration.t == t {
			ms, err := millisFromSeconds(g.duration.v)
			if err != nil {
				return fmt.Errorf("at %s: %w", time.UnixMilli(t).UTC().Format(time.RFC3339Nano), err)
			}
			obs[i].DurationMS = ms
		}
	}
	for k := range g.failures[:g.nFailures] {
		f := &g.failures[k]
		for i := range obs {
			t := obs[i].StartMS
			for f.pending && f.t < t {
				f.pending = f.next()
			}
			if f.pending && f.t == t && f.v == 1 {
				obs[i].Reason = f.reason
			}
		}
	}
	return errors.Join(g.interval.err, g.duration.err, g.failuresErr())
}

// failuresErr is the first read error of the failure cursors.
func (g *groupReader) failuresErr() error {
	for k := range g.failures[:g.nFailures] {
		if err := g.failures[k].err; err != nil {
			return err
		}
	}
	return nil
}

// millisFromSeconds converts a stored duration in float seconds to whole
// milliseconds exactly as sla.MillisFromSeconds does: to the nearest
// nanosecond, then half up.
func millisFromSeconds(sec float64) (int64, error) {
	if math.IsNaN(sec) || math.IsInf(sec, 0) || sec < 0 || sec >= 9e9 {
		return 0, fmt.Errorf("stored duration %v s is not a valid probe duration", sec)
	}
	ns := int64(math.Round(sec * 1e9))
	return (ns + 500_000) / 1_000_000, nil
}
