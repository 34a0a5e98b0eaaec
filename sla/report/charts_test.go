package report

import (
	"math"
	"testing"

	"github.com/vigilmon/vigil/sla"
)

func TestDailyChartFloor(t *testing.T) {
	day := func(ppm int64) sla.Day { return sla.Day{Date: "2026-10-14", AvailabilityPPM: &ppm} }
	for _, tc := range []struct {
		days  []sla.Day
		floor int64
	}{
		{[]sla.Day{day(1_000_000)}, 990_000},
		{[]sla.Day{day(996_000)}, 990_000},
		{[]sla.Day{day(990_000)}, 980_000}, // strictly below: the day's bar keeps some green
		{[]sla.Day{day(965_277)}, 950_000},
		{[]sla.Day{day(0)}, 0},
		{[]sla.Day{{Date: "2026-10-14"}}, 990_000}, // no data
	} {
		c := newDailyChart(&sla.Result{TargetPPM: 999_000, Daily: tc.days})
		if c.FloorPPM != tc.floor {
			t.Errorf("%+v: floor %d, want %d", tc.days, c.FloorPPM, tc.floor)
		}
	}
	res := testResult(t)
	c := newDailyChart(res)
	if len(c.Days) != 31 || c.FloorPPM != 950_000 || c.Target != 0.98 {
		t.Fatalf("chart %d days, floor %d, target at %v", len(c.Days), c.FloorPPM, c.Target)
	}
	d14 := c.Days[13]
	if d14.Label != "14" || !d14.Below || math.Abs(d14.Up-(965_277-950_000)/50_000.0) > 1e-9 {
		t.Errorf("14 October: %+v", d14)
	}
	if !c.Days[9].Maintenance || c.Days[10].Maintenance {
		t.Error("the maintenance mark belongs to 10 October only")
	}
	if c.Ticks[0].Label != "95%" || c.Ticks[4].Label != "100%" || c.Ticks[2].At != 0.5 {
		t.Errorf("ticks %+v", c.Ticks)
	}
}

func TestLatencyChart(t *testing.T) {
	p95 := int64(1808)
	s := sla.ScreenReport{ThresholdMS: 2000, Total: 10, P95MS: &p95, Distribution: []sla.LatencyBucket{
		{UpToMS: 100}, {UpToMS: 200, Count: 1}, {UpToMS: 300, Count: 4}, {UpToMS: 400, Count: 2},
	}}
	c := newLatencyChart(s)
	// the axis runs to 1.5 times the threshold, in whole seconds
	if c.AxisMS != 3000 || len(c.Bars) != 30 || c.Overflow != nil || c.MaxCount != 4 || c.Timeouts != 3 {
		t.Fatalf("chart %+v", c)
	}
	if c.Threshold != 2.0/3 || *c.P95 != 1808.0/3000 || c.Bars[2].Height != 1 || c.Bars[1].Height != 0.25 {
		t.Errorf("threshold at %v, p95 at %v, bars %+v", c.Threshold, *c.P95, c.Bars[:3])
	}
	if c.Bars[19].Slow || !c.Bars[20].Slow { // 1900-2000 is good, 2000-2100 is slow
		t.Error("slow bars start after the threshold")
	}

	// durations beyond the bounded buckets get a bar of their own, and a
	// p95 there points at it
	p95 = 12_000
	s.Distribution = make([]sla.LatencyBucket, sla.BucketLimitMS/sla.BucketMS+1)
	for i := range s.Distribution {
		s.Distribution[i].UpToMS = int64(i+1) * sla.BucketMS
	}
	s.Distribution[len(s.Distribution)-1] = sla.LatencyBucket{UpToMS: math.MaxInt64, Count: 1000}
	s.Distribution[3].Count = 1
	s.Total = 1001
	c = newLatencyChart(s)
	if c.Overflow == nil || c.AxisMS != 3000 || c.Overflow.Height != 1 || c.Bars[3].Height != minBarHeight {
		t.Fatalf("chart %+v", c)
	}
	if math.Abs(c.Threshold-2.0/3*overflowStart) > 1e-12 || *c.P95 != c.Overflow.X+c.Overflow.W/2 || c.Overflow.X <= overflowStart {
		t.Errorf("threshold at %v, p95 at %v, overflow at %v", c.Threshold, *c.P95, c.Overflow.X)
	}
	if newLatencyChart(sla.ScreenReport{Total: 3}) != nil {
		t.Error("a chart without a distribution")
	}
}
