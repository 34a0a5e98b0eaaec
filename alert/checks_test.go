package alert

import (
	"errors"
	"testing"
)

// A reload adds a check on a new component: it is evaluated from then on,
// with the new component's name; a kept check keeps its run of failures.
func TestSetChecksAddsAndKeeps(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 3, SuccessesToResolve: 2}, nil)
	if evs := h.run("db-ping", false, false, false); len(evs) != 0 {
		t.Fatalf("an unknown check was evaluated: %s", describe(events(evs)))
	}
	if evs := h.run("home", false, false); len(evs) != 0 {
		t.Fatalf("opened early: %s", describe(events(evs)))
	}
	err := h.ev.SetChecks(map[string]string{"home": "web", "login": "web", "api-health": "api", "db-ping": "db"},
		map[string]string{"web": "Web shop", "db": "Database"})
	if err != nil {
		t.Fatal(err)
	}
	// home's third failure in a row: its two before the reload count.
	if ev := one(t, events(h.run("home", false))); ev.Kind != EventOpened || ev.Incident.Title != "Web shop unavailable" {
		t.Errorf("home: %s", describe([]Event{ev}))
	}
	evs := h.run("db-ping", false, false, false)
	if len(evs) != 1 || evs[0].i != 2 || evs[0].ev.Kind != EventOpened || evs[0].ev.Incident.Title != "Database unavailable" ||
		evs[0].ev.Incident.Components[0] != "db" {
		t.Fatalf("db-ping after the reload: %s", describe(events(evs)))
	}
}

// A removed check that was failing no longer holds its component down:
// the remaining check's passing results resolve the incident.
func TestSetChecksRemovesFailingCheck(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 1, SuccessesToResolve: 1}, nil)
	if ev := one(t, events(h.run("login", false))); ev.Kind != EventOpened {
		t.Fatalf("login: %s", describe([]Event{ev}))
	}
	if evs := h.run("home", true); len(evs) != 0 {
		t.Fatalf("home passing resolved while login fails: %s", describe(events(evs)))
	}
	if err := h.ev.SetChecks(map[string]string{"home": "web", "api-health": "api"}, map[string]string{"web": "Web shop"}); err != nil {
		t.Fatal(err)
	}
	if evs := h.run("login", false); len(evs) != 0 {
		t.Fatalf("a removed check was evaluated: %s", describe(events(evs)))
	}
	if ev := one(t, events(h.run("home", true))); ev.Kind != EventResolved {
		t.Fatalf("home: %s", describe([]Event{ev}))
	}
}

// A check without a component is rejected and nothing changes.
func TestSetChecksInvalid(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 1, SuccessesToResolve: 1}, nil)
	err := h.ev.SetChecks(map[string]string{"home": "", "db-ping": "db"}, nil)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	if evs := h.run("db-ping", false); len(evs) != 0 {
		t.Fatalf("a rejected map was applied: %s", describe(events(evs)))
	}
	if ev := one(t, events(h.run("home", false))); ev.Kind != EventOpened || ev.Incident.Title != "Web shop unavailable" {
		t.Fatalf("home: %s", describe([]Event{ev}))
	}
}
