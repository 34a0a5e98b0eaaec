package sla

import (
	"math"
	"slices"
	"time"
)

// The latency objective of section 5. Durations are counted exactly in a
// histogram over whole milliseconds (a dense array up to denseMS, a map
// beyond), so nearest-rank percentiles are exact without keeping samples.

const denseMS = 1 << 15 // 32.768 s: durations below are counted in an array

// histogram counts ok durations by whole millisecond.
type histogram struct {
	dense []uint64 // allocated on first use
	over  map[int64]uint64
	n     int64
}

func (h *histogram) add(ms int64, count uint64) {
	h.n += int64(count)
	if ms < denseMS {
		if h.dense == nil {
			h.dense = make([]uint64, denseMS)
		}
		h.dense[ms] += count
		return
	}
	if h.over == nil {
		h.over = map[int64]uint64{}
	}
	h.over[ms] += count
}

// percentiles returns the nearest-rank values for ps (in ascending order):
// the value at rank ceil(p/100*n).
func (h *histogram) percentiles(ps ...int64) []int64 {
	out := make([]int64, len(ps))
	if h.n == 0 {
		return nil
	}
	ranks := make([]int64, len(ps))
	for i, p := range ps {
		ranks[i] = (p*h.n + 99) / 100
	}
	var seen int64
	i := 0
	for ms, c := range h.dense {
		seen += int64(c)
		for i < len(ranks) && seen >= ranks[i] {
			out[i] = int64(ms)
			i++
		}
	}
	keys := make([]int64, 0, len(h.over))
	for k := range h.over {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, ms := range keys {
		seen += int64(h.over[ms])
		for i < len(ranks) && seen >= ranks[i] {
			out[i] = ms
			i++
		}
	}
	return out
}

// buckets returns the histogram in LatencyBuckets (see there); nil when empty.
func (h *histogram) buckets() []LatencyBucket {
	if h.n == 0 {
		return nil
	}
	const n = BucketLimitMS / BucketMS
	out := make([]LatencyBucket, n+1)
	for i := range n {
		out[i].UpToMS = int64(i+1) * BucketMS
	}
	out[n].UpToMS = math.MaxInt64
	index := func(ms int64) int { // (UpToMS-BucketMS, UpToMS], 0 in the first
		return int(min(max(ms-1, 0)/BucketMS, n))
	}
	for ms, c := range h.dense {
		out[index(int64(ms))].Count += int64(c)
	}
	for ms, c := range h.over {
		out[index(ms)].Count += int64(c)
	}
	last := len(out) - 1
	for last > 0 && out[last].Count == 0 {
		last--
	}
	return out[:last+1]
}

// tally is the count of one objective's eligible observations.
type tally struct {
	good, total int64
	ok          histogram
}

func (t *tally) add(ok bool, durMS, thresholdMS int64, count uint64) {
	t.total += int64(count)
	if ok {
		t.ok.add(durMS, count)
		if durMS <= thresholdMS {
			t.good += int64(count)
		}
	}
}

// objective is the streaming state of one latency objective.
type objective struct {
	spec LatencyObjective
	// exclFull holds the minutes wholly inside an exclusion window,
	// exclPartial those partly inside (judged per observation).
	exclFull, exclPartial bitset
	windows               []DailyWindow // with Location resolved
	eligible              tally
	// deferred holds observations in minutes where planned maintenance is
	// excluding: whether they count depends on the minute's classification
	// (excluded, or down because another component failed), known only at
	// the end.
	deferred map[int]*minuteTally
}

// minuteTally counts one minute's deferred observations, with a sparse
// histogram (few observations per minute).
type minuteTally struct {
	good, total int64
	ok          map[int64]uint64
}

func newObjective(spec LatencyObjective, f *frame, sla *time.Location) *objective {
	o := &objective{spec: spec, exclFull: newBitset(f.n), exclPartial: newBitset(f.n)}
	for _, w := range spec.Exclude {
		if w.Location == nil {
			w.Location = sla
		}
		o.windows = append(o.windows, w)
		sp := Span{From: w.From, To: w.To}
		for i := 0; i < f.n; i++ {
			s := minuteStartMS(f.startMS, i)
			a := todMS(s, w.Location)
			b := todMS(s+minuteMS-1, w.Location)
			// Window bounds are whole minutes, so a minute that starts on a
			// local minute and runs on without a jump lies wholly in or out.
			if a%minuteMS == 0 && b-a == minuteMS-1 {
				if sp.containsMS(a) {
					o.exclFull.set(i)
				}
			} else {
				o.exclPartial.set(i) // a zone change inside the minute: judge each observation
			}
		}
	}
	// A minute wholly inside one window needs no per-observation check.
	for i := range o.exclPartial {
		o.exclPartial[i] &^= o.exclFull[i]
	}
	return o
}

// todMS returns the local time of day of ms in loc, in milliseconds.
func todMS(ms int64, loc *time.Location) int64 {
	t := time.UnixMilli(ms).In(loc)
	return int64(t.Hour())*3_600_000 + int64(t.Minute())*minuteMS + int64(t.Second())*1000 + int64(t.Nanosecond()/1_000_000)
}

// excludedByWindow reports whether an observation at ms in minute m falls in
// one of the objective's exclusion windows.
func (o *objective) excludedByWindow(m int, ms int64) bool {
	if o.exclFull.has(m) {
		return true
	}
	if !o.exclPartial.has(m) {
		return false
	}
	for _, w := range o.windows {
		if (Span{From: w.From, To: w.To}).containsMS(todMS(ms, w.Location)) {
			return true
		}
	}
	return false
}

// add records an in-period observation of minute m; maybeExcluded says that
// planned maintenance is excluding in m.
func (o *objective) add(m int, obs *Observation, maybeExcluded bool) {
	if !obs.OK && obs.Reason != ReasonTimeout {
		return // belongs to availability only
	}
	if o.excludedByWindow(m, obs.StartMS) {
		return
	}
	if !maybeExcluded {
		o.eligible.add(obs.OK, obs.DurationMS, o.spec.ThresholdMS, 1)
		return
	}
	if o.deferred == nil {
		o.deferred = map[int]*minuteTally{}
	}
	t := o.deferred[m]
	if t == nil {
		t = &minuteTally{ok: map[int64]uint64{}}
		o.deferred[m] = t
	}
	t.total++
	if obs.OK {
		t.ok[obs.DurationMS]++
		if obs.DurationMS <= o.spec.ThresholdMS {
			t.good++
		}
	}
}

// settle moves the deferred minutes that were not classified excluded into
// the eligible tally.
func (o *objective) settle(class []Class) {
	for m, t := range o.deferred {
		if class[m] == ClassExcluded {
			continue
		}
		o.eligible.good += t.good
		o.eligible.total += t.total
		for ms, c := range t.ok {
			o.eligible.ok.add(ms, c)
		}
	}
	o.deferred = nil
}
