package statuspage

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

func TestRendersOnlyOnChange(t *testing.T) {
	f := scenario()
	p, clk := testPage(t, f, scenarioNow, "https://status.example.com", false)
	poll(p)
	if p.renders.Load() != 1 {
		t.Fatalf("renders = %d after the first poll", p.renders.Load())
	}
	first := p.snap.Load()

	// New results that change nothing shown: no rendering.
	clk.Advance(5 * time.Second)
	f.setLatest("website-home", Result{Start: clk.Now(), OK: true, Duration: 420 * time.Millisecond})
	p.refresh(context.Background())
	if p.renders.Load() != 1 || p.snap.Load() != first {
		t.Errorf("renders = %d after a poll that changed nothing shown", p.renders.Load())
	}

	// The website fails: its status changes, so does the page.
	clk.Advance(5 * time.Second)
	f.setLatest("website-home", Result{Start: clk.Now(), OK: false})
	p.refresh(context.Background())
	if p.renders.Load() != 2 {
		t.Fatalf("renders = %d after the website failed", p.renders.Load())
	}
	body := get(p.Handler(), http.MethodGet, "/api/v2/components.json", nil).Body.String()
	if !strings.Contains(body, `"id":"website","name":"Website","status":"major_outage","created_at":"2026-10-14T10:00:00Z","updated_at":"2026-10-14T10:00:10Z"`) {
		t.Errorf("the website's new status and its updated_at are not served: %s", body)
	}
	// Pages whose bytes did not change keep their asset and Last-Modified.
	if p.snap.Load().assets["/incidents/inc-done0001"] != first.assets["/incidents/inc-done0001"] {
		t.Error("an unchanged incident page was rendered anew")
	}
	if p.snap.Load().assets["/"] == first.assets["/"] {
		t.Error("the home page was not rendered anew")
	}
}

func TestRendersAtDayChangeAndMaintenanceStart(t *testing.T) {
	f := scenario()
	// 23:59:50 in Amsterdam, a window starts at midnight.
	now := time.Date(2026, 10, 14, 21, 59, 50, 0, time.UTC)
	f.maint = append(f.maint, Maintenance{ID: "mw-night001", Title: "Night work", Components: []string{"website"},
		Start: now.Add(10 * time.Second), End: now.Add(time.Hour), AnnouncedAt: now.Add(-time.Hour)})
	for check, r := range f.latest {
		r.Start = now
		f.latest[check] = r
	}
	p, clk := testPage(t, f, now, "https://status.example.com", false)
	poll(p)
	home := p.snap.Load().assets["/"]
	clk.Advance(5 * time.Second)
	p.refresh(context.Background())
	if p.snap.Load().assets["/"] != home {
		t.Fatal("re-rendered although nothing changed")
	}
	clk.Advance(10 * time.Second) // 00:00:05: a new day, and the window began
	p.refresh(context.Background())
	s := p.snap.Load()
	if s.assets["/"] == home {
		t.Fatal("not rendered at the day change")
	}
	body := string(s.assets["/"].body)
	if !strings.Contains(body, "Thu 15 Oct 2026 (today so far)") {
		t.Error("the bars do not end with the new day")
	}
	if !strings.Contains(string(s.assets["/api/v2/scheduled-maintenances/active.json"].body), "mw-night001") {
		t.Error("the window that began is not active")
	}
}

func TestFailingSourceKeepsSnapshot(t *testing.T) {
	f := scenario()
	p, clk := testPage(t, f, scenarioNow, "https://status.example.com", false)
	poll(p)
	before := p.snap.Load()
	f.mu.Lock()
	f.failing = errors.New("database is locked")
	f.incidents = nil // what a broken read would make look all clear
	f.mu.Unlock()
	clk.Advance(time.Minute)
	poll(p)
	if p.snap.Load() != before {
		t.Fatal("a failing source replaced the snapshot")
	}
	if !strings.Contains(get(p.Handler(), http.MethodGet, "/", nil).Body.String(), "Profit unavailable") {
		t.Error("the open incident vanished while the source failed")
	}
	// The bars keep their last figures too.
	if p.slow.daily == nil {
		t.Error("a failing availability source dropped the known bars")
	}
	f.mu.Lock()
	f.failing = nil
	f.mu.Unlock()
	poll(p)
	if p.snap.Load() == before || strings.Contains(get(p.Handler(), http.MethodGet, "/", nil).Body.String(), "Profit unavailable") {
		t.Error("the page did not follow the sources once they answered")
	}
}

func TestPageWithoutSlowSources(t *testing.T) {
	f := scenario()
	p, err := New(Options{Title: "Acme", PublicURL: "http://127.0.0.1:8080/", Catalog: f, Latest: f, Incidents: f, Maintenances: f,
		Clock: clock.NewFake(scenarioNow)})
	if err != nil {
		t.Fatal(err)
	}
	poll(p)
	body := get(p.Handler(), http.MethodGet, "/", nil).Body.String()
	if strings.Contains(body, `class="bars"`) || !strings.Contains(body, "Major System Outage") {
		t.Error("without an availability source the page shows bars, or no status")
	}
	if !strings.Contains(body, "no data") {
		t.Error("key screens without a latency source should say no data")
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	f := scenario()
	for name, o := range map[string]Options{
		"no title":      {PublicURL: "https://s.example.com", Catalog: f, Latest: f, Incidents: f, Maintenances: f},
		"relative url":  {Title: "A", PublicURL: "status.example.com", Catalog: f, Latest: f, Incidents: f, Maintenances: f},
		"url with path": {Title: "A", PublicURL: "https://example.com/status", Catalog: f, Latest: f, Incidents: f, Maintenances: f},
		"no sources":    {Title: "A", PublicURL: "https://s.example.com"},
		"bad colour":    {Title: "A", PublicURL: "https://s.example.com", Catalog: f, Latest: f, Incidents: f, Maintenances: f, Colors: Colors{Accent: "blue"}},
		"bad logo":      {Title: "A", PublicURL: "https://s.example.com", Catalog: f, Latest: f, Incidents: f, Maintenances: f, Logo: "javascript:alert(1)"},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestRunLoop drives Run with the fake clock: the first snapshot, a change
// seen at the next poll, and a clean stop.
func TestRunLoop(t *testing.T) {
	f := scenario()
	p, clk := testPage(t, f, scenarioNow, "https://status.example.com", false)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	waitFor(t, "both loops asleep after the first round", func() bool { return p.snap.Load() != nil && clk.Timers() == 2 })
	if n := p.renders.Load(); n < 1 || n > 2 { // the slow poll's kick may add one
		t.Fatalf("renders = %d after the first round", n)
	}
	rendered := p.renders.Load()
	f.setLatest("website-home", Result{Start: clk.Now(), OK: false})
	clk.Advance(p.o.PollEvery)
	waitFor(t, "the change rendered", func() bool { return p.renders.Load() == rendered+1 })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
}

// waitFor polls cond until it holds, for goroutines that react to the fake
// clock; it fails after a generous deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
