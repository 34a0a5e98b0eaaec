package sla_test

import (
	"fmt"
	"time"

	"github.com/vigilmon/vigil/sla"
)

func Example() {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	nights, _ := sla.ParseHours("21:00-07:00")
	terms := sla.Terms{
		Customer:              "acme",
		Location:              ams,
		Components:            []string{"app"},
		CheckComponents:       map[string]string{"login": "app", "employee-screen": "app"},
		AvailabilityTargetPPM: 999_000, // 99.9%
		Notice:                120 * time.Hour,
		AllowedHours:          &sla.AllowedHours{Weekdays: nights, Weekends: sla.Hours{Kind: sla.HoursAll}},
		Latency: []sla.LatencyObjective{{
			Check: "employee-screen", ThresholdMS: 2000, TargetPPM: 950_000,
			Exclude: []sla.DailyWindow{{From: 0, To: 120}}, // backup window 00:00-02:00
		}},
		Credits: []sla.Tier{{BelowPPM: 999_000, CreditPercent: 10}, {BelowPPM: 990_000, CreditPercent: 25}},
	}
	upgrade := sla.Window{
		ID: "upgrade-42", Components: []string{"app"},
		Start:       time.Date(2026, 10, 10, 2, 0, 0, 0, ams),
		End:         time.Date(2026, 10, 10, 4, 0, 0, 0, ams),
		AnnouncedAt: time.Date(2026, 10, 1, 9, 0, 0, 0, ams),
	}
	c, err := sla.NewCalculator(terms, 2026, time.October, []sla.Window{upgrade})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The store returns each series in time order: login from Amsterdam,
	// once a minute, failing for 50 minutes on the 14th.
	p := c.Period()
	outage := time.Date(2026, 10, 14, 10, 0, 0, 0, ams)
	for t := p.Start; t.Before(p.End); t = t.Add(time.Minute) {
		ok := t.Before(outage) || !t.Before(outage.Add(50*time.Minute))
		o := sla.Observation{StartMS: t.UnixMilli(), Check: "login", Location: "ams", OK: ok, DurationMS: 300, IntervalMS: 60_000}
		if !ok {
			o.Reason = "status"
		}
		if err := c.Add(o); err != nil {
			fmt.Println(err)
			return
		}
	}
	r, _ := c.Result()
	fmt.Printf("%s: %d minutes, %d excluded, %d down\n", r.Month, r.Minutes.Total, r.Minutes.Excluded, r.Minutes.Down)
	fmt.Printf("availability %s (%d ppm), met %v, credit %d%%\n", *r.Availability, *r.AvailabilityPPM, *r.Met, *r.CreditPercent)
	m := r.Maintenance[0]
	fmt.Printf("%s planned %v, notice %.2fh, %d minutes excluded\n", m.ID, m.Planned, m.NoticeHours, m.ExcludedMinutes)
	// Output:
	// 2026-10: 44700 minutes, 120 excluded, 50 down
	// availability 99.887% (998878 ppm), met false, credit 10%
	// upgrade-42 planned true, notice 209.00h, 120 minutes excluded
}
