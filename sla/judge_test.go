package sla

import (
	"testing"
	"time"
)

// Judge is the rule the calculator applies: for every window, the verdict
// and reason before any observation match what the report later says.
func TestJudgeAgreesWithReport(t *testing.T) {
	for _, tc := range []struct {
		name        string
		hours       *AllowedHours
		w           Window
		wantPlanned bool
		wantReason  string
	}{
		{"planned", weeknightHours(), win("w", at("2026-10-06 22:00"), at("2026-10-06 23:00"), 168), true, ""},
		{"short notice", nil, win("w", at("2026-10-06 14:00"), at("2026-10-06 15:00"), 72), false, "notice 72h < 120h"},
		{"after start", nil, win("w", at("2026-10-06 14:00"), at("2026-10-06 15:00"), -1), false, "announced 1h after start, notice 120h required"},
		{"outside hours", weeknightHours(), win("w", at("2026-10-06 13:00"), at("2026-10-06 15:00"), 200), false, "outside allowed hours: Tue 13:00"},
		{"both", weeknightHours(), win("w", at("2026-10-06 14:00"), at("2026-10-06 15:00"), 1), false, "notice 1h < 120h; outside allowed hours: Tue 14:00"},
		{"DST night", weeknightHours(), win("w", at("2026-10-25 01:00"), at("2026-10-25 04:00"), 200), true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			terms := testTerms()
			terms.AllowedHours = tc.hours
			planned, reason := terms.Judge(tc.w)
			if planned != tc.wantPlanned || reason != tc.wantReason {
				t.Errorf("Judge = %v %q, want %v %q", planned, reason, tc.wantPlanned, tc.wantReason)
			}
			r := run(t, terms, tc.w.Start.Add(-time.Hour), tc.w.End.Add(time.Hour), []Window{tc.w})
			if m := r.Maintenance[0]; m.Planned != planned || m.Reason != reason {
				t.Errorf("report says %v %q, Judge %v %q", m.Planned, m.Reason, planned, reason)
			}
		})
	}
}

// Without a zone the allowed hours are judged on UTC rather than failing.
func TestJudgeWithoutLocation(t *testing.T) {
	terms := testTerms()
	terms.Location = nil
	terms.AllowedHours = weeknightHours()
	start := time.Date(2026, 10, 6, 22, 0, 0, 0, time.UTC) // a Tuesday night
	w := Window{ID: "w", Components: []string{"app"}, Start: start, End: start.Add(time.Hour), AnnouncedAt: start.Add(-200 * time.Hour)}
	if planned, reason := terms.Judge(w); !planned {
		t.Errorf("Judge = false %q, want planned on UTC", reason)
	}
}
