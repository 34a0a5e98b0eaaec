package sla

import (
	"strings"
	"testing"
	"time"
)

// failingAll returns one failed observation per minute of [from, to).
func failingAll(check string, from, to time.Time) []Observation {
	var out []Observation
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		out = append(out, ob(check, "ams", t, false))
	}
	return out
}

func okAll(check string, from, to time.Time) []Observation {
	var out []Observation
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		out = append(out, ob(check, "ams", t, true))
	}
	return out
}

func win(id string, start, end time.Time, noticeH int, comps ...string) Window {
	if len(comps) == 0 {
		comps = []string{"app"}
	}
	return Window{ID: id, Components: comps, Start: start, End: end, AnnouncedAt: start.Add(-time.Duration(noticeH) * time.Hour)}
}

func weeknightHours() *AllowedHours {
	wd, _ := ParseHours("21:00-07:00")
	we, _ := ParseHours("all")
	return &AllowedHours{Weekdays: wd, Weekends: we}
}

func TestPlannedOrNot(t *testing.T) {
	for _, tc := range []struct {
		name        string
		hours       *AllowedHours
		w           Window
		wantPlanned bool
		wantReason  string
	}{
		{"notice given", nil, win("w", at("2026-10-06 14:00"), at("2026-10-06 15:00"), 200), true, ""},
		{"notice exactly 120h", nil, win("w", at("2026-10-06 14:00"), at("2026-10-06 15:00"), 120), true, ""},
		{"notice 72h", nil, win("w", at("2026-10-06 14:00"), at("2026-10-06 15:00"), 72), false, "notice 72h < 120h"},
		{"notice one second short", nil, func() Window {
			w := win("w", at("2026-10-06 14:00"), at("2026-10-06 15:00"), 120)
			w.AnnouncedAt = w.AnnouncedAt.Add(time.Second)
			return w
		}(), false, "notice 119h59m59s < 120h"},
		{"announced after start", nil, win("w", at("2026-10-06 14:00"), at("2026-10-06 15:00"), -2), false, "announced 2h after start, notice 120h required"},
		{"outside allowed hours", weeknightHours(), win("w", at("2026-10-06 13:00"), at("2026-10-06 15:00"), 200), false, "outside allowed hours: Tue 13:00"},
		{"ends in the day", weeknightHours(), win("w", at("2026-10-06 06:00"), at("2026-10-06 07:01"), 200), false, "outside allowed hours: Tue 07:00"},
		{"ends at 07:00", weeknightHours(), win("w", at("2026-10-06 06:00"), at("2026-10-06 07:00"), 200), true, ""},
		{"wraps midnight", weeknightHours(), win("w", at("2026-10-05 22:00"), at("2026-10-06 03:00"), 200), true, ""},
		{"Monday 03:00 is a weekday night", weeknightHours(), win("w", at("2026-10-05 03:00"), at("2026-10-05 04:00"), 200), true, ""},
		{"starts 20:59", weeknightHours(), win("w", at("2026-10-06 20:59"), at("2026-10-06 22:00"), 200), false, "outside allowed hours: Tue 20:59"},
		{"weekend all day", weeknightHours(), win("w", at("2026-10-10 12:00"), at("2026-10-10 18:00"), 200), true, ""},
		{"Friday night into Saturday", weeknightHours(), win("w", at("2026-10-09 22:00"), at("2026-10-10 12:00"), 200), true, ""},
		{"Sunday into Monday morning", weeknightHours(), win("w", at("2026-10-11 20:00"), at("2026-10-12 08:00"), 200), false, "outside allowed hours: Mon 07:00"},
		{"both reasons", weeknightHours(), win("w", at("2026-10-06 14:00"), at("2026-10-06 15:00"), 1), false, "notice 1h < 120h; outside allowed hours: Tue 14:00"},
		{"no weekend hours", &AllowedHours{Weekdays: Hours{Kind: HoursAll}}, win("w", at("2026-10-10 02:00"), at("2026-10-10 03:00"), 200), false, "outside allowed hours: Sat 02:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			terms := testTerms()
			terms.AllowedHours = tc.hours
			from := tc.w.Start.Add(-time.Hour)
			r := run(t, terms, from, tc.w.End.Add(time.Hour), []Window{tc.w}, failingAll("web", from, tc.w.End.Add(time.Hour))...)
			if len(r.Maintenance) != 1 {
				t.Fatalf("maintenance %+v", r.Maintenance)
			}
			m := r.Maintenance[0]
			if m.Planned != tc.wantPlanned || m.Reason != tc.wantReason {
				t.Errorf("planned %v reason %q, want %v %q", m.Planned, m.Reason, tc.wantPlanned, tc.wantReason)
			}
			length := int64(tc.w.End.Sub(tc.w.Start) / time.Minute)
			wantEx := int64(0)
			if tc.wantPlanned {
				wantEx = length
			}
			if m.ExcludedMinutes != wantEx || r.Minutes.Excluded != wantEx || r.Minutes.Down != r.Minutes.Total-wantEx {
				t.Errorf("excluded %d, minutes %+v; want %d excluded", m.ExcludedMinutes, r.Minutes, wantEx)
			}
		})
	}
}

func TestNoticeHoursDisplay(t *testing.T) {
	w := win("w", at("2026-10-06 14:00"), at("2026-10-06 15:00"), 0)
	w.AnnouncedAt = w.Start.Add(-(119*time.Hour + 59*time.Minute + 59*time.Second))
	r := run(t, testTerms(), at("2026-10-06 14:00"), at("2026-10-06 15:00"), []Window{w})
	if got := r.Maintenance[0].NoticeHours; got != 119.99 {
		t.Errorf("notice hours %v, want 119.99 (truncated)", got)
	}
}

// Early finish, overrun, an actual end inside a minute, a cancelled window.
func TestActualEnd(t *testing.T) {
	from, to := at("2026-10-06 22:00"), at("2026-10-06 22:10")
	for _, tc := range []struct {
		name      string
		actualEnd time.Time
		want      string
	}{
		{"as scheduled 22:02-22:06", at("2026-10-06 22:06"), "DDXXXXDDDD"},
		{"early finish at 22:04", at("2026-10-06 22:04"), "DDXXDDDDDD"},
		{"closed inside a minute", at("2026-10-06 22:04:30"), "DDXXDDDDDD"},
		{"overrun to 22:08 counts", at("2026-10-06 22:08"), "DDXXXXDDDD"},
		{"cancelled before start", at("2026-10-01 12:00"), "DDDDDDDDDD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := win("w", at("2026-10-06 22:02"), at("2026-10-06 22:06"), 200)
			w.ActualEnd = ptr(tc.actualEnd)
			r := run(t, testTerms(), from, to, []Window{w}, failingAll("web", from, to)...)
			if got := classString(r.Classes()); got != tc.want {
				t.Errorf("classes %s, want %s", got, tc.want)
			}
			if got, want := r.Maintenance[0].ExcludedMinutes, int64(strings.Count(tc.want, "X")); got != want {
				t.Errorf("excluded_minutes %d, want %d", got, want)
			}
		})
	}
}

func TestUnplannedCounts(t *testing.T) {
	from, to := at("2026-10-06 22:00"), at("2026-10-06 22:10")
	w := win("hotfix", at("2026-10-06 22:02"), at("2026-10-06 22:06"), 0)
	r := run(t, testTerms(), from, to, []Window{w}, append(okAll("web", from, at("2026-10-06 22:03")), failingAll("web", at("2026-10-06 22:03"), to)...)...)
	if got := classString(r.Classes()); got != "UUUDDDDDDD" {
		t.Errorf("classes %s", got)
	}
	if m := r.Maintenance[0]; m.Planned || m.ExcludedMinutes != 0 || m.Reason != "notice 0h < 120h" {
		t.Errorf("window %+v", m)
	}
}

func TestBudget(t *testing.T) {
	from, to := at("2026-10-06 21:00"), at("2026-10-06 23:00")
	terms := testTerms()
	terms.MonthlyBudget = 30 * time.Minute
	ws := []Window{
		// Listed out of time order: the budget goes in time order.
		win("second", at("2026-10-06 22:00"), at("2026-10-06 22:20"), 200),
		win("first", at("2026-10-06 21:10"), at("2026-10-06 21:30"), 200),
		// Overlaps "first" for 5 minutes: those use one budget minute each.
		win("overlap", at("2026-10-06 21:25"), at("2026-10-06 21:35"), 200),
	}
	r := run(t, terms, from, to, ws, failingAll("web", from, to)...)
	// first: 21:10-21:30 (20), overlap adds 21:30-21:35 (5), second gets 5.
	want := strings.Repeat("D", 10) + strings.Repeat("X", 25) + strings.Repeat("D", 25) +
		strings.Repeat("X", 5) + strings.Repeat("D", 55)
	if got := classString(r.Classes()); got != want {
		t.Errorf("classes\n%s\nwant\n%s", got, want)
	}
	got := map[string]MaintenanceReport{}
	for _, m := range r.Maintenance {
		got[m.ID] = m
		if !m.Planned {
			t.Errorf("%s: over budget but still planned: %+v", m.ID, m)
		}
	}
	if got["first"].ExcludedMinutes != 20 || got["overlap"].ExcludedMinutes != 10 || got["second"].ExcludedMinutes != 5 {
		t.Errorf("per window excluded: %+v", r.Maintenance)
	}
	if r.Minutes.Excluded != 30 {
		t.Errorf("excluded %d, want the 30 of the budget", r.Minutes.Excluded)
	}
	if r.Maintenance[0].ID != "first" || r.Maintenance[2].ID != "second" {
		t.Errorf("windows not in time order: %s %s %s", r.Maintenance[0].ID, r.Maintenance[1].ID, r.Maintenance[2].ID)
	}
}

// Minutes given back by an early finish use no budget.
func TestBudgetEarlyFinish(t *testing.T) {
	from, to := at("2026-10-06 21:00"), at("2026-10-06 22:00")
	terms := testTerms()
	terms.MonthlyBudget = 10 * time.Minute
	a := win("a", at("2026-10-06 21:00"), at("2026-10-06 21:20"), 200)
	a.ActualEnd = ptr(at("2026-10-06 21:05"))
	b := win("b", at("2026-10-06 21:30"), at("2026-10-06 21:40"), 200)
	r := run(t, terms, from, to, []Window{a, b}, failingAll("web", from, to)...)
	if r.Maintenance[0].ExcludedMinutes != 5 || r.Maintenance[1].ExcludedMinutes != 5 {
		t.Errorf("excluded %d + %d, want 5 + 5", r.Maintenance[0].ExcludedMinutes, r.Maintenance[1].ExcludedMinutes)
	}
}

// Maintenance on one component never hides an outage of another.
func TestMultiComponentScope(t *testing.T) {
	terms := testTerms()
	terms.Components = []string{"app", "api"}
	terms.CheckComponents = map[string]string{"web": "app", "rest": "api", "mail": "mail"}
	from, to := at("2026-10-06 22:00"), at("2026-10-06 22:10")
	w := win("app-upgrade", at("2026-10-06 22:02"), at("2026-10-06 22:08"), 200, "app", "mail")
	var obs []Observation
	obs = append(obs, failingAll("web", from, to)...) // app down all along
	// api fails 22:04-22:06 only.
	obs = append(obs, okAll("rest", from, at("2026-10-06 22:04"))...)
	obs = append(obs, failingAll("rest", at("2026-10-06 22:04"), at("2026-10-06 22:06"))...)
	obs = append(obs, okAll("rest", at("2026-10-06 22:06"), to)...)
	r := run(t, terms, from, to, []Window{w}, obs...)
	if got := classString(r.Classes()); got != "DDXXDDXXDD" {
		t.Errorf("classes %s, want DDXXDDXXDD", got)
	}
	if r.Maintenance[0].ExcludedMinutes != 4 {
		t.Errorf("excluded_minutes %d, want 4 (not the 2 minutes api was down)", r.Maintenance[0].ExcludedMinutes)
	}
}

func TestWindowsNotReported(t *testing.T) {
	from, to := at("2026-10-06 22:00"), at("2026-10-06 22:10")
	ws := []Window{
		win("other-customer", at("2026-10-06 22:02"), at("2026-10-06 22:08"), 200, "billing"),
		win("last-month", at("2026-09-06 22:02"), at("2026-09-06 22:08"), 200),
		win("ends-at-start", at("2026-10-06 21:00"), from, 200),
		win("starts-at-end", to, to.Add(time.Hour), 200),
	}
	r := run(t, testTerms(), from, to, ws, failingAll("web", from, to)...)
	if len(r.Maintenance) != 0 || r.Minutes.Down != 10 {
		t.Errorf("maintenance %+v minutes %+v", r.Maintenance, r.Minutes)
	}
	// A window that overran into the period is reported (its overrun
	// counts).
	w := win("overran", at("2026-10-06 21:00"), from, 200)
	w.ActualEnd = ptr(at("2026-10-06 22:05"))
	r = run(t, testTerms(), from, to, []Window{w}, failingAll("web", from, to)...)
	if len(r.Maintenance) != 1 || r.Maintenance[0].ExcludedMinutes != 0 || r.Minutes.Down != 10 {
		t.Errorf("overran: maintenance %+v minutes %+v", r.Maintenance, r.Minutes)
	}
}

func TestWindowSpanningPeriodStart(t *testing.T) {
	c, err := NewCalculator(testTerms(), 2026, time.November, []Window{
		win("night", at("2026-10-31 23:00"), at("2026-11-01 01:00"), 200),
	})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := c.Result()
	if r.Minutes.Excluded != 60 || r.Maintenance[0].ExcludedMinutes != 60 {
		t.Errorf("excluded %d / %d, want 60", r.Minutes.Excluded, r.Maintenance[0].ExcludedMinutes)
	}
}

func TestWindowValidation(t *testing.T) {
	good := win("w", at("2026-10-06 22:00"), at("2026-10-06 23:00"), 200)
	bad := []Window{good, good} // duplicate id
	b := good
	b.ID = "half-minute"
	b.Start = b.Start.Add(30 * time.Second)
	bad = append(bad, b)
	b = good
	b.ID = "backwards"
	b.End = b.Start
	bad = append(bad, b)
	b = good
	b.ID = "unannounced"
	b.AnnouncedAt = time.Time{}
	bad = append(bad, b)
	b = good
	b.ID = "nothing"
	b.Components = nil
	bad = append(bad, b)
	_, err := NewCalculatorForPeriod(testTerms(), Period{t0, t10}, bad)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`"w": listed twice`, "half-minute: start", "backwards: end", "unannounced: announced_at", "nothing: no components"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestReschedule(t *testing.T) {
	w := win("w", at("2026-10-10 22:00"), at("2026-10-10 23:00"), 200)
	old := w.AnnouncedAt
	now := at("2026-10-08 12:00")
	for _, tc := range []struct {
		name        string
		start, end  time.Time
		newAnnounce bool
	}{
		{"shorter", at("2026-10-10 22:15"), at("2026-10-10 22:45"), false},
		{"same", w.Start, w.End, false},
		{"earlier start", at("2026-10-10 21:00"), w.End, true},
		{"later end", w.Start, at("2026-10-10 23:30"), true},
		{"moved later", at("2026-10-11 22:00"), at("2026-10-11 23:00"), true},
	} {
		got, err := Reschedule(w, tc.start, tc.end, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]time.Time{false: old, true: now}[tc.newAnnounce]; !got.AnnouncedAt.Equal(want) {
			t.Errorf("%s: announced %v, want %v", tc.name, got.AnnouncedAt, want)
		}
		if !got.Start.Equal(tc.start) || !got.End.Equal(tc.end) {
			t.Errorf("%s: window %v..%v", tc.name, got.Start, got.End)
		}
	}
	if _, err := Reschedule(w, w.End, w.Start, now); err == nil {
		t.Error("backwards reschedule: no error")
	}
}

func TestParseHours(t *testing.T) {
	for in, want := range map[string]string{"21:00-07:00": "21:00-07:00", "all": "all", "": "none", "none": "none", " 9:30-17:00": "09:30-17:00", "21:00-24:00": "21:00-24:00"} {
		h, err := ParseHours(in)
		if err != nil || h.String() != want {
			t.Errorf("ParseHours(%q) = %v, %v; want %s", in, h, err, want)
		}
	}
	for _, in := range []string{"21-07", "25:00-07:00", "07:00-07:00", "00:00-24:00", "21:00", "24:00-01:00", "7:60-8:00"} {
		if _, err := ParseHours(in); err == nil {
			t.Errorf("ParseHours(%q): no error", in)
		}
	}
}
