package resultsdb

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/tsdb/chunkenc"

	"github.com/vigilmon/vigil/probe"
)

// intervalSamples returns the timestamps of the stored interval samples.
func intervalSamples(t *testing.T, r *Results) []int64 {
	t.Helper()
	q, err := r.db.Querier(math.MinInt64, math.MaxInt64)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	set := q.Select(context.Background(), false, nil, labels.MustNewMatcher(labels.MatchEqual, labelName, metricInterval))
	var ts []int64
	for set.Next() {
		it := set.At().Iterator(nil)
		for it.Next() == chunkenc.ValFloat {
			ts = append(ts, it.AtT())
		}
	}
	if err := set.Err(); err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestIntervalWrittenOnChangeAndHourly: the interval series gets a sample
// with the first result, when the interval changes, at least hourly and for
// a late result; Query still gives every result its interval, also when
// From cuts between interval samples.
func TestIntervalWrittenOnChangeAndHourly(t *testing.T) {
	r := openTest(t, t.TempDir(), testOptions())
	var rs []probe.Result
	for i := range 150 { // 2.5 hours, every minute; 5 minutes from minute 100 on
		iv := time.Minute
		if i >= 100 {
			iv = 5 * time.Minute
		}
		rs = append(rs, probe.Result{Check: "c", Location: "x", Start: t0.Add(time.Duration(i) * time.Minute), Interval: iv, OK: true})
	}
	writeAll(t, r, rs...)
	late := probe.Result{Check: "c", Location: "x", Start: t0.Add(95*time.Minute + time.Second), Interval: time.Minute, OK: true}
	writeAll(t, r, late)

	ms := func(m int) int64 { return t0.Add(time.Duration(m) * time.Minute).UnixMilli() }
	want := []int64{ms(0), ms(60), late.Start.UnixMilli(), ms(100)} // first, hourly, late, change
	if s := r.Stats(); s.Rejected != 0 {
		t.Fatalf("rejected: %+v", s)
	}
	got := intervalSamples(t, r)
	if len(got) != len(want) {
		t.Fatalf("interval samples at %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("interval samples at %v, want %v", got, want)
		}
	}
	for _, from := range []time.Time{{}, t0.Add(59 * time.Minute), t0.Add(130 * time.Minute)} {
		for _, res := range queryAll(t, r, Query{From: from}) {
			wantIv := time.Minute
			if res.Start.Sub(t0) >= 100*time.Minute {
				wantIv = 5 * time.Minute
			}
			if res.Interval != wantIv {
				t.Fatalf("from %v: result at %v has interval %v, want %v", from, res.Start, res.Interval, wantIv)
			}
		}
	}
}

// TestIntervalRewrittenAfterFailedCommit: forgetting the written intervals
// makes the next result of every group write one again.
func TestIntervalRewrittenAfterFailedCommit(t *testing.T) {
	c := make(refCache)
	res := probe.Result{Check: "c", Location: "x", Start: t0, Interval: time.Minute}
	g := c.group(&res)
	g.lastInterval.wrote(t0.UnixMilli(), 60)
	if g.lastInterval.needs(t0.Add(time.Minute).UnixMilli(), 60) {
		t.Fatal("unchanged interval written again")
	}
	c.forgetIntervals()
	if !g.lastInterval.needs(t0.Add(time.Minute).UnixMilli(), 60) {
		t.Fatal("interval not written after forgetIntervals")
	}
}
