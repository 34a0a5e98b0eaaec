package alert

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRemindersAndAck(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 1, Reminder: 30 * time.Minute}, nil)
	inc := one(t, events(h.run("home", false))).Incident
	start := h.clk.Now().Add(-interval) // when it opened
	var at []time.Duration
	for h.clk.Now().Before(start.Add(65 * time.Minute)) {
		h.clk.Advance(time.Minute)
		for _, ev := range h.ev.Tick() {
			if ev.Kind != EventReminder || ev.Audience != AudienceOnCall || ev.Silent || ev.Incident.ID != inc.ID {
				t.Fatalf("tick: %s", describe([]Event{ev}))
			}
			if len(ev.Incident.Updates) != 1 {
				t.Errorf("a reminder added an update: %+v", ev.Incident.Updates)
			}
			at = append(at, ev.At.Sub(start))
		}
	}
	if len(at) != 2 || at[0] < 30*time.Minute || at[0] >= 31*time.Minute || at[1] < 60*time.Minute || at[1] >= 62*time.Minute {
		t.Fatalf("reminders at %v, want about 30m and 60m", at)
	}

	ack := one(t, must(h.ev.Ack(inc.ID, " alice ")))
	if ack.Kind != EventUpdated || !ack.Silent || ack.SilentBecause != SilentRecordOnly || ack.Incident.AckedBy != "alice" || ack.Incident.AckedAt == nil {
		t.Errorf("ack: %s %+v", describe([]Event{ack}), ack.Incident)
	}
	if _, err := h.ev.Ack(inc.ID, "bob"); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "already acknowledged by alice") {
		t.Errorf("second ack = %v", err)
	}
	if _, err := h.ev.Ack(inc.ID+"x", "bob"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ack of an unknown id = %v", err)
	}
	h.clk.Advance(3 * time.Hour)
	if evs := h.ev.Tick(); len(evs) != 0 {
		t.Errorf("reminders after the ack: %s", describe(evs))
	}
}

func TestManualUpdatesAndResolve(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 2, SuccessesToResolve: 2, ReopenWithin: 10 * time.Minute}, nil)
	id := one(t, events(h.run("home", false, false))).Incident.ID

	// An update without notify: on-call only.
	ev := one(t, must(h.ev.Update(id, Identified, "  Database failover in progress. ", false)))
	if ev.Kind != EventUpdated || ev.Audience != AudienceOnCall || ev.Silent {
		t.Errorf("update: %s", describe([]Event{ev}))
	}
	if u := ev.Incident.Last(); u.Seq != 2 || u.Status != Identified || u.Message != "Database failover in progress." || u.Notify || ev.Incident.Status != Identified {
		t.Errorf("update entry = %+v", u)
	}
	// With notify: everyone.
	ev = one(t, must(h.ev.Update(id, Monitoring, "Failover done, watching.", true)))
	if ev.Audience != AudienceBoth || !ev.Incident.Last().Notify || ev.Incident.Status != Monitoring {
		t.Errorf("notify update: %s", describe([]Event{ev}))
	}
	// Bad input, every problem at once.
	_, err := h.ev.Update(id, "fixed", " ", false)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `status "fixed" is not one of`) || !strings.Contains(err.Error(), "message is empty") {
		t.Errorf("bad update = %v", err)
	}
	if _, err := h.ev.Update("inc-nope", Identified, "x", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of unknown id = %v", err)
	}

	// Resolved by hand while still failing.
	ev = one(t, must(h.ev.Resolve(id, "")))
	if ev.Kind != EventResolved || ev.Audience != AudienceBoth || ev.Incident.Status != Resolved || ev.Incident.Last().Message != "This incident has been resolved." {
		t.Errorf("manual resolve: %s %+v", describe([]Event{ev}), ev.Incident.Last())
	}
	if _, err := h.ev.Update(id, Identified, "x", false); !errors.Is(err, ErrConflict) {
		t.Errorf("update after resolve = %v", err)
	}
	if _, err := h.ev.Resolve(id, ""); !errors.Is(err, ErrConflict) {
		t.Errorf("second resolve = %v", err)
	}
	// It fails on: the flap guard reopens the same incident after
	// failures_to_open new failures, for the on-call engineers only.
	evs := h.run("home", false, false)
	if len(evs) != 1 || evs[0].i != 1 || evs[0].ev.Kind != EventUpdated || evs[0].ev.Audience != AudienceOnCall || evs[0].ev.Incident.ID != id {
		t.Fatalf("reopen: %s", describe(events(evs)))
	}
	// An update marked notify tells the subscribers again, so the next
	// resolve reaches them too.
	one(t, must(h.ev.Update(id, Investigating, "The problem came back.", true)))
	ev = one(t, must(h.ev.Update(id, Resolved, "Fixed for good.", true)))
	if ev.Kind != EventResolved || ev.Audience != AudienceBoth || ev.Incident.Last().Message != "Fixed for good." {
		t.Errorf("resolve through Update: %s", describe([]Event{ev}))
	}
	if open := h.ev.Incidents(); len(open) != 0 {
		t.Errorf("open incidents after resolve: %+v", open)
	}
}

func TestManualUpdateNotHeldBack(t *testing.T) {
	// Maintenance and the budget never hold back an engineer's update.
	h := newHarness(t, Policy{FailuresToOpen: 1, MaxPerHour: 1}, muteWindow("web", t0, t0.Add(time.Hour)))
	id := one(t, events(h.run("home", false))).Incident.ID
	for range 3 {
		if ev := one(t, must(h.ev.Update(id, Identified, "Working on it.", false))); ev.Silent {
			t.Errorf("engineer's update silenced: %s", describe([]Event{ev}))
		}
	}
}

func TestIncidentsSnapshot(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 1}, nil)
	h.run("home", false)
	h.run("api-health", false)
	open := h.ev.Incidents()
	if len(open) != 2 || open[0].Components[0] != "web" || open[1].Components[0] != "api" {
		t.Fatalf("open = %+v", open)
	}
	open[0].Updates[0].Message = "changed"
	if h.ev.Incidents()[0].Updates[0].Message == "changed" {
		t.Errorf("Incidents returned the evaluator's own state")
	}
}

// must returns evs, panicking (failing the test) on err.
func must(evs []Event, err error) []Event {
	if err != nil {
		panic(err)
	}
	return evs
}
