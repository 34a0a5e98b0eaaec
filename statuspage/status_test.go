package statuspage

import (
	"slices"
	"testing"
	"time"
)

func TestComponentStatus(t *testing.T) {
	for _, c := range []struct {
		name string
		in   componentInputs
		want string
	}{
		{"nothing wrong", componentInputs{checks: 3}, StatusOperational},
		{"no recent result", componentInputs{}, StatusOperational},
		{"one of three fails", componentInputs{checks: 3, failing: 1}, StatusPartial},
		{"all fail", componentInputs{checks: 3, failing: 3}, StatusMajor},
		{"the only check fails", componentInputs{checks: 1, failing: 1}, StatusMajor},
		{"open incident, checks pass again", componentInputs{checks: 2, openIncident: true}, StatusPartial},
		{"open incident, all fail", componentInputs{checks: 2, failing: 2, openIncident: true}, StatusMajor},
		{"slow key screen", componentInputs{checks: 2, slow: true}, StatusDegraded},
		{"slow and failing", componentInputs{checks: 2, failing: 1, slow: true}, StatusPartial},
		{"maintenance hides failures", componentInputs{checks: 2, failing: 2, openIncident: true, slow: true, inMaintenance: true}, StatusMaintenance},
	} {
		if got := componentStatus(c.in); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestRecent(t *testing.T) {
	now := scenarioNow
	for _, c := range []struct {
		age, interval time.Duration
		want          bool
	}{
		{0, 15 * time.Second, true},
		{105 * time.Second, 15 * time.Second, true}, // 3 intervals and a minute
		{106 * time.Second, 15 * time.Second, false},
		{4 * time.Minute, time.Minute, true},
		{4*time.Minute + time.Second, time.Minute, false},
		{4 * time.Minute, 0, true}, // unknown interval: a minute
	} {
		if got := recent(now.Add(-c.age), now, c.interval); got != c.want {
			t.Errorf("age %s, interval %s: %v, want %v", c.age, c.interval, got, c.want)
		}
	}
}

func TestOverall(t *testing.T) {
	for _, c := range []struct {
		name              string
		statuses, impacts []string
		indicator, desc   string
	}{
		{"all fine", []string{StatusOperational, StatusOperational}, nil, "none", "All Systems Operational"},
		{"maintenance only", []string{StatusOperational, StatusMaintenance}, nil, "none", "Service Under Maintenance"},
		{"degraded", []string{StatusDegraded, StatusMaintenance}, nil, "minor", "Minor Service Outage"},
		{"partial", []string{StatusDegraded, StatusPartial}, nil, "major", "Partial System Outage"},
		{"major", []string{StatusMajor, StatusPartial}, nil, "critical", "Major System Outage"},
		{"incident impact raises", []string{StatusOperational}, []string{ImpactMajor}, "major", "Partial System Outage"},
		{"critical incident", []string{StatusPartial}, []string{ImpactCritical}, "critical", "Major System Outage"},
		{"nothing at all", nil, nil, "none", "All Systems Operational"},
	} {
		i, d := overall(c.statuses, c.impacts)
		if i != c.indicator || d != c.desc {
			t.Errorf("%s: %s %q, want %s %q", c.name, i, d, c.indicator, c.desc)
		}
	}
	if w := worst(StatusMaintenance, StatusDegraded, StatusOperational); w != StatusDegraded {
		t.Errorf("worst = %s: an outage of one member shows over another's maintenance", w)
	}
}

func TestPublicUpdates(t *testing.T) {
	u := func(seq int, status string, notify bool) Update {
		return Update{Seq: seq, At: at(time.Duration(seq) * time.Minute), Status: status, Message: status, Notify: notify}
	}
	inc := &Incident{Updates: []Update{
		u(1, "investigating", false), // opened while muted: the first is shown anyway
		u(2, "investigating", false), // on-call note
		u(3, "identified", true),
		u(4, "resolved", false),      // a resolve nobody was told of
		u(5, "investigating", false), // reopened by the flap guard
		u(6, "investigating", false), // on-call note
		u(7, "resolved", true),
	}}
	var seqs []int
	for _, up := range publicUpdates(inc) {
		seqs = append(seqs, up.Seq)
	}
	if want := []int{1, 3, 4, 5, 7}; !slices.Equal(seqs, want) {
		t.Errorf("shown updates %v, want %v", seqs, want)
	}
	if isPublic(&Incident{InMaintenance: true, Updates: inc.Updates}) {
		t.Error("an incident muted by maintenance is public")
	}
	if !isPublic(&Incident{Updates: inc.Updates}) || isPublic(&Incident{}) {
		t.Error("isPublic: wrong for an announced incident or one without updates")
	}
}

func TestIncidentView(t *testing.T) {
	f := scenario()
	statusOf := map[string]string{"profit": StatusMajor, "api": StatusOperational}
	nameOf := map[string]string{"profit": "Profit", "api": "Public API"}
	open := viewIncident(&f.incidents[0], statusOf, nameOf)
	if open.Impact != ImpactCritical || !open.Open() || open.Names != "Profit" || len(open.Updates) != 2 || open.Updates[0].ID != "inc-open0001-3" {
		t.Errorf("open incident view = %+v", open)
	}
	statusOf["profit"] = StatusPartial
	if v := viewIncident(&f.incidents[0], statusOf, nameOf); v.Impact != ImpactMajor {
		t.Errorf("impact with a partial outage = %s, want major", v.Impact)
	}
	done := viewIncident(&f.incidents[1], statusOf, nameOf)
	if done.Impact != ImpactMajor || done.Open() || done.MonitoringAt == nil || !done.UpdatedAt.Equal(at(-25*time.Hour)) {
		t.Errorf("resolved incident view = %+v", done)
	}
}

func TestMaintenanceStatus(t *testing.T) {
	m := Maintenance{Start: at(0), End: at(time.Hour)}
	for _, c := range []struct {
		name string
		m    Maintenance
		now  time.Time
		want string
	}{
		{"before", m, at(-time.Second), maintScheduled},
		{"at start", m, at(0), maintInProgress},
		{"last second", m, at(time.Hour - time.Second), maintInProgress},
		{"at end", m, at(time.Hour), maintCompleted},
		{"closed early", Maintenance{Start: at(0), End: at(time.Hour), ActualEnd: tp(at(10 * time.Minute))}, at(11 * time.Minute), maintCompleted},
		{"overrun", Maintenance{Start: at(0), End: at(time.Hour), ActualEnd: tp(at(2 * time.Hour))}, at(90 * time.Minute), maintInProgress},
		{"cancelled", Maintenance{Start: at(0), End: at(time.Hour), CancelledAt: tp(at(-time.Hour))}, at(time.Minute), maintCancelled},
	} {
		if got := maintenanceStatus(&c.m, c.now); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	late := Maintenance{ID: "mw-late", Start: at(0), End: at(time.Hour), AnnouncedAt: at(30 * time.Minute), CreatedAt: at(30 * time.Minute)}
	v := viewMaintenance(&late, at(2*time.Hour), nil)
	if len(v.Updates) != 3 || v.Updates[2].Status != maintScheduled || !v.Updates[2].At.Equal(at(0)) || v.Updates[0].Status != maintCompleted {
		t.Errorf("window recorded after it began: updates %+v", v.Updates)
	}
}

func TestBars(t *testing.T) {
	day := time.Date(2026, 10, 13, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		m            DayMinutes
		class, label string
	}{
		{DayMinutes{}, barNoData, "Tue 13 Oct 2026: no data"},
		{DayMinutes{NoData: 1440}, barNoData, "Tue 13 Oct 2026: no data"},
		{DayMinutes{Up: 1440}, barOK, "Tue 13 Oct 2026: 100.000% available"},
		{DayMinutes{Up: 1380, Excluded: 60}, barMaintenance, "Tue 13 Oct 2026: 100.000% available, maintenance 1 h"},
		{DayMinutes{Excluded: 1440}, barMaintenance, "Tue 13 Oct 2026: maintenance 24 h"},
		{DayMinutes{Up: 1439, Down: 1}, barMinor, "Tue 13 Oct 2026: 99.930% available, down 1 min"},
		{DayMinutes{Up: 1426, Down: 14}, barMinor, "Tue 13 Oct 2026: 99.027% available, down 14 min"},
		{DayMinutes{Up: 1425, Down: 15}, barPartial, "Tue 13 Oct 2026: 98.958% available, down 15 min"},
		{DayMinutes{Up: 1368, Down: 72}, barPartial, "Tue 13 Oct 2026: 95.000% available, down 1 h 12 min"},
		{DayMinutes{Up: 1367, Down: 73, Excluded: 5}, barMajor, "Tue 13 Oct 2026: 94.930% available, down 1 h 13 min, maintenance 5 min"},
	} {
		b := barView{Date: day, DayMinutes: c.m}
		if b.Class() != c.class || b.Label() != c.label {
			t.Errorf("%+v: %s %q, want %s %q", c.m, b.Class(), b.Label(), c.class, c.label)
		}
	}
	if got := (barView{Date: day, DayMinutes: DayMinutes{Up: 60}, Today: true}).Label(); got != "Tue 13 Oct 2026 (today so far): 100.000% available" {
		t.Errorf("today's label = %q", got)
	}
}

func TestPercentTruncates(t *testing.T) {
	for _, c := range []struct {
		part, whole int64
		want        string
	}{
		{1999999, 2000000, "99.999%"}, // 99.99995% is not 100.000%
		{9989, 9990, "99.989%"},
		{0, 10, "0.000%"},
		{10, 10, "100.000%"},
		{0, 0, "no data"},
	} {
		if got := percent(c.part, c.whole); got != c.want {
			t.Errorf("percent(%d, %d) = %s, want %s", c.part, c.whole, got, c.want)
		}
	}
}

func TestScreenStatsPercentiles(t *testing.T) {
	ms := func(vs ...int) []Timing {
		var out []Timing
		for _, v := range vs {
			out = append(out, Timing{Start: scenarioNow, Duration: time.Duration(v) * time.Microsecond})
		}
		return out
	}
	seq := func(n int) []int {
		var out []int
		for i := range n {
			out = append(out, (i+1)*1000)
		}
		return out
	}
	for _, c := range []struct {
		name string
		in   []Timing
		want time.Duration
	}{
		{"one", ms(5000), 5 * time.Millisecond},
		{"unsorted", ms(3000, 1000, 2000), 3 * time.Millisecond},
		{"rank 19 of 20", ms(seq(20)...), 19 * time.Millisecond},
		{"rank ceil(19.95) of 21", ms(seq(21)...), 20 * time.Millisecond},
		{"half a millisecond rounds up, as the contract does", ms(1999500), 2000 * time.Millisecond},
	} {
		p95, n, _, err := screenStats(c.in, scenarioNow, scenarioNow, 2*time.Second)
		if err != nil || p95 == nil || *p95 != c.want || n != len(c.in) {
			t.Errorf("%s: p95 %v over %d (err %v), want %s over %d", c.name, p95, n, err, c.want, len(c.in))
		}
	}
}

func TestScreenStats(t *testing.T) {
	now := scenarioNow
	var ts []Timing
	for i := range 100 {
		ts = append(ts, Timing{Start: now.Add(-time.Duration(i) * time.Minute), Duration: time.Second})
	}
	// The last 15 minutes are slow, too few to move the 24-hour p95.
	for i := range 4 {
		ts[i].Duration = 3 * time.Second
	}
	p95, n, slow, err := screenStats(ts, now.Add(-24*time.Hour), now.Add(-recentLatency), 2*time.Second)
	if err != nil || p95 == nil || *p95 != time.Second || n != 100 || !slow {
		t.Errorf("p95 %v, n %d, recent slow %v (err %v); want 1s over 100 and slow now", p95, n, slow, err)
	}
	if _, _, slow, _ = screenStats(ts[:2], now.Add(-24*time.Hour), now.Add(-recentLatency), 2*time.Second); slow {
		t.Error("two slow results made the screen slow; want at least minRecentTimings")
	}
	if p95, n, slow, err = screenStats(nil, now.Add(-24*time.Hour), now.Add(-recentLatency), 2*time.Second); err != nil || p95 != nil || n != 0 || slow {
		t.Errorf("without timings: p95 %v, n %d, slow %v, err %v", p95, n, slow, err)
	}
}

func TestDayStartsAcrossDST(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	now := time.Date(2026, 10, 26, 9, 30, 0, 0, loc) // the day after the clocks went back
	days := dayStarts(now, 3)
	want := []string{"2026-10-24T00:00:00+02:00", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"}
	for i, d := range days {
		if d.Format(time.RFC3339) != want[i] {
			t.Errorf("day %d = %s, want %s", i, d.Format(time.RFC3339), want[i])
		}
	}
	if days[2].Sub(days[1]) != 25*time.Hour {
		t.Errorf("the DST day lasts %s, want 25h", days[2].Sub(days[1]))
	}
}

func TestGroupID(t *testing.T) {
	taken := map[string]bool{"group-core": true}
	if id := groupID("Core", taken); id != "group-core-2" {
		t.Errorf("group id next to a component's = %q", id)
	}
	if id := groupID("  Front end & API!", taken); id != "group-front-end-api" {
		t.Errorf("group id = %q", id)
	}
}

func TestTextOnColour(t *testing.T) {
	for bg, want := range map[string]string{"#2fcc66": textDark, "#f1c40f": textDark, "#e74c3c": textDark, "#1f5fa8": textLight, "#000": textLight, "#fff": textDark} {
		if got := textOn(bg); got != want {
			t.Errorf("text on %s = %s, want %s", bg, got, want)
		}
	}
	if _, err := (Colors{Major: "red"}).withDefaults(); err == nil {
		t.Error("a colour name passes as a hex colour")
	}
	c, err := (Colors{Major: "#abc"}).withDefaults()
	if err != nil || c.Major != "#abc" || c.Operational != builtinColors.Operational {
		t.Errorf("withDefaults = %+v, %v", c, err)
	}
}
