package sla

import (
	"testing"
	"time"
)

func TestMonthMinutes(t *testing.T) {
	for _, tc := range []struct {
		zone  string
		year  int
		month time.Month
		want  int
	}{
		{"Europe/Amsterdam", 2026, time.October, 44_700}, // clocks go back: 25 hours on the 25th
		{"Europe/Amsterdam", 2026, time.March, 44_580},   // clocks go forward: 23 hours on the 29th
		{"Europe/Amsterdam", 2026, time.January, 44_640},
		{"Europe/Amsterdam", 2026, time.February, 40_320},
		{"UTC", 2026, time.October, 44_640},
		{"America/New_York", 2026, time.November, 43_260},
		{"Australia/Lord_Howe", 2026, time.April, 43_230}, // a 30-minute DST shift
	} {
		p, err := MonthPeriod(mustLoc(tc.zone), tc.year, tc.month)
		if err != nil {
			t.Fatalf("%s %d-%02d: %v", tc.zone, tc.year, tc.month, err)
		}
		if got := p.Minutes(); got != tc.want {
			t.Errorf("%s %d-%02d: %d minutes, want %d", tc.zone, tc.year, tc.month, got, tc.want)
		}
	}
}

// A whole DST month through the calculator: totals and the 25-hour day.
func TestDSTMonthsThroughCalculator(t *testing.T) {
	for _, tc := range []struct {
		month    time.Month
		total    int64
		dstDay   string
		dstCount int64
	}{
		{time.October, 44_700, "2026-10-25", 1500},
		{time.March, 44_580, "2026-03-29", 1380},
	} {
		c, err := NewCalculator(testTerms(), 2026, tc.month, nil)
		if err != nil {
			t.Fatal(err)
		}
		// One observation per minute from one location, all ok, through the
		// repeated or skipped hour.
		p := c.Period()
		for ms := p.Start.UnixMilli(); ms < p.End.UnixMilli(); ms += minuteMS {
			if err := c.Add(Observation{StartMS: ms, Check: "web", Location: "ams", OK: true, DurationMS: 5, IntervalMS: minuteMS}); err != nil {
				t.Fatal(err)
			}
		}
		r, _ := c.Result()
		if r.Minutes.Total != tc.total || r.Minutes.Up != tc.total {
			t.Errorf("%s: minutes %+v, want %d up", tc.month, r.Minutes, tc.total)
		}
		if *r.AvailabilityPPM != ppm || *r.Availability != "100.000%" || !*r.Met || *r.CreditPercent != 0 {
			t.Errorf("%s: availability %d %s met %v credit %d", tc.month, *r.AvailabilityPPM, *r.Availability, *r.Met, *r.CreditPercent)
		}
		if r.Month != "2026-"+map[time.Month]string{time.October: "10", time.March: "03"}[tc.month] || r.Timezone != "Europe/Amsterdam" {
			t.Errorf("month %q zone %q", r.Month, r.Timezone)
		}
		var sum int64
		for _, d := range r.Daily {
			sum += d.Up
			if d.Date == tc.dstDay && d.Up != tc.dstCount {
				t.Errorf("%s: %d minutes, want %d", d.Date, d.Up, tc.dstCount)
			}
		}
		if len(r.Daily) != 31 || sum != tc.total {
			t.Errorf("%s: %d days summing to %d", tc.month, len(r.Daily), sum)
		}
	}
}

func TestPeriodValidation(t *testing.T) {
	for _, p := range []Period{
		{},
		{Start: at("2026-10-01 00:00"), End: at("2026-10-01 00:00")},
		{Start: at("2026-10-01 00:00:30"), End: at("2026-10-02 00:00")},
		{Start: at("2026-10-02 00:00"), End: at("2026-10-01 00:00")},
	} {
		if _, err := NewCalculatorForPeriod(testTerms(), p, nil); err == nil {
			t.Errorf("period %v..%v: no error", p.Start, p.End)
		}
	}
	if _, err := MonthPeriod(ams, 2026, 13); err == nil {
		t.Error("month 13: no error")
	}
	if _, err := MonthPeriod(nil, 2026, 1); err == nil {
		t.Error("nil zone: no error")
	}
}
