package report

import (
	"fmt"
	"time"

	"github.com/vigilmon/vigil/sla"
)

// The charts' geometry in unit coordinates (x and heights 0..1), computed
// once and drawn by both the SVG of the HTML page and the fpdf primitives of
// the PDF, so the two renderings show the same picture.

// dailyChart is the daily availability chart: one bar per local day, its
// available part up to the day's availability and the rest to 100% marked
// down, on an axis from FloorPPM (bottom) to 100% with the target as a line.
type dailyChart struct {
	Days     []dayBar
	FloorPPM int64
	Target   float64 // height of the target line
	Ticks    []tick  // along the y axis
}

// dayBar is one day of the daily chart.
type dayBar struct {
	Label       string  // day of the month, "14"
	Up          float64 // height of the available part; the rest is down
	Below       bool    // the day's availability is below the target
	NoData      bool    // neither up nor down minutes: no availability
	Maintenance bool    // minutes excluded by planned maintenance
	Text        string  // the day's figures in words, for screen readers and titles
}

// tick is an axis label at a position 0..1.
type tick struct {
	At    float64
	Label string
}

// floorsPPM are the candidate bottoms of the daily chart's y axis, highest
// first: the highest one below the target and every day's figure is used, so
// that a dip of minutes stays visible next to the target line.
var floorsPPM = []int64{990_000, 980_000, 950_000, 900_000, 800_000, 500_000, 0}

// newDailyChart lays out the daily chart of res.
func newDailyChart(res *sla.Result) *dailyChart {
	lowest := res.TargetPPM
	for _, d := range res.Daily {
		if d.AvailabilityPPM != nil {
			lowest = min(lowest, *d.AvailabilityPPM)
		}
	}
	c := &dailyChart{}
	for _, f := range floorsPPM {
		if f < lowest || f == 0 {
			c.FloorPPM = f
			break
		}
	}
	height := func(ppm int64) float64 {
		h := float64(ppm-c.FloorPPM) / float64(1_000_000-c.FloorPPM)
		return min(max(h, 0), 1)
	}
	c.Target = height(res.TargetPPM)
	for i := range 5 {
		ppm := c.FloorPPM + int64(i)*(1_000_000-c.FloorPPM)/4
		c.Ticks = append(c.Ticks, tick{At: height(ppm), Label: targetPercent(ppm)})
	}
	for _, d := range res.Daily {
		b := dayBar{Label: d.Date, Text: dayText(d), Maintenance: d.Excluded > 0}
		if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
			b.Label = fmt.Sprint(t.Day())
		}
		if d.AvailabilityPPM == nil {
			b.NoData = true
		} else {
			b.Up = height(*d.AvailabilityPPM)
			b.Below = *d.AvailabilityPPM < res.TargetPPM
		}
		c.Days = append(c.Days, b)
	}
	return c
}

// dayText is a day's figures in words: "Wed 14 Oct 2026: 96.527% available,
// 50 min down, 0 min excluded, 0 min unmonitored".
func dayText(d sla.Day) string {
	date := d.Date
	if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
		date = t.Format("Mon 2 Jan 2006")
	}
	avail := "no data"
	if d.AvailabilityPPM != nil {
		avail = percentPPM(*d.AvailabilityPPM) + " available"
	}
	return fmt.Sprintf("%s: %s, %s min down, %s min excluded (planned maintenance), %s min unmonitored",
		date, avail, count(d.Down), count(d.Excluded), count(d.Unmonitored))
}

// latencyChart is a key screen's latency distribution: one bar per
// sla.BucketMS of successful durations up to AxisMS, and, if there are
// durations beyond sla.BucketLimitMS, one more bar for them at the right
// end after a gap; the threshold and p95 as positions on the same x scale.
type latencyChart struct {
	Bars      []latencyBar
	Overflow  *latencyBar // nil without durations beyond sla.BucketLimitMS
	AxisMS    int64       // the bounded part's x axis runs from 0 to AxisMS
	MaxCount  int64       // the count of the highest bar (height 1)
	Threshold float64     // x of the threshold line
	P95       *float64    // x of the p95 marker; nil without ok durations
	P95MS     int64
	Ticks     []tick // along the x axis
	Timeouts  int64  // eligible observations that timed out (not in any bar)
}

// latencyBar is one bucket of the latency chart.
type latencyBar struct {
	X, W, Height float64
	Slow         bool // every duration in it is beyond the threshold
	Text         string
}

const (
	// minBarHeight keeps a bucket with few observations visible.
	minBarHeight = 0.015
	// overflowStart is where the bounded buckets end when an overflow bar
	// follows, centred in the rest of the width.
	overflowStart = 0.86
)

// newLatencyChart lays out the chart of s; nil when it has no distribution.
func newLatencyChart(s sla.ScreenReport) *latencyChart {
	if len(s.Distribution) == 0 {
		return nil
	}
	c := &latencyChart{Timeouts: s.Total}
	var last int64 // the last non-empty bounded bucket's bound
	for _, b := range s.Distribution {
		c.Timeouts -= b.Count
		c.MaxCount = max(c.MaxCount, b.Count)
		if b.Count > 0 && b.UpToMS <= sla.BucketLimitMS {
			last = b.UpToMS
		}
	}
	c.AxisMS = max(last, s.ThresholdMS+s.ThresholdMS/2, 1000)
	c.AxisMS = min((c.AxisMS+999)/1000*1000, sla.BucketLimitMS)
	n := int(c.AxisMS / sla.BucketMS)
	overflow := s.Distribution[len(s.Distribution)-1]
	hasOverflow := overflow.UpToMS > sla.BucketLimitMS && overflow.Count > 0
	bounded := 1.0 // the share of the width for the bounded buckets
	if hasOverflow {
		bounded = overflowStart
	}
	slot := bounded / float64(n)
	x := func(ms int64) float64 { return float64(min(ms, c.AxisMS)) / float64(c.AxisMS) * bounded }
	height := func(n int64) float64 {
		if n == 0 {
			return 0
		}
		return max(float64(n)/float64(c.MaxCount), minBarHeight)
	}
	for i := range n {
		var b sla.LatencyBucket
		if i < len(s.Distribution) && s.Distribution[i].UpToMS <= sla.BucketLimitMS {
			b = s.Distribution[i]
		}
		from := int64(i) * sla.BucketMS
		c.Bars = append(c.Bars, latencyBar{
			X: float64(i) * slot, W: slot, Height: height(b.Count),
			Slow: from >= s.ThresholdMS,
			Text: fmt.Sprintf("%s to %s: %s", count(from), millis(from+sla.BucketMS), count(b.Count)),
		})
	}
	if hasOverflow {
		c.Overflow = &latencyBar{
			X: (1+overflowStart)/2 - slot/2, W: slot, Height: height(overflow.Count),
			Slow: sla.BucketLimitMS >= s.ThresholdMS,
			Text: fmt.Sprintf("over %s: %s", millis(sla.BucketLimitMS), count(overflow.Count)),
		}
	}
	c.Threshold = x(s.ThresholdMS)
	if s.P95MS != nil {
		p := x(*s.P95MS)
		if *s.P95MS > c.AxisMS && c.Overflow != nil {
			p = c.Overflow.X + c.Overflow.W/2
		}
		c.P95, c.P95MS = &p, *s.P95MS
	}
	step := int64(1000)
	if c.AxisMS <= 2000 {
		step = 500
	}
	for ms := int64(0); ms <= c.AxisMS; ms += step {
		c.Ticks = append(c.Ticks, tick{At: x(ms), Label: secondsLabel(ms)})
	}
	return c
}

// secondsLabel formats an axis position: "0", "0.5 s", "2 s".
func secondsLabel(ms int64) string {
	switch {
	case ms == 0:
		return "0"
	case ms%1000 == 0:
		return fmt.Sprintf("%d s", ms/1000)
	}
	return fmt.Sprintf("%d.%d s", ms/1000, ms%1000/100)
}
