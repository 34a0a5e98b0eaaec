package main

// The evaluator resumes from the state database through the adapter in
// alert_store.go: these tests restart it on a real SQLite store.

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert"
	"github.com/vigilmon/vigil/internal/clock"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store"
)

// daemon is one run of the evaluator on a state database.
type evalDaemon struct {
	t   *testing.T
	st  *store.State
	ev  *alert.Evaluator
	clk *clock.Fake
}

// start opens the state in dir and resumes an evaluator from it.
func startEvaluator(t *testing.T, dir string, clk *clock.Fake) *evalDaemon {
	t.Helper()
	st, err := store.OpenState(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := alert.New(alert.Config{
		Policy: alert.Policy{FailuresToOpen: 2, SuccessesToResolve: 2, Reminder: 30 * time.Minute, ReopenWithin: 10 * time.Minute},
		Checks: map[string]string{"home": "web"},
		Now:    clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ev.Resume(context.Background(), stateIncidents{st}); err != nil {
		t.Fatal(err)
	}
	return &evalDaemon{t: t, st: st, ev: ev, clk: clk}
}

// observe feeds a result of home from ams, saves the events' incidents
// and returns the events.
func (d *evalDaemon) observe(ok bool) []alert.Event {
	d.t.Helper()
	evs := d.ev.Observe(probe.Result{Check: "home", Location: "ams", Start: d.clk.Now(), Interval: time.Minute, OK: ok})
	d.save(evs)
	d.clk.Advance(time.Minute)
	return evs
}

// save stores the events' incidents.
func (d *evalDaemon) save(evs []alert.Event) {
	d.t.Helper()
	if err := alert.SaveEvents(context.Background(), stateIncidents{d.st}, evs); err != nil {
		d.t.Fatal(err)
	}
}

// stop closes the state database, as a restart would.
func (d *evalDaemon) stop() {
	if err := d.st.Close(); err != nil {
		d.t.Fatal(err)
	}
}

func TestRestartResumesOpenIncident(t *testing.T) {
	dir := t.TempDir()
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	d := startEvaluator(t, dir, clk)
	d.observe(false)
	evs := d.observe(false)
	if len(evs) != 1 || evs[0].Kind != alert.EventOpened {
		t.Fatalf("want an incident: %+v", evs)
	}
	id := evs[0].Incident.ID
	acks, err := d.ev.Ack(id, "alice")
	if err != nil {
		t.Fatal(err)
	}
	d.save(acks)
	before := d.ev.Incidents()
	d.stop()

	d = startEvaluator(t, dir, clk)
	defer d.stop()
	after := d.ev.Incidents()
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("after the restart:\n got: %+v\nwant: %+v", after, before)
	}
	// Still failing: no second incident; acknowledged: no reminders.
	for range 40 {
		if evs := append(d.observe(false), d.ev.Tick()...); len(evs) != 0 {
			t.Fatalf("after the restart, still failing: %+v", evs)
		}
	}
	// Recovers: the same incident resolves.
	d.observe(true)
	evs = d.observe(true)
	if len(evs) != 1 || evs[0].Kind != alert.EventResolved || evs[0].Incident.ID != id {
		t.Fatalf("resolve after the restart: %+v", evs)
	}
	got, err := d.st.GetIncident(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "resolved" || got.AckedBy != "alice" || len(got.Updates) != 2 || got.Version != evs[0].Incident.Version {
		t.Errorf("stored incident = %+v", got)
	}
}

func TestRestartKeepsFlapGuard(t *testing.T) {
	// An incident resolved just before a restart is reopened, not
	// duplicated, when the component fails again within reopen_within.
	dir := t.TempDir()
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	d := startEvaluator(t, dir, clk)
	var id string
	for _, ok := range []bool{false, false, true, true} {
		for _, ev := range d.observe(ok) {
			id = ev.Incident.ID
		}
	}
	d.stop()

	d = startEvaluator(t, dir, clk)
	defer d.stop()
	if open := d.ev.Incidents(); len(open) != 0 {
		t.Fatalf("open after restart: %+v", open)
	}
	d.observe(false)
	evs := d.observe(false)
	if len(evs) != 1 || evs[0].Kind != alert.EventUpdated || evs[0].Incident.ID != id || evs[0].Incident.Reopens != 1 || evs[0].Audience != alert.AudienceOnCall {
		t.Fatalf("reopen after the restart: %+v", evs)
	}
	stored, err := d.st.ListIncidents(context.Background(), clk.Now().Add(-time.Hour), clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0].Status != "investigating" || len(stored[0].Updates) != 3 {
		t.Errorf("stored = %+v", stored)
	}
}
