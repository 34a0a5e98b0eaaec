package sla

import (
	"encoding/json"
	"testing"
	"time"
)

var ams = mustLoc("Europe/Amsterdam")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// at parses "2006-01-02 15:04[:05]" in Europe/Amsterdam.
func at(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05.000", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, ams); err == nil {
			return t
		}
	}
	panic("bad time " + s)
}

func ptr[T any](v T) *T { return &v }

// testTerms is a one-component SLA in Amsterdam: check "web" covers "app".
func testTerms() Terms {
	return Terms{
		Customer:              "acme",
		Location:              ams,
		Components:            []string{"app"},
		CheckComponents:       map[string]string{"web": "app"},
		AvailabilityTargetPPM: 999_000,
		Notice:                120 * time.Hour,
		Credits: []Tier{
			{BelowPPM: 999_000, CreditPercent: 10},
			{BelowPPM: 990_000, CreditPercent: 25},
			{BelowPPM: 950_000, CreditPercent: 100},
		},
	}
}

// ob is an observation with a one-minute interval and 100 ms duration.
func ob(check, loc string, t time.Time, ok bool) Observation {
	o := Observation{StartMS: t.UnixMilli(), Check: check, Location: loc, OK: ok, DurationMS: 100, IntervalMS: 60_000}
	if !ok {
		o.Reason = "status"
	}
	return o
}

// run computes the terms over [from, to) with the observations and windows.
func run(t *testing.T, terms Terms, from, to time.Time, ws []Window, obs ...Observation) *Result {
	t.Helper()
	c, err := NewCalculatorForPeriod(terms, Period{Start: from, End: to}, ws)
	if err != nil {
		t.Fatalf("NewCalculatorForPeriod: %v", err)
	}
	for _, o := range obs {
		if err := c.Add(o); err != nil {
			t.Fatalf("Add(%+v): %v", o, err)
		}
	}
	r, err := c.Result()
	if err != nil {
		t.Fatalf("Result: %v", err)
	}
	return r
}

// classString renders classes as one letter per minute: U D X N.
func classString(cs []Class) string {
	b := make([]byte, len(cs))
	for i, c := range cs {
		b[i] = "UDXN"[c]
	}
	return string(b)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
