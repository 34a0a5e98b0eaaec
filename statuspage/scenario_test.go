package statuspage

import (
	"net/http"
	"time"
)

// scenarioNow is the moment of the scenario: Wednesday 14 October 2026,
// 12:00 in Amsterdam.
var scenarioNow = time.Date(2026, 10, 14, 10, 0, 0, 0, time.UTC)

// stubSubscribe stands in for the subscription flow.
type stubSubscribe struct{}

func (stubSubscribe) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("subscribe form at " + r.URL.Path))
}

func at(d time.Duration) time.Time { return scenarioNow.Add(d) }

func tp(t time.Time) *time.Time { return &t }

// scenario is the state the issue asks the browser to show: Profit in a
// major outage with an open incident, the database under maintenance, an
// incident on the API resolved yesterday, and the things around them that
// must not show (an incident muted by maintenance, internal notes).
func scenario() *fakeSources {
	f := newFakeSources()
	f.components = []Component{
		{ID: "profit", Name: "Profit", Group: "Applications", Description: "The Profit web application and its key screens.", Checks: []Check{
			{Name: "profit-home", Interval: 15 * time.Second},
			{Name: "profit-health", Interval: 15 * time.Second},
			{Name: "employee-properties", Interval: 30 * time.Second, Threshold: 2 * time.Second},
		}},
		{ID: "api", Name: "Public API", Group: "Applications", Description: "Sign-in and the JSON API used by integrations.", Checks: []Check{
			{Name: "profit-login", Interval: time.Minute},
			{Name: "sales-relation-properties", Interval: 30 * time.Second, Threshold: 2 * time.Second},
		}},
		{ID: "database", Name: "Database", Group: "Infrastructure", Checks: []Check{{Name: "db-port", Interval: time.Minute}}},
		{ID: "website", Name: "Website", Checks: []Check{{Name: "website-home", Interval: time.Minute}}},
	}
	for check, ok := range map[string]bool{
		"profit-home": false, "profit-health": false, "employee-properties": false,
		"profit-login": true, "sales-relation-properties": true, "db-port": false, "website-home": true,
	} {
		f.latest[check] = Result{Start: at(-10 * time.Second), OK: ok, Duration: 300 * time.Millisecond}
	}
	f.incidents = []Incident{
		{
			ID: "inc-open0001", Title: "Profit unavailable", Components: []string{"profit"}, Status: "identified",
			OpenedAt: at(-40 * time.Minute),
			Updates: []Update{
				{Seq: 1, At: at(-40 * time.Minute), Status: "investigating", Message: "Profit is not working as expected. We are investigating.", Notify: true},
				{Seq: 2, At: at(-30 * time.Minute), Status: "investigating", Message: "on-call: db01 disk full, paging storage", Notify: false},
				{Seq: 3, At: at(-20 * time.Minute), Status: "identified", Message: "A storage failure makes Profit unavailable; we are restoring it.", Notify: true},
			},
		},
		{
			ID: "inc-done0001", Title: "Public API unavailable", Components: []string{"api"}, Status: "resolved",
			OpenedAt: at(-26 * time.Hour), ResolvedAt: tp(at(-25 * time.Hour)),
			Updates: []Update{
				{Seq: 1, At: at(-26 * time.Hour), Status: "investigating", Message: "Public API is not working as expected. We are investigating.", Notify: true},
				{Seq: 2, At: at(-25*time.Hour - 30*time.Minute), Status: "monitoring", Message: "A fix is in place; we are watching the sign-ins.", Notify: true},
				{Seq: 3, At: at(-25 * time.Hour), Status: "resolved", Message: "Public API is working normally again.", Notify: true},
			},
		},
		{
			ID: "inc-mute0001", Title: "Database unavailable", Components: []string{"database"}, Status: "investigating",
			OpenedAt: at(-25 * time.Minute), InMaintenance: true,
			Updates: []Update{{Seq: 1, At: at(-25 * time.Minute), Status: "investigating", Message: "Database is not working as expected. We are investigating."}},
		},
	}
	f.maint = []Maintenance{
		{ID: "mw-active01", Title: "Database upgrade", Components: []string{"database"},
			Start: at(-30 * time.Minute), End: at(90 * time.Minute), AnnouncedAt: at(-6 * 24 * time.Hour), CreatedAt: at(-6 * 24 * time.Hour)},
		{ID: "mw-next0001", Title: "Network switch replacement; short interruptions, possible", Components: []string{"api", "website"},
			Start: at(2*24*time.Hour + 10*time.Hour), End: at(2*24*time.Hour + 12*time.Hour), AnnouncedAt: at(-time.Hour), CreatedAt: at(-time.Hour)},
		{ID: "mw-cancel01", Title: "Website move", Components: []string{"website"},
			Start: at(3 * 24 * time.Hour), End: at(3*24*time.Hour + time.Hour), AnnouncedAt: at(-48 * time.Hour), CreatedAt: at(-48 * time.Hour),
			CancelledAt: tp(at(-2 * time.Hour))},
		{ID: "mw-done0001", Title: "Profit release 26.10", Components: []string{"profit"},
			Start: at(-7 * 24 * time.Hour), End: at(-7*24*time.Hour + 2*time.Hour), ActualEnd: tp(at(-7*24*time.Hour + 90*time.Minute)),
			AnnouncedAt: at(-14 * 24 * time.Hour), CreatedAt: at(-14 * 24 * time.Hour)},
	}
	// 80 days of history (the first 10 of the 90 have no data), with an
	// outage on Profit today and on the API yesterday, and a maintenance
	// day on the database.
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	days := dayStarts(scenarioNow.In(loc), barDays)
	for _, c := range f.components {
		f.daily[c.ID] = map[string]DayMinutes{}
		for i, d := range days[10:] {
			m := DayMinutes{Up: 1440}
			switch {
			case c.ID == "profit" && i == 79:
				m = DayMinutes{Up: 680, Down: 40} // today so far
			case c.ID == "profit" && i == 72:
				m = DayMinutes{Up: 1350, Excluded: 90}
			case c.ID == "api" && i == 78:
				m = DayMinutes{Up: 1380, Down: 60}
			case c.ID == "database" && i == 79:
				m = DayMinutes{Up: 690, Excluded: 30}
			case c.ID == "website" && i == 40:
				m = DayMinutes{Up: 1436, Down: 4}
			case i == 79:
				m = DayMinutes{Up: 720}
			}
			f.daily[c.ID][d.Format(time.DateOnly)] = m
		}
	}
	// employee-properties opens in 1.2 s to 1.8 s (p95 well under 2 s);
	// sales-relation-properties is slow: every second opening takes 2.6 s.
	for i := range 2880 {
		start := at(-time.Duration(i) * 30 * time.Second)
		f.timings["employee-properties"] = append(f.timings["employee-properties"],
			Timing{Start: start, Duration: 1200*time.Millisecond + time.Duration(i%7)*100*time.Millisecond})
		d := 900 * time.Millisecond
		if i%2 == 0 {
			d = 2600 * time.Millisecond
		}
		f.timings["sales-relation-properties"] = append(f.timings["sales-relation-properties"], Timing{Start: start, Duration: d})
	}
	return f
}
