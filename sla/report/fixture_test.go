package report

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/sla"
)

var ams = func() *time.Location {
	l, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return l
}()

// at is a wall-clock time in Amsterdam, October 2026.
func at(day, hour, minute, second int) time.Time {
	return time.Date(2026, time.October, day, hour, minute, second, 0, ams)
}

// The checks of the fixture; the two key screens have Dutch names.
const (
	checkLogin    = "login"
	checkAPI      = "api-health"
	screenDossier = "Cliëntdossier openen"
	screenRooster = "Roosterplanning (één week)"
)

// fixtureTerms is a Dutch care group's SLA: app and API at 99.9%, five
// days' notice, maintenance on weekday nights and weekends, two key screens.
func fixtureTerms() sla.Terms {
	nights, _ := sla.ParseHours("21:00-07:00")
	return sla.Terms{
		Customer:   "Zorggroep Café Noorderlicht B.V.",
		Location:   ams,
		Components: []string{"app", "api"},
		CheckComponents: map[string]string{
			checkLogin: "app", checkAPI: "api", screenDossier: "app", screenRooster: "app",
		},
		AvailabilityTargetPPM: 999_000,
		Notice:                120 * time.Hour,
		AllowedHours:          &sla.AllowedHours{Weekdays: nights, Weekends: sla.Hours{Kind: sla.HoursAll}},
		MonthlyBudget:         4 * time.Hour,
		Latency: []sla.LatencyObjective{
			{Check: screenDossier, ThresholdMS: 2000, TargetPPM: 950_000, Exclude: []sla.DailyWindow{{From: 0, To: 120}}},
			{Check: screenRooster, ThresholdMS: 3000, TargetPPM: 950_000},
		},
		Credits: []sla.Tier{{BelowPPM: 999_000, CreditPercent: 10}, {BelowPPM: 990_000, CreditPercent: 25}, {BelowPPM: 950_000, CreditPercent: 100}},
	}
}

// fixtureWindows: a planned upgrade on Saturday night that finished early,
// and a hotfix announced the same morning (unplanned).
func fixtureWindows() []sla.Window {
	early := at(10, 3, 40, 0)
	return []sla.Window{
		{ID: "upgrade-42", Components: []string{"app", "api"}, Start: at(10, 2, 0, 0), End: at(10, 4, 0, 0),
			AnnouncedAt: at(1, 9, 0, 0), ActualEnd: &early},
		{ID: "hotfix-7", Components: []string{"api"}, Start: at(21, 13, 0, 0), End: at(21, 13, 30, 0),
			AnnouncedAt: at(21, 9, 0, 0)},
	}
}

// fixtureIncidents are the month's two outages.
func fixtureIncidents() []sla.Incident {
	end1, end2 := at(14, 10, 52, 10), at(21, 13, 27, 0)
	return []sla.Incident{
		{ID: "INC-2026-031", Title: "Inloggen mislukt (login errors)", Start: at(14, 9, 58, 30), End: &end1, Components: []string{"app"}},
		{ID: "INC-2026-034", Title: "API niet bereikbaar tijdens hotfix", Start: at(21, 13, 4, 0), End: &end2, Components: []string{"api"}},
	}
}

// within reports whether t lies in [from, to).
func within(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// monitoringGap is when vigil itself saw nothing: unmonitored minutes.
func monitoringGap(t time.Time) bool { return within(t, at(27, 3, 0, 0), at(27, 3, 40, 0)) }

// availabilityObs generates one check's series from one location, once a
// minute; fail says when a probe fails and why.
func availabilityObs(check, loc string, p sla.Period, fail func(time.Time) string) []sla.Observation {
	var out []sla.Observation
	for t := p.Start; t.Before(p.End); t = t.Add(time.Minute) {
		if monitoringGap(t) {
			continue
		}
		o := sla.Observation{StartMS: t.Add(7 * time.Second).UnixMilli(), Check: check, Location: loc, OK: true, DurationMS: 180, IntervalMS: 60_000}
		if r := fail(t); r != "" {
			o.OK, o.Reason, o.DurationMS = false, r, 30
		}
		out = append(out, o)
	}
	return out
}

// screenObs generates a key screen's series from one location, every five
// minutes, with log-normal durations around medianMS.
func screenObs(check, loc string, p sla.Period, seed uint64, medianMS float64, shape func(t time.Time, r *rand.Rand, ms float64) (float64, string)) []sla.Observation {
	r := rand.New(rand.NewPCG(seed, 42))
	var out []sla.Observation
	for t := p.Start; t.Before(p.End); t = t.Add(5 * time.Minute) {
		ms := medianMS * math.Exp(0.35*r.NormFloat64())
		if monitoringGap(t) {
			continue
		}
		ms, reason := shape(t, r, ms)
		o := sla.Observation{StartMS: t.Add(20 * time.Second).UnixMilli(), Check: check, Location: loc, OK: reason == "", DurationMS: int64(ms), Reason: reason, IntervalMS: 300_000}
		out = append(out, o)
	}
	return out
}

var fixture = sync.OnceValues(func() (*sla.Result, error) {
	c, err := sla.NewCalculator(fixtureTerms(), 2026, time.October, fixtureWindows())
	if err != nil {
		return nil, err
	}
	p := c.Period()
	loginOutage := func(t time.Time) bool { return within(t, at(14, 10, 0, 0), at(14, 10, 50, 0)) }
	login := func(t time.Time) string {
		if loginOutage(t) || within(t, at(10, 2, 10, 0), at(10, 3, 30, 0)) { // and during the upgrade
			return "status"
		}
		return ""
	}
	api := func(t time.Time) string {
		if within(t, at(21, 13, 5, 0), at(21, 13, 25, 0)) || within(t, at(10, 2, 5, 0), at(10, 2, 50, 0)) {
			return "connect"
		}
		return ""
	}
	dossier := func(t time.Time, r *rand.Rand, ms float64) (float64, string) {
		switch {
		case loginOutage(t):
			return 10_000, sla.ReasonTimeout
		case within(t, at(14, 9, 0, 0), at(14, 12, 0, 0)): // slow before and after the outage
			return 2200 + 2500*r.Float64(), ""
		case r.IntN(400) == 0:
			return 10_000, sla.ReasonTimeout
		case r.IntN(60) == 0:
			return ms * 2.4, ""
		}
		return ms, ""
	}
	rooster := func(t time.Time, r *rand.Rand, ms float64) (float64, string) {
		switch {
		case loginOutage(t):
			return 10_000, sla.ReasonTimeout
		case r.IntN(500) == 0:
			return 11_000 + 3000*r.Float64(), "" // very slow but it opened
		case t.Weekday() == time.Monday && t.Hour() >= 8 && t.Hour() < 10: // the Monday rush
			return ms * 1.9, ""
		}
		return ms, ""
	}
	var series [][]sla.Observation
	for _, loc := range []string{"ams", "fra"} {
		series = append(series,
			availabilityObs(checkLogin, loc, p, login),
			availabilityObs(checkAPI, loc, p, api),
			screenObs(screenDossier, loc, p, map[string]uint64{"ams": 1, "fra": 2}[loc], 950, dossier))
	}
	series = append(series, screenObs(screenRooster, "ams", p, 3, 1450, rooster))
	for _, s := range series {
		for _, o := range s {
			if err := c.Add(o); err != nil {
				return nil, err
			}
		}
	}
	res, err := c.Result()
	if err != nil {
		return nil, err
	}
	res.AddIncidents(fixtureIncidents()...)
	return res, nil
})

// testResult is the fixture's result: October 2026 for a Dutch customer.
func testResult(t *testing.T) *sla.Result {
	t.Helper()
	res, err := fixture()
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return res
}
