package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/clock"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/statuspage"
	"github.com/vigilmon/vigil/store"
	"github.com/vigilmon/vigil/store/resultsdb"
)

const statusPageTestConfig = `
location: ams
components:
  - {id: web, name: Website, group: Apps}
  - {id: api, name: Public API, group: Apps}
checks:
  - {name: home, component: web, interval: 1m, tcp: {address: "127.0.0.1:1"}}
  - {name: login, component: api, interval: 1m, tcp: {address: "127.0.0.1:1"}}
  - {name: screen, component: api, interval: 1m, objective: {threshold: 2s, target: 95%}, tcp: {address: "127.0.0.1:1"}}
status_page:
  title: Acme
  public_url: https://status.example.com
  timezone: Europe/Amsterdam
`

// statusPageStores fills a results store and a state database in a
// temporary directory for three days in Amsterdam, 12 to 14 October 2026:
//
//	web: down 10:00-10:30 on the 12th; failing 02:00-03:00 on the 13th,
//	     under a maintenance window recorded after it began;
//	api: no results 12:00-14:00 on the 13th (its prober down); its key
//	     screen takes 1.5 s,
//	     every tenth opening 2.5 s;
//
// and a resolved incident on web. now is the 14th at 12:00.
func statusPageStores(t *testing.T) (cfg *configs.Config, results *resultsdb.Results, state *store.State, now time.Time) {
	t.Helper()
	ctx := context.Background()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err = configs.Parse("statuspage.yml", []byte(statusPageTestConfig))
	if err != nil {
		t.Fatal(err)
	}
	local := func(day, hour, minute int) time.Time { return time.Date(2026, 10, day, hour, minute, 0, 0, loc) }
	in := func(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }
	now = local(14, 12, 0)
	dir := t.TempDir()
	var rs []probe.Result
	for i, m := 0, local(12, 0, 0); m.Before(now); i, m = i+1, m.Add(time.Minute) {
		home := probe.Result{Check: "home", Location: "ams", Start: m.Add(5 * time.Second), Duration: 80 * time.Millisecond, Interval: time.Minute, OK: true}
		if in(m, local(12, 10, 0), local(12, 10, 30)) || in(m, local(13, 2, 0), local(13, 3, 0)) {
			home.OK, home.Reason = false, probe.ReasonConnect
		}
		rs = append(rs, home)
		if in(m, local(13, 12, 0), local(13, 14, 0)) {
			continue // api's prober was down
		}
		rs = append(rs, probe.Result{Check: "login", Location: "ams", Start: m.Add(9 * time.Second), Duration: 90 * time.Millisecond, Interval: time.Minute, OK: true})
		screen := probe.Result{Check: "screen", Location: "ams", Start: m.Add(20 * time.Second), Duration: 1500 * time.Millisecond, Interval: time.Minute, OK: true}
		if i%10 == 0 {
			screen.Duration = 2500 * time.Millisecond
		}
		rs = append(rs, screen)
	}
	if _, err := resultsdb.Backfill(ctx, dir, slices.Values(rs), resultsdb.BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	if results, err = resultsdb.Open(dir, resultsdb.Options{}, logger); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = results.Close() })
	if state, err = store.OpenState(dir, logger); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = state.Close() })
	if _, err := state.ScheduleMaintenance(ctx, store.Maintenance{Title: "Router swap", Components: []string{"web"},
		Start: local(13, 2, 0), End: local(13, 3, 0)}, local(13, 2, 30)); err != nil {
		t.Fatal(err)
	}
	opened, resolved := local(12, 10, 3), local(12, 10, 32)
	if err := state.SaveIncident(ctx, store.Incident{
		ID: "inc-web00001", Title: "Website unavailable", Components: []string{"web"}, Status: "resolved",
		OpenedAt: opened, ResolvedAt: &resolved, Version: 2,
		Updates: []store.IncidentUpdate{
			{Seq: 1, At: opened, Status: "investigating", Message: "Website is not working as expected. We are investigating.", Notify: true},
			{Seq: 2, At: resolved, Status: "resolved", Message: "Website is working normally again.", Notify: true},
		},
	}); err != nil {
		t.Fatal(err)
	}
	return cfg, results, state, now
}

// localDays are the 90 local midnights up to now's.
func localDays(now time.Time) []time.Time {
	y, m, d := now.Date()
	out := make([]time.Time, 90)
	for i := range out {
		out[i] = time.Date(y, m, d-89+i, 0, 0, 0, 0, now.Location())
	}
	return out
}

func TestStatusPageDailyFromStores(t *testing.T) {
	cfg, results, state, now := statusPageStores(t)
	live := &liveConfig{}
	live.set(cfg)
	daily := newDailyAvailability(live, results, state)
	days := localDays(now)
	got, err := daily.Daily(context.Background(), days, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]statuspage.DayMinutes{
		"web": {{Up: 1410, Down: 30}, {Up: 1380, Excluded: 60}, {Up: 720}},
		// The result of 11:59 covers the minute of 12:00 (SLA.md section 2).
		"api": {{Up: 1440}, {Up: 1321, NoData: 119}, {Up: 720}},
	}
	for comp, w := range want {
		if g := got[comp][87:]; !slices.Equal(g, w) {
			t.Errorf("%s, 12 to 14 October: %+v, want %+v", comp, g, w)
		}
		if g := got[comp][86]; g != (statuspage.DayMinutes{NoData: 1440}) {
			t.Errorf("%s, 11 October (before any result): %+v, want a day of no data", comp, g)
		}
	}
	if daily.passes != 2 {
		t.Errorf("%d counting passes, want 2: the settled days, then today", daily.passes)
	}

	// Settled days are kept; today is counted again only every few minutes.
	if _, err := daily.Daily(context.Background(), days, now.Add(time.Minute)); err != nil || daily.passes != 2 {
		t.Errorf("a minute later: %d passes (err %v), want no new count", daily.passes, err)
	}
	if _, err := daily.Daily(context.Background(), days, now.Add(dailyRecentEvery)); err != nil || daily.passes != 3 {
		t.Errorf("after %s: %d passes (err %v), want today counted again", dailyRecentEvery, daily.passes, err)
	}
	// A window closed after the fact changes past days: the cache goes.
	ws, err := state.ListMaintenance(context.Background(), days[0], now, false)
	if err != nil || len(ws) != 1 {
		t.Fatalf("windows %v, %v", ws, err)
	}
	if _, err := state.CompleteMaintenance(context.Background(), ws[0].ID, ws[0].Start.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, err = daily.Daily(context.Background(), days, now.Add(dailyRecentEvery))
	if err != nil {
		t.Fatal(err)
	}
	if g := got["web"][88]; g != (statuspage.DayMinutes{Up: 1380, Down: 30, Excluded: 30}) {
		t.Errorf("13 October after the window was closed early: %+v, want 30 of its minutes down", g)
	}
}

// TestStatusPageFromStores builds the page as serve does and reads what it
// serves.
func TestStatusPageFromStores(t *testing.T) {
	cfg, results, state, now := statusPageStores(t)
	live := &liveConfig{}
	live.set(cfg)
	latest := api.NewLatest()
	for _, check := range []string{"home", "login", "screen"} {
		latest.Set(probe.Result{Check: check, Location: "ams", Start: now.Add(-20 * time.Second), Interval: time.Minute, OK: true, Duration: time.Second})
	}
	o, err := statusPageOptions(cfg, live, results, state, latest, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	o.Clock = clock.NewFake(now)
	p, err := statuspage.New(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = p.Run(ctx) }()
	defer func() { cancel(); <-done }()

	srv := httptest.NewServer(p.Handler())
	defer srv.Close()
	get := func(path string) string {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return ""
		}
		return string(b)
	}
	deadline := time.Now().Add(30 * time.Second)
	var home string
	for home = get("/"); !strings.Contains(home, "Slower than objective"); home = get("/") {
		if time.Now().After(deadline) {
			t.Fatalf("the page never showed the key screen's p95:\n%s", home)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{
		"Mon 12 Oct 2026: 97.916% available, down 30 min",
		"Tue 13 Oct 2026: 100.000% available, maintenance 1 h",
		"Tue 13 Oct 2026: 100.000% available</span>", // api: two hours without data are no downtime
		"Wed 14 Oct 2026 (today so far): 100.000% available",
		"Website unavailable", "2.500 s",
	} {
		if !strings.Contains(home, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	var sum struct {
		Page struct {
			TimeZone string `json:"time_zone"`
		}
		Components []struct{ ID, Status string }
	}
	if err := json.Unmarshal([]byte(get("/api/v2/summary.json")), &sum); err != nil {
		t.Fatal(err)
	}
	statuses := map[string]string{}
	for _, c := range sum.Components {
		statuses[c.ID] = c.Status
	}
	if statuses["web"] != "operational" || statuses["api"] != "degraded_performance" || statuses["group-apps"] != "degraded_performance" {
		t.Errorf("statuses = %v: want api degraded by its slow key screen", statuses)
	}
	if sum.Page.TimeZone != "Europe/Amsterdam" {
		t.Errorf("page = %+v", sum.Page)
	}
	if body := get("/api/v2/scheduled-maintenances.json"); !strings.Contains(body, `"name":"Router swap","status":"completed"`) {
		t.Errorf("the past window is not listed as completed: %s", body)
	}
	if body := get("/api/v2/incidents.json"); !strings.Contains(body, `"id":"inc-web00001","name":"Website unavailable","status":"resolved"`) {
		t.Errorf("the incident is not listed: %s", body)
	}
}

func TestStatusPageLocalURL(t *testing.T) {
	for _, c := range []struct{ page, server, want string }{
		{"", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{":8081", "127.0.0.1:8080", "http://localhost:8081"},
		{"0.0.0.0:8081", "", "http://localhost:8081"},
		{"[::]:8081", "", "http://localhost:8081"},
		{"", "status.internal:80", "http://status.internal:80"},
	} {
		if got := localURL(c.page, c.server); got != c.want {
			t.Errorf("localURL(%q, %q) = %q, want %q", c.page, c.server, got, c.want)
		}
	}
}

func TestStatusPageKeyScreens(t *testing.T) {
	cfg, err := configs.Parse("ks.yml", []byte(statusPageTestConfig+`slas:
  - customer: acme
    timezone: Europe/Amsterdam
    components: [web, api]
    availability_target: 99.9%
    latency:
      - {check: home, threshold: 3s, target: 95%}
      - {check: screen, threshold: 1s, target: 95%}
`))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]time.Duration{}
	for _, c := range pageComponents(cfg) {
		for _, ch := range c.Checks {
			got[ch.Name] = ch.Threshold
		}
	}
	// The check's own objective wins over an SLA's; an SLA's makes a key screen.
	if got["home"] != 3*time.Second || got["screen"] != 2*time.Second || got["login"] != 0 {
		t.Errorf("thresholds = %v", got)
	}
}
