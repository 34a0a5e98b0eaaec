package sla

import (
	"strings"
	"testing"
	"time"
)

// The example of section 6.
func TestCreditsExample(t *testing.T) {
	tiers := testTerms().Credits
	for _, tc := range []struct {
		up, total int64 // availability = up/total
		want      int64
	}{
		{99_950, 100_000, 0},       // 99.95%
		{99_900, 100_000, 0},       // 99.9%: not strictly below 99.9
		{99_899, 100_000, 10},      // 99.899%
		{99_200, 100_000, 10},      // 99.2%
		{99_000, 100_000, 10},      // 99.0%: not strictly below 99.0
		{98_700, 100_000, 25},      // 98.7%
		{95_000, 100_000, 25},      // 95.0%
		{94_000, 100_000, 100},     // 94%
		{0, 100_000, 100},          // 0%
		{1_997_999, 2_000_000, 10}, // 99.89995%: strictly below 99.9
	} {
		got := credit(tc.up, tc.total-tc.up, tiers)
		if got == nil || *got != tc.want {
			t.Errorf("availability %d/%d: credit %v, want %d", tc.up, tc.total, got, tc.want)
		}
	}
	if credit(0, 0, tiers) != nil {
		t.Error("no data: a credit")
	}
	if got := credit(1, 1, nil); *got != 0 {
		t.Errorf("no tiers: credit %d", *got)
	}
	// Tiers in any order: the smallest below that applies wins.
	rev := []Tier{tiers[2], tiers[0], tiers[1]}
	if got := credit(98_700, 1_300, rev); *got != 25 {
		t.Errorf("unordered tiers: %d", *got)
	}
}

func TestTruncatedDisplay(t *testing.T) {
	for _, tc := range []struct {
		up, down int64
		want     string
		ppm      int64
	}{
		{1_997_999, 2_001, "99.899%", 998_999}, // 99.89995%: never rounds up
		{999, 1, "99.900%", 999_000},
		{2, 1, "66.666%", 666_666},
		{1, 0, "100.000%", 1_000_000},
		{0, 5, "0.000%", 0},
		{99_999_999, 1, "99.999%", 999_999},
	} {
		if got := *percentTruncated(tc.up, tc.up+tc.down); got != tc.want {
			t.Errorf("%d/%d: %s, want %s", tc.up, tc.up+tc.down, got, tc.want)
		}
		if got := *ratioPPM(tc.up, tc.up+tc.down); got != tc.ppm {
			t.Errorf("%d/%d: %d ppm, want %d", tc.up, tc.up+tc.down, got, tc.ppm)
		}
	}
}

// 99.89995% end to end: a long synthetic period of 2,000,000 minutes, of
// which 2,001 are down.
func TestTruncatedDisplayEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("long period")
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(2_000_000 * time.Minute)
	terms := testTerms()
	terms.Location = time.UTC
	r := run(t, terms, from, to, nil,
		Observation{StartMS: from.UnixMilli(), Check: "web", Location: "a", OK: true, IntervalMS: 1_997_999 * minuteMS},
		Observation{StartMS: from.Add(1_997_999 * time.Minute).UnixMilli(), Check: "web", Location: "a", Reason: "timeout", IntervalMS: 2_001 * minuteMS},
	)
	if *r.Availability != "99.899%" || *r.AvailabilityPPM != 998_999 || *r.Met || *r.CreditPercent != 10 {
		t.Errorf("availability %s (%d ppm) met %v credit %d", *r.Availability, *r.AvailabilityPPM, *r.Met, *r.CreditPercent)
	}
}

func TestMetIsIntegerComparison(t *testing.T) {
	for _, tc := range []struct {
		up, down, target int64
		want             bool
	}{
		{999, 1, 999_000, true}, // exactly on target
		{998, 1, 999_000, false},
		{1_997_999, 2_001, 999_000, false}, // 99.89995%
		{999_999, 1, 999_999, true},
		{0, 1, 1, false},
	} {
		if got := *meets(tc.up, tc.up+tc.down, tc.target); got != tc.want {
			t.Errorf("%d up %d down target %d: met %v", tc.up, tc.down, tc.target, got)
		}
	}
	// On target through the calculator: 999 up, 1 down.
	from := at("2026-10-06 00:00")
	obs := okAll("web", from, from.Add(999*time.Minute))
	obs = append(obs, failingAll("web", from.Add(999*time.Minute), from.Add(1000*time.Minute))...)
	r := run(t, testTerms(), from, from.Add(1000*time.Minute), nil, obs...)
	if !*r.Met || *r.AvailabilityPPM != 999_000 || *r.CreditPercent != 0 || *r.Availability != "99.900%" {
		t.Errorf("on target: %s met %v credit %d", *r.Availability, *r.Met, *r.CreditPercent)
	}
}

func TestNoDataNulls(t *testing.T) {
	r := run(t, testTerms(), t0, t10, nil)
	js := mustJSON(t, r)
	for _, want := range []string{
		`"availability_ppm":null`, `"availability":null`, `"met":null`, `"credit_percent":null`,
		`"minutes":{"total":10,"excluded":0,"down":0,"unmonitored":10,"up":0}`,
		`"maintenance":[]`, `"incidents":[]`, `"screens":[]`,
		`"daily":[{"date":"2026-10-06","up":0,"down":0,"excluded":0,"unmonitored":10,"availability_ppm":null}]`,
		`"schema":"vigil.sla.v1"`, `"customer":"acme"`, `"month":"2026-10"`, `"timezone":"Europe/Amsterdam"`,
		`"target_ppm":999000`, `"period_start":"2026-10-06T10:00:00+02:00"`,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("json lacks %s:\n%s", want, js)
		}
	}
	// Only excluded minutes: still no data.
	w := win("w", t0, t10, 200)
	r = run(t, testTerms(), t0, t10, []Window{w}, failingAll("web", t0, t10)...)
	if r.AvailabilityPPM != nil || r.CreditPercent != nil || r.Minutes.Excluded != 10 {
		t.Errorf("all excluded: %+v", r)
	}
}

// Excluding minutes that were up can lower the figure (section 4): the
// contract formula, kept as written.
func TestExcludingUpMinutesLowersAvailability(t *testing.T) {
	from := at("2026-10-06 21:00")
	to := from.Add(100 * time.Minute)
	obs := append(failingAll("web", from, from.Add(time.Minute)), okAll("web", from.Add(time.Minute), to)...)
	before := run(t, testTerms(), from, to, nil, obs...)
	after := run(t, testTerms(), from, to, []Window{win("w", from.Add(50*time.Minute), to, 200)}, obs...)
	if *before.AvailabilityPPM != 990_000 || *after.AvailabilityPPM != 980_000 {
		t.Errorf("before %d after %d", *before.AvailabilityPPM, *after.AvailabilityPPM)
	}
}

func TestTermsValidation(t *testing.T) {
	terms := Terms{
		Components:            []string{"app", "app", "db"},
		CheckComponents:       map[string]string{"web": "app"},
		AvailabilityTargetPPM: 99_9,
		MonthlyBudget:         90 * time.Second,
		Latency:               []LatencyObjective{{Check: "", TargetPPM: 2_000_000, Exclude: []DailyWindow{{From: 60, To: 60}}}},
		Credits:               []Tier{{BelowPPM: 999_000, CreditPercent: 10}, {BelowPPM: 999_000, CreditPercent: -1}},
		Notice:                -time.Hour,
	}
	terms.AvailabilityTargetPPM = 0
	_, err := NewCalculatorForPeriod(terms, Period{t0, t10}, nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"time zone is missing", `component "app" twice`, `"db" is in scope but no check covers it`,
		"availability target 0 ppm", "notice -1h0m0s is negative", "budget 1m30s must be whole minutes",
		"check is empty", "target 2000000 ppm", "empty or the whole day", "two credit tiers are below 999000",
		"credit -1% is negative",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestIncidents(t *testing.T) {
	from, to := at("2026-10-06 22:00"), at("2026-10-06 22:10")
	obs := append(okAll("web", from, at("2026-10-06 22:03")), failingAll("web", at("2026-10-06 22:03"), to)...)
	w := win("w", at("2026-10-06 22:06"), at("2026-10-06 22:08"), 200)
	r := run(t, testTerms(), from, to, []Window{w}, obs...)
	if got := classString(r.Classes()); got != "UUUDDDXXDD" {
		t.Fatalf("classes %s", got)
	}
	r.AddIncidents(
		Incident{ID: "i1", Start: at("2026-10-06 22:02:30"), End: ptr(at("2026-10-06 22:07:10")), Components: []string{"app"}},
		Incident{ID: "open", Start: at("2026-10-06 22:09:59")},
		Incident{ID: "last-month", Start: at("2026-09-06 22:00"), End: ptr(at("2026-09-06 23:00"))},
		Incident{ID: "ends-at-start", Start: at("2026-10-06 21:00"), End: ptr(from)},
	)
	if len(r.Incidents) != 2 {
		t.Fatalf("incidents %+v", r.Incidents)
	}
	// i1 overlaps minutes 22:02..22:07: down at 22:03, 22:04, 22:05.
	if i := r.Incidents[0]; i.CountedMinutes != 3 || i.DurationSeconds != 280 {
		t.Errorf("i1 %+v", i)
	}
	if i := r.Incidents[1]; i.CountedMinutes != 1 || i.DurationSeconds != 1 || i.End != nil {
		t.Errorf("open %+v", i)
	}
	if c, ok := r.ClassAt(at("2026-10-06 22:06:59")); !ok || c != ClassExcluded {
		t.Errorf("ClassAt %v %v", c, ok)
	}
	if _, ok := r.ClassAt(to); ok {
		t.Error("ClassAt after the period")
	}
}
