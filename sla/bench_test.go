package sla

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// benchTerms: the checks spread over 100 components, three key screens with a
// nightly backup window, weeknight/weekend maintenance hours and a budget.
func benchTerms(checks int) (Terms, []Window) {
	terms := testTerms()
	terms.Components = nil
	terms.CheckComponents = map[string]string{}
	for i := range checks {
		comp := fmt.Sprintf("comp%03d", i%100)
		if i < 100 { // every component in scope
			terms.Components = append(terms.Components, comp)
		}
		terms.CheckComponents[fmt.Sprintf("check%04d", i)] = comp
	}
	terms.AllowedHours = weeknightHours()
	terms.MonthlyBudget = 4 * time.Hour
	for _, chk := range []string{"check0000", "check0001", "check0002"} {
		terms.Latency = append(terms.Latency, LatencyObjective{Check: chk, ThresholdMS: 2000, TargetPPM: 950_000,
			Exclude: []DailyWindow{{From: 0, To: 120}}})
	}
	ws := []Window{
		win("upgrade", at("2026-10-10 02:00"), at("2026-10-10 05:00"), 200, "comp000", "comp001"),
		win("hotfix", at("2026-10-14 23:00"), at("2026-10-15 00:30"), 1, "comp002"),
	}
	return terms, ws
}

// BenchmarkCalculator streams a whole month (October 2026, 44,700 minutes)
// of checks observed once a minute, series by series as the store returns
// them: 1,000 checks from one location, and 334 checks from three locations
// (the quorum path), about 44.7 million observations per op either way.
func BenchmarkCalculator(b *testing.B) {
	b.Run("1000checks-1location", func(b *testing.B) { benchMonth(b, 1000, 1) })
	b.Run("334checks-3locations", func(b *testing.B) { benchMonth(b, 334, 3) })
}

func benchMonth(b *testing.B, checks, locations int) {
	terms, ws := benchTerms(checks)
	names := make([]string, checks)
	for i := range names {
		names[i] = fmt.Sprintf("check%04d", i)
	}
	locs := []string{"ams", "fra", "lon"}[:locations]
	var observations int64
	var peak uint64
	var ms runtime.MemStats
	b.ReportAllocs()
	for b.Loop() {
		c, err := NewCalculator(terms, 2026, time.October, ws)
		if err != nil {
			b.Fatal(err)
		}
		p := c.Period()
		from, to := p.Start.UnixMilli(), p.End.UnixMilli()
		for i, name := range names {
			for l, loc := range locs {
				o := Observation{Check: name, Location: loc, IntervalMS: minuteMS}
				failIn := 997 - (i+l*5)%997 // one failure in 997 minutes
				dur := int64(200)
				for t := from + 1234 + int64(i); t < to; t += minuteMS {
					o.StartMS = t
					o.OK, o.Reason = true, ""
					if failIn--; failIn == 0 {
						o.OK, o.Reason, failIn = false, "status", 997
					}
					if dur += 7; dur > 2700 {
						dur = 200
					}
					o.DurationMS = dur
					if err := c.Add(o); err != nil {
						b.Fatal(err)
					}
					observations++
				}
			}
		}
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
		r, err := c.Result()
		if err != nil || r.Minutes.Total != 44_700 {
			b.Fatalf("result %v: %+v", err, r.Minutes)
		}
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	b.ReportMetric(float64(observations)/b.Elapsed().Seconds(), "obs/s")
	b.ReportMetric(float64(observations)/float64(b.N), "obs/op")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkAdd is the cost of one Add on the streaming path.
func BenchmarkAdd(b *testing.B) {
	terms, ws := benchTerms(1000)
	c, err := NewCalculator(terms, 2026, time.October, ws)
	if err != nil {
		b.Fatal(err)
	}
	from := c.Period().Start.UnixMilli()
	o := Observation{Check: "check0500", Location: "ams", IntervalMS: minuteMS, OK: true, DurationMS: 300}
	n := int64(0)
	for b.Loop() {
		if n%44_700 == 0 {
			o.Location = fmt.Sprint("loc", n) // a new series each month's worth
		}
		o.StartMS = from + (n%44_700)*minuteMS
		n++
		if err := c.Add(o); err != nil {
			b.Fatal(err)
		}
	}
}
