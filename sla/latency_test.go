package sla

import (
	"testing"
	"time"
)

func screenTerms(exclude ...DailyWindow) Terms {
	terms := testTerms()
	terms.CheckComponents["screen"] = "app"
	terms.Latency = []LatencyObjective{{Check: "screen", ThresholdMS: 2000, TargetPPM: 950_000, Exclude: exclude}}
	return terms
}

func lat(t time.Time, ok bool, ms int64, reason string) Observation {
	return Observation{StartMS: t.UnixMilli(), Check: "screen", Location: "ams", OK: ok, DurationMS: ms, Reason: reason, IntervalMS: 60_000}
}

func TestLatencyGoodAndTotal(t *testing.T) {
	obs := []Observation{
		lat(t0.Add(-time.Second), true, 10, ""), // before the period
		lat(minute(0), true, 2000, ""),          // exactly 2000 ms is good
		lat(minute(1), true, 2001, ""),          // slow
		lat(minute(2), false, 5000, "timeout"),  // bad
		lat(minute(3), false, 30, "status"),     // availability's business
		lat(minute(4), true, 10, ""),
		lat(t10, true, 10, ""), // after the period
	}
	r := run(t, screenTerms(), t0, t10, nil, obs...)
	s := r.Screens[0]
	if s.Total != 4 || s.Good != 2 || *s.CompliancePPM != 500_000 || *s.Met || *s.Compliance != "50.000%" {
		t.Errorf("screen %+v", s)
	}
	// Percentiles over the ok durations 10, 2000, 2001.
	if *s.P50MS != 2000 || *s.P95MS != 2001 || *s.P99MS != 2001 {
		t.Errorf("percentiles %d %d %d", *s.P50MS, *s.P95MS, *s.P99MS)
	}
	// A failing screen check also makes its component down.
	if got := classString(r.Classes()); got != "UUDDUNNNNN" {
		t.Errorf("classes %s", got)
	}
}

func TestPercentilesNearestRank(t *testing.T) {
	for _, tc := range []struct {
		durations     []int64
		p50, p95, p99 int64
	}{
		{[]int64{7}, 7, 7, 7},
		{[]int64{1, 2}, 1, 2, 2},
		{[]int64{40, 10, 30, 20}, 20, 40, 40},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, 10, 10},
		{seq(1, 100), 50, 95, 99},
		{seq(1, 20), 10, 19, 20},                              // rank ceil(0.95*20) = 19
		{seq(1, 200), 100, 190, 198},                          // ceil(0.99*200) = 198
		{append(seq(1, 98), 40_000, 120_000), 50, 95, 40_000}, // beyond the dense range
	} {
		var obs []Observation
		for i, d := range tc.durations {
			obs = append(obs, lat(t0.Add(time.Duration(i)*time.Second), true, d, ""))
		}
		r := run(t, screenTerms(), t0, t10, nil, obs...)
		s := r.Screens[0]
		if *s.P50MS != tc.p50 || *s.P95MS != tc.p95 || *s.P99MS != tc.p99 {
			t.Errorf("%v: p50 %d p95 %d p99 %d, want %d %d %d", tc.durations, *s.P50MS, *s.P95MS, *s.P99MS, tc.p50, tc.p95, tc.p99)
		}
	}
}

func seq(from, to int64) []int64 {
	var out []int64
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func TestLatencyExclusionWindow(t *testing.T) {
	backup := DailyWindow{From: 0, To: 120} // 00:00-02:00 in the SLA's zone
	obs := []Observation{
		lat(at("2026-10-06 23:59:59.999"), true, 5000, ""),
		lat(at("2026-10-07 00:00"), true, 9000, ""), // excluded
		lat(at("2026-10-07 01:59:59.999"), false, 9000, "timeout"),
		lat(at("2026-10-07 02:00"), true, 100, ""),
	}
	r := run(t, screenTerms(backup), at("2026-10-06 23:00"), at("2026-10-07 03:00"), nil, obs...)
	if s := r.Screens[0]; s.Total != 2 || s.Good != 1 || *s.P50MS != 100 || *s.P99MS != 5000 {
		t.Errorf("screen %+v", s)
	}
	// The same window in UTC is 02:00-04:00 Amsterdam summer time.
	backup.Location = time.UTC
	obs = []Observation{
		lat(at("2026-10-07 01:59"), true, 1, ""),
		lat(at("2026-10-07 02:00"), true, 2, ""), // excluded
		lat(at("2026-10-07 03:59"), true, 3, ""), // excluded
		lat(at("2026-10-07 04:00"), true, 4, ""),
	}
	r = run(t, screenTerms(backup), at("2026-10-07 00:00"), at("2026-10-07 05:00"), nil, obs...)
	if s := r.Screens[0]; s.Total != 2 || *s.P50MS != 1 || *s.P95MS != 4 {
		t.Errorf("UTC window: screen %+v", s)
	}
}

// An exclusion window in a zone with a 45-minute offset (Kathmandu,
// +05:45) that wraps midnight: 23:30-00:15 local.
func TestLatencyExclusionOtherZone(t *testing.T) {
	ktm := mustLoc("Asia/Kathmandu") // +05:45
	w := DailyWindow{From: 23*60 + 30, To: 15, Location: ktm}
	base := time.Date(2026, 10, 7, 23, 29, 0, 0, ktm)
	obs := []Observation{
		lat(base, true, 1, ""),                     // 23:29 in
		lat(base.Add(time.Minute), true, 2, ""),    // 23:30 out
		lat(base.Add(45*time.Minute), true, 3, ""), // 00:14 out
		lat(base.Add(46*time.Minute), true, 4, ""), // 00:15 in
	}
	r := run(t, screenTerms(w), base.Truncate(time.Hour), base.Add(2*time.Hour), nil, obs...)
	if s := r.Screens[0]; s.Total != 2 || *s.P50MS != 1 || *s.P99MS != 4 {
		t.Errorf("screen %+v", s)
	}
}

// Observations in excluded minutes are left out; in a maintenance minute
// that is classified down (another component failed) they count.
func TestLatencyExcludedMinutes(t *testing.T) {
	terms := screenTerms()
	terms.Components = []string{"app", "api"}
	terms.CheckComponents["rest"] = "api"
	from, to := at("2026-10-06 22:00"), at("2026-10-06 22:06")
	w := win("w", at("2026-10-06 22:01"), at("2026-10-06 22:05"), 200, "app")
	obs := []Observation{
		lat(from, true, 1, ""),
		lat(at("2026-10-06 22:01"), true, 9000, ""),      // excluded minute
		lat(at("2026-10-06 22:02"), false, 0, "timeout"), // excluded minute
		lat(at("2026-10-06 22:03"), true, 3000, ""),      // api down: counts
		lat(at("2026-10-06 22:03:30"), true, 3001, ""),   // api down: counts
		lat(at("2026-10-06 22:05"), true, 5, ""),
	}
	obs = append(obs, okAll("rest", from, at("2026-10-06 22:03"))...)
	obs = append(obs, failingAll("rest", at("2026-10-06 22:03"), at("2026-10-06 22:04"))...)
	obs = append(obs, okAll("rest", at("2026-10-06 22:04"), to)...)
	r := run(t, terms, from, to, []Window{w}, obs...)
	if got := classString(r.Classes()); got != "UXXDXU" {
		t.Errorf("classes %s", got)
	}
	s := r.Screens[0]
	if s.Total != 4 || s.Good != 2 || *s.P50MS != 5 || *s.P95MS != 3001 {
		t.Errorf("screen %+v", s)
	}
}

func TestLatencyNoData(t *testing.T) {
	r := run(t, screenTerms(), t0, t10, nil, lat(minute(1), false, 0, "connect"))
	s := r.Screens[0]
	if s.Total != 0 || s.CompliancePPM != nil || s.Met != nil || s.P50MS != nil || s.Compliance != nil {
		t.Errorf("screen %+v", s)
	}
	if got := mustJSON(t, s); got != `{"check":"screen","threshold_ms":2000,"total":0,"good":0,"compliance_ppm":null,"compliance":null,"target_ppm":950000,"met":null,"p50_ms":null,"p95_ms":null,"p99_ms":null}` {
		t.Errorf("json %s", got)
	}
}

// A latency-only check (not covering any component) needs no time order.
func TestLatencyOnlyCheckAnyOrder(t *testing.T) {
	terms := testTerms()
	terms.Latency = []LatencyObjective{{Check: "screen", ThresholdMS: 2000, TargetPPM: 950_000}}
	r := run(t, terms, t0, t10, nil,
		lat(minute(5), true, 3000, ""), lat(minute(1), true, 1000, ""), lat(minute(3), true, 2000, ""))
	if s := r.Screens[0]; s.Total != 3 || s.Good != 2 || *s.P50MS != 2000 {
		t.Errorf("screen %+v", s)
	}
	if r.Minutes.Unmonitored != 10 {
		t.Errorf("a latency-only check made availability data: %+v", r.Minutes)
	}
}
