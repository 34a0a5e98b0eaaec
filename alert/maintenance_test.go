package alert

import (
	"testing"
	"time"
)

func TestMaintenanceSilenceThenStillFailing(t *testing.T) {
	// web is under maintenance for the first 10 minutes.
	end := t0.Add(10 * time.Minute)
	h := newHarness(t, Policy{FailuresToOpen: 3, SuccessesToResolve: 2, Reminder: 5 * time.Minute}, muteWindow("web", t0, end))
	evs := h.run("home", false, false, false)
	if len(evs) != 1 {
		t.Fatalf("want the incident recorded: %s", describe(events(evs)))
	}
	ev := evs[0].ev
	if ev.Kind != EventOpened || !ev.Silent || ev.SilentBecause != SilentMaintenance {
		t.Errorf("opened during maintenance: %s", describe([]Event{ev}))
	}
	inc := ev.Incident
	if !inc.InMaintenance || inc.Announced || inc.LastPagedAt != nil || inc.Last().Notify {
		t.Errorf("incident during maintenance = %+v", inc)
	}
	// Nobody is reminded during maintenance, and failures change nothing.
	for h.clk.Now().Before(end) {
		if evs := append(h.ev.Tick(), h.observe("home", "ams", false)...); len(evs) != 0 {
			t.Fatalf("during maintenance: %s", describe(evs))
		}
		h.clk.Advance(interval)
	}
	// The maintenance is over and web still fails: announced to everyone.
	ev = one(t, h.ev.Tick())
	if ev.Kind != EventOpened || ev.Silent || ev.Audience != AudienceBoth || ev.Incident.ID != inc.ID {
		t.Fatalf("after maintenance: %s", describe([]Event{ev}))
	}
	after := ev.Incident
	if after.InMaintenance || !after.Announced || after.LastPagedAt == nil || len(after.Updates) != 2 ||
		after.Last().Message != "Web shop is still not working as expected after the planned maintenance ended. We are investigating." || !after.Last().Notify {
		t.Errorf("announced incident = %+v", after)
	}
	// From now on it behaves like any incident: reminders, then a resolve.
	h.clk.Advance(5 * time.Minute)
	if ev := one(t, h.ev.Tick()); ev.Kind != EventReminder || ev.Silent {
		t.Errorf("reminder: %s", describe([]Event{ev}))
	}
	evs = h.run("home", true, true)
	if len(evs) != 1 || evs[0].ev.Kind != EventResolved || evs[0].ev.Silent || evs[0].ev.Audience != AudienceBoth {
		t.Errorf("resolve: %s", describe(events(evs)))
	}
}

func TestMaintenanceRecoversInside(t *testing.T) {
	end := t0.Add(10 * time.Minute)
	h := newHarness(t, Policy{FailuresToOpen: 1, SuccessesToResolve: 1}, muteWindow("web", t0, end))
	evs := events(h.run("home", false, true))
	if len(evs) != 2 || !evs[0].Silent || !evs[1].Silent || evs[1].Kind != EventResolved || evs[1].SilentBecause != SilentMaintenance {
		t.Fatalf("want a silent open and resolve: %s", describe(evs))
	}
	if inc := evs[1].Incident; !inc.InMaintenance || inc.Last().Notify {
		t.Errorf("resolved incident = %+v: it stays marked as in maintenance", inc)
	}
	h.clk.Advance(15 * time.Minute)
	if evs := h.ev.Tick(); len(evs) != 0 {
		t.Errorf("after maintenance: %s", describe(evs))
	}
}

func TestMaintenanceEndsWhilePassing(t *testing.T) {
	// The maintenance ends while the component passes again but has not
	// resolved yet: nobody is paged; the resolve stays silent.
	end := t0.Add(time.Minute)
	h := newHarness(t, Policy{FailuresToOpen: 1, SuccessesToResolve: 3}, muteWindow("web", t0, end))
	h.run("home", false, true)
	h.clk.Advance(time.Minute)
	if evs := h.ev.Tick(); len(evs) != 0 {
		t.Fatalf("tick after maintenance while passing: %s", describe(evs))
	}
	evs := events(h.run("home", true, true))
	if len(evs) != 1 || !evs[0].Silent || evs[0].Kind != EventResolved {
		t.Errorf("resolve of an incident nobody heard of: %s", describe(evs))
	}
}

func TestMaintenanceSilencesOpenIncident(t *testing.T) {
	// An incident opened before the maintenance: its resolve during the
	// maintenance is silent, and no reminders are sent meanwhile.
	start := t0.Add(time.Minute)
	h := newHarness(t, Policy{FailuresToOpen: 1, SuccessesToResolve: 1, Reminder: time.Minute}, muteWindow("web", start, start.Add(time.Hour)))
	if ev := one(t, events(h.run("home", false))); ev.Silent {
		t.Fatalf("opened before maintenance: %s", describe([]Event{ev}))
	}
	h.clk.Advance(5 * time.Minute)
	if evs := h.ev.Tick(); len(evs) != 0 {
		t.Errorf("reminder during maintenance: %s", describe(evs))
	}
	ev := one(t, events(h.run("home", true)))
	if ev.Kind != EventResolved || !ev.Silent || ev.SilentBecause != SilentMaintenance {
		t.Errorf("resolve during maintenance: %s", describe([]Event{ev}))
	}
}
