package alert

import (
	"testing"
	"time"
)

func TestFlapGuardAlternating(t *testing.T) {
	// The worst case: thresholds of one, a check alternating every result
	// for three hours.
	h := newHarness(t, Policy{FailuresToOpen: 1, SuccessesToResolve: 1, ReopenWithin: 10 * time.Minute}, nil)
	var oks []bool
	for i := range 3 * 360 {
		oks = append(oks, i%2 == 1)
	}
	evs := events(h.run("home", oks...))
	ids := map[string]bool{}
	for _, ev := range evs {
		ids[ev.Incident.ID] = true
	}
	if len(ids) != 1 {
		t.Errorf("%d incidents, want 1", len(ids))
	}
	// opened, resolved, reopened; then it stays open while it flaps.
	want := []struct {
		kind     EventKind
		audience Audience
	}{{EventOpened, AudienceBoth}, {EventResolved, AudienceBoth}, {EventUpdated, AudienceOnCall}}
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d: %s", len(evs), len(want), describe(evs))
	}
	for i, w := range want {
		if evs[i].Kind != w.kind || evs[i].Audience != w.audience || evs[i].Silent {
			t.Errorf("event %d: %s, want %s to %s", i, describe(evs[i:i+1]), w.kind, w.audience)
		}
	}
	reopened := evs[2].Incident
	if reopened.Status != Investigating || reopened.ResolvedAt != nil || reopened.Reopens != 1 || reopened.Last().Notify {
		t.Errorf("reopened incident = %+v", reopened)
	}

	// Stable again: the reopened incident resolves only after passing for
	// reopen_within, and only for the on-call engineers (the subscribers
	// were told of the resolve already).
	// The run of passes began with the last (passing) result above, so
	// 10 minutes have passed at the 60th result here (index 59).
	got := h.run("home", repeat(true, 70)...)
	if len(got) != 1 || got[0].i != 59 {
		t.Fatalf("resolve of the reopened incident: %s", describe(events(got)))
	}
	if ev := got[0].ev; ev.Kind != EventResolved || ev.Audience != AudienceOnCall || ev.Incident.ID != reopened.ID || ev.Incident.Last().Notify {
		t.Errorf("resolve: %s", describe([]Event{ev}))
	}
}

func TestFlapGuardHigherThresholdsNeverOpen(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 3, SuccessesToResolve: 2}, nil)
	var oks []bool
	for i := range 1000 {
		oks = append(oks, i%2 == 0)
	}
	if evs := h.run("home", oks...); len(evs) != 0 {
		t.Errorf("alternating results opened incidents: %s", describe(events(evs)))
	}
}

func TestFlapGuardNewIncidentAfterCoolDown(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 1, SuccessesToResolve: 1, ReopenWithin: 10 * time.Minute}, nil)
	first := events(h.run("home", false, true))
	h.clk.Advance(10 * time.Minute)
	h.ev.Tick() // forgets the cold incident
	second := events(h.run("home", false))
	if len(first) != 2 || len(second) != 1 || second[0].Kind != EventOpened || second[0].Incident.ID == first[0].Incident.ID {
		t.Errorf("after the cool-down, want a new incident:%s\nthen:%s", describe(first), describe(second))
	}
	if second[0].Incident.Reopens != 0 || !second[0].Incident.Announced {
		t.Errorf("new incident = %+v", second[0].Incident)
	}
}

func TestFlapGuardBudget(t *testing.T) {
	// At most max_per_hour automatic messages per incident per hour: with
	// reminders every minute and a budget of 3, the opening and two
	// reminders use the hour up.
	h := newHarness(t, Policy{FailuresToOpen: 1, SuccessesToResolve: 1, Reminder: time.Minute, MaxPerHour: 3}, nil)
	open := one(t, h.observe("home", "ams", false))
	var reminders []time.Duration
	for m := 1; m <= 61; m++ {
		h.clk.Advance(time.Minute)
		for _, ev := range h.ev.Tick() {
			if ev.Kind != EventReminder || ev.Silent || ev.Audience != AudienceOnCall {
				t.Fatalf("tick: %s", describe([]Event{ev}))
			}
			reminders = append(reminders, h.clk.Now().Sub(t0))
		}
	}
	// Opened at 0, reminders at 1m and 2m; the next when the opening
	// leaves the hour (60m), then at 61m the 1m reminder has left it.
	want := []time.Duration{time.Minute, 2 * time.Minute, 60 * time.Minute, 61 * time.Minute}
	if len(reminders) != len(want) {
		t.Fatalf("reminders at %v, want %v", reminders, want)
	}
	for i := range want {
		if reminders[i] != want[i] {
			t.Errorf("reminders at %v, want %v", reminders, want)
			break
		}
	}
	// The budget is spent: the resolve is recorded, but silent.
	ev := one(t, h.observe("home", "ams", true))
	if ev.Kind != EventResolved || !ev.Silent || ev.SilentBecause != SilentFlapGuard || ev.Incident.ID != open.Incident.ID {
		t.Errorf("resolve over budget: %s", describe([]Event{ev}))
	}
	if ev.Incident.Last().Notify {
		t.Errorf("a silent resolve is marked as sent to subscribers")
	}
}
