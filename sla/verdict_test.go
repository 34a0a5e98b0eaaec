package sla

import (
	"errors"
	"testing"
	"time"
)

// Ten minutes from 10:00; results as one letter per minute.
var (
	t0  = at("2026-10-06 10:00") // a Tuesday
	t10 = t0.Add(10 * time.Minute)
)

func minute(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }

func TestLocationVerdictInMinute(t *testing.T) {
	for _, tc := range []struct {
		name string
		oks  []bool // observations in minute 0, 10 s apart
		want string
	}{
		{"one ok", []bool{true}, "U"},
		{"one failed", []bool{false}, "D"},
		{"tie fails", []bool{true, false}, "D"},
		{"tie fails other order", []bool{false, true}, "D"},
		{"two of three ok", []bool{true, false, true}, "U"},
		{"two of three failed", []bool{false, true, false}, "D"},
		{"two of four failed", []bool{true, true, false, false}, "D"},
		{"one of four failed", []bool{true, false, true, true}, "U"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var obs []Observation
			for i, ok := range tc.oks {
				o := ob("web", "ams", t0.Add(time.Duration(i)*10*time.Second), ok)
				o.IntervalMS = 10_000 // covers nothing beyond the minute
				obs = append(obs, o)
			}
			r := run(t, testTerms(), t0, t0.Add(2*time.Minute), nil, obs...)
			if got := classString(r.Classes()); got != tc.want+"N" {
				t.Errorf("classes %s, want %sN", got, tc.want)
			}
		})
	}
}

func TestQuorum(t *testing.T) {
	// Each location's verdict for minute 0: 'p' passing, 'f' failing, '-' no data.
	for _, tc := range []struct {
		locs string
		want Class
	}{
		{"p", ClassUp}, {"f", ClassDown},
		{"pp", ClassUp}, {"pf", ClassUp}, {"ff", ClassDown},
		{"f-", ClassDown}, {"p-", ClassUp}, {"--", ClassNoData},
		{"ppp", ClassUp}, {"ppf", ClassUp}, {"pff", ClassDown}, {"fff", ClassDown},
		{"pf-", ClassUp}, {"ff-", ClassDown}, {"f--", ClassDown}, {"---", ClassNoData},
		{"ppff", ClassUp}, {"pfff", ClassDown}, {"ff--", ClassDown}, {"fp--", ClassUp},
	} {
		var obs []Observation
		for i, v := range tc.locs {
			loc := string(rune('a' + i))
			// Every location has data at some point, so '-' is a real
			// location without data in minute 0.
			obs = append(obs, ob("web", loc, minute(0), v == 'p'))
			if v == '-' {
				obs[len(obs)-1] = ob("web", loc, minute(5), true)
			}
		}
		r := run(t, testTerms(), t0, t10, nil, obs...)
		if got := r.Classes()[0]; got != tc.want {
			t.Errorf("locations %q: %s, want %s", tc.locs, got, tc.want)
		}
	}
}

func TestCoverage(t *testing.T) {
	for _, tc := range []struct {
		name string
		obs  []Observation
		want string
	}{
		{"five-minute interval covers five minutes",
			[]Observation{{StartMS: minute(1).UnixMilli(), OK: false, Reason: "connect", IntervalMS: 300_000}},
			"NDDDDDNNNN"},
		{"start+interval equal to the minute start does not cover",
			[]Observation{{StartMS: minute(1).UnixMilli(), OK: true, IntervalMS: 120_000}},
			"NUUNNNNNNN"},
		{"90 s interval from :30 covers the next minute only",
			[]Observation{{StartMS: minute(0).Add(30 * time.Second).UnixMilli(), OK: true, IntervalMS: 90_000}},
			"UUNNNNNNNN"},
		{"one millisecond more covers one more minute",
			[]Observation{{StartMS: minute(0).Add(30 * time.Second).UnixMilli(), OK: true, IntervalMS: 90_001}},
			"UUUNNNNNNN"},
		{"the latest earlier observation decides, not a longer older one",
			[]Observation{
				{StartMS: minute(0).UnixMilli(), OK: false, Reason: "status", IntervalMS: 600_000},
				{StartMS: minute(1).UnixMilli(), OK: true, IntervalMS: 60_000},
			},
			"DUNNNNNNNN"},
		{"the latest observation's verdict, not the minute's majority",
			[]Observation{
				{StartMS: minute(0).UnixMilli(), OK: true, IntervalMS: 120_000},
				{StartMS: minute(0).Add(10 * time.Second).UnixMilli(), OK: true, IntervalMS: 120_000},
				{StartMS: minute(0).Add(20 * time.Second).UnixMilli(), OK: false, Reason: "status", IntervalMS: 120_000},
			},
			"UDDNNNNNNN"}, // the last one covers until 10:02:20
		{"observations in a minute override coverage",
			[]Observation{
				{StartMS: minute(0).UnixMilli(), OK: false, Reason: "status", IntervalMS: 600_000},
				{StartMS: minute(3).UnixMilli(), OK: true, IntervalMS: 60_000},
			},
			"DDDUNNNNNN"},
		{"observations after the period are ignored",
			[]Observation{{StartMS: t10.UnixMilli(), OK: false, Reason: "status", IntervalMS: 60_000}},
			"NNNNNNNNNN"},
		{"coverage runs to the period end",
			[]Observation{{StartMS: minute(8).UnixMilli(), OK: false, Reason: "status", IntervalMS: 3_600_000}},
			"NNNNNNNNDD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.obs {
				tc.obs[i].Check, tc.obs[i].Location = "web", "ams"
			}
			r := run(t, testTerms(), t0, t10, nil, tc.obs...)
			if got := classString(r.Classes()); got != tc.want {
				t.Errorf("classes %s, want %s", got, tc.want)
			}
		})
	}
}

// An observation from before the period covers its first minutes.
func TestCoverageAcrossMonthBoundary(t *testing.T) {
	c, err := NewCalculator(testTerms(), 2026, time.November, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := c.Period().Start
	for _, o := range []Observation{
		{StartMS: start.Add(-10 * time.Minute).UnixMilli(), OK: true, IntervalMS: 300_000},                               // no longer covers
		{StartMS: start.Add(-2*time.Minute - 30*time.Second).UnixMilli(), OK: false, Reason: "dns", IntervalMS: 300_000}, // until 00:02:30
		{StartMS: start.Add(5 * time.Minute).UnixMilli(), OK: true, IntervalMS: 60_000},
	} {
		o.Check, o.Location = "web", "ams"
		if err := c.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	r, _ := c.Result()
	if got := classString(r.Classes()[:7]); got != "DDDNNUN" {
		t.Errorf("first minutes %s, want DDDNNUN", got)
	}
	if r.Minutes.Down != 3 || r.Minutes.Up != 1 {
		t.Errorf("minutes %+v", r.Minutes)
	}
}

func TestComponentFromChecks(t *testing.T) {
	terms := testTerms()
	terms.CheckComponents = map[string]string{"web": "app", "login": "app", "other": "elsewhere"}
	obs := []Observation{
		// minute 0: web up, login down -> app down
		ob("web", "a", minute(0), true), ob("login", "a", minute(0), false),
		// minute 1: web up, login no data -> up
		ob("web", "a", minute(1), true),
		// minute 2: only login, up
		ob("login", "a", minute(2), true),
		// minute 3: only an out-of-scope check, failing -> no data
		ob("other", "a", minute(3), false),
	}
	r := run(t, terms, t0, minute(4), nil, obs...)
	if got := classString(r.Classes()); got != "DUUN" {
		t.Errorf("classes %s, want DUUN", got)
	}
}

func TestOutOfOrder(t *testing.T) {
	c, err := NewCalculatorForPeriod(testTerms(), Period{t0, t10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Add(ob("web", "a", minute(2), true)))
	must(c.Add(ob("web", "b", minute(0), false))) // another series: fine
	must(c.Add(ob("web", "a", minute(2), false))) // same start: fine (tie -> failing)
	err = c.Add(ob("web", "a", minute(1), false))
	if !errors.Is(err, ErrOutOfOrder) {
		t.Fatalf("out of order: %v", err)
	}
	r, _ := c.Result()
	// b fails minute 0 (covering it only); a ties in minute 2 (ties fail)
	// and covers nothing more: the rejected observation changed nothing.
	if got := classString(r.Classes()[:4]); got != "DNDN" {
		t.Errorf("classes %s, want DNDN", got)
	}
	if err := c.Add(ob("web", "a", minute(5), true)); !errors.Is(err, ErrFinished) {
		t.Errorf("Add after Result: %v", err)
	}
}

func TestObservationValidation(t *testing.T) {
	c, err := NewCalculatorForPeriod(testTerms(), Period{t0, t10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	good := ob("web", "a", minute(1), true)
	for name, mod := range map[string]func(*Observation){
		"no location":       func(o *Observation) { o.Location = "" },
		"zero interval":     func(o *Observation) { o.IntervalMS = 0 },
		"negative duration": func(o *Observation) { o.DurationMS = -1 },
		"ok with a reason":  func(o *Observation) { o.Reason = "timeout" },
	} {
		o := good
		mod(&o)
		if err := c.Add(o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Unknown checks are ignored without validation errors.
	if err := c.Add(Observation{Check: "unknown", Location: "a"}); err != nil {
		t.Errorf("unknown check: %v", err)
	}
	r, _ := c.Result()
	if r.Minutes.Unmonitored != 10 {
		t.Errorf("rejected observations changed the result: %+v", r.Minutes)
	}
}

func TestMillis(t *testing.T) {
	for _, tc := range []struct {
		sec  float64
		want int64
	}{
		{1.9995, 2000}, {1.9994999, 1999}, {2.0, 2000}, {0.0005, 1}, {0.0004999, 0},
		{0, 0}, {2.000499999, 2000}, {2.0005, 2001}, {0.1 + 0.2, 300}, {12.3455, 12346},
	} {
		got, err := MillisFromSeconds(tc.sec)
		if err != nil || got != tc.want {
			t.Errorf("MillisFromSeconds(%v) = %d, %v; want %d", tc.sec, got, err, tc.want)
		}
	}
	for _, bad := range []float64{-0.001, 1e300} {
		if _, err := MillisFromSeconds(bad); err == nil {
			t.Errorf("MillisFromSeconds(%v): no error", bad)
		}
	}
	if got := MillisFromDuration(1999*time.Millisecond + 500*time.Microsecond); got != 2000 {
		t.Errorf("MillisFromDuration(1999.5ms) = %d", got)
	}
	if got := MillisFromDuration(1999*time.Millisecond + 499999); got != 1999 {
		t.Errorf("MillisFromDuration(1999.499999ms) = %d", got)
	}
}
