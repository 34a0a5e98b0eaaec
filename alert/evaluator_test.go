package alert

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

func TestThresholds(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 3, SuccessesToResolve: 2}, nil)
	// Two failures, a success, then two failures: never three in a row.
	if evs := h.run("home", false, false, true, false, false); len(evs) != 0 {
		t.Fatalf("events before the 3rd failure in a row: %s", describe(events(evs)))
	}
	// The third failure in a row opens the incident.
	evs := h.run("home", false, false, true, true)
	if len(evs) != 2 {
		t.Fatalf("want opened and resolved: %s", describe(events(evs)))
	}
	opened, resolved := evs[0], evs[1]
	if opened.i != 0 || opened.ev.Kind != EventOpened || opened.ev.Audience != AudienceBoth || opened.ev.Silent {
		t.Errorf("opened at result %d: %s", opened.i, describe([]Event{opened.ev}))
	}
	inc := opened.ev.Incident
	if inc.ID != "inc-0001" || inc.Status != Investigating || inc.Title != "Web shop unavailable" ||
		!reflect.DeepEqual(inc.Components, []string{"web"}) || !inc.OpenedAt.Equal(t0.Add(5*interval)) || !inc.Announced {
		t.Errorf("opened incident = %+v", inc)
	}
	if u := inc.Last(); u.Seq != 1 || u.Status != Investigating || !u.Notify || u.Message != "Web shop is not working as expected. We are investigating." {
		t.Errorf("first update = %+v", u)
	}
	if want := "check home failing from 1 of 1 locations (ams: status 503, expected 200)"; opened.ev.Detail != want {
		t.Errorf("detail = %q, want %q", opened.ev.Detail, want)
	}
	// The second success in a row resolves it.
	if resolved.i != 3 || resolved.ev.Kind != EventResolved || resolved.ev.Audience != AudienceBoth {
		t.Errorf("resolved at result %d: %s", resolved.i, describe([]Event{resolved.ev}))
	}
	if r := resolved.ev.Incident; r.Status != Resolved || r.ResolvedAt == nil || !r.ResolvedAt.Equal(t0.Add(8*interval)) || len(r.Updates) != 2 || r.Announced {
		t.Errorf("resolved incident = %+v", r)
	}
	if v1, v2 := opened.ev.Incident.Version, resolved.ev.Incident.Version; v1 != 1 || v2 != 2 || opened.ev.Key() == resolved.ev.Key() {
		t.Errorf("versions %d, %d; keys %s, %s", v1, v2, opened.ev.Key(), resolved.ev.Key())
	}
	// Snapshots are copies.
	if len(opened.ev.Incident.Updates) != 1 || opened.ev.Incident.ResolvedAt != nil {
		t.Errorf("the opened event's snapshot changed: %+v", opened.ev.Incident)
	}
}

func TestThresholdsOfOne(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 1, SuccessesToResolve: 1}, nil)
	evs := h.run("api-health", false, true)
	if len(evs) != 2 || evs[0].i != 0 || evs[0].ev.Kind != EventOpened || evs[1].i != 1 || evs[1].ev.Kind != EventResolved {
		t.Fatalf("events: %s", describe(events(evs)))
	}
	if evs[0].ev.Incident.Title != "api unavailable" {
		t.Errorf("title = %q: a component without a name shows its id", evs[0].ev.Incident.Title)
	}
}

func TestQuorum(t *testing.T) {
	type obs struct {
		loc string
		ago time.Duration // before the last result
		ok  bool
	}
	tests := []struct {
		name        string
		obs         []obs // in order; the last is at t0
		failing     bool
		fresh, fail int
	}{
		{"one location failing decides alone", []obs{{"a", 0, false}}, true, 1, 1},
		{"one location passing", []obs{{"a", 0, true}}, false, 1, 0},
		{"two: one failing is a tie, passing", []obs{{"b", 5 * time.Second, true}, {"a", 0, false}}, false, 2, 1},
		{"two: both failing", []obs{{"b", 5 * time.Second, false}, {"a", 0, false}}, true, 2, 2},
		{"three: two failing", []obs{{"c", 8 * time.Second, true}, {"b", 5 * time.Second, false}, {"a", 0, false}}, true, 3, 2},
		{"three: one failing", []obs{{"c", 8 * time.Second, true}, {"b", 5 * time.Second, true}, {"a", 0, false}}, false, 3, 1},
		{"three: passing result, two others failing", []obs{{"c", 8 * time.Second, false}, {"b", 5 * time.Second, false}, {"a", 0, true}}, true, 3, 2},
		{"four: two failing is a tie", []obs{{"d", 9 * time.Second, true}, {"c", 8 * time.Second, true}, {"b", 5 * time.Second, false}, {"a", 0, false}}, false, 4, 2},
		{"stale passing location left out", []obs{{"b", 5 * time.Minute, true}, {"a", 0, false}}, true, 1, 1},
		{"stale failing location left out", []obs{{"c", 5 * time.Minute, false}, {"b", 5 * time.Second, true}, {"a", 0, false}}, false, 2, 1},
		{"fresh until two intervals", []obs{{"b", 2*interval - time.Millisecond, true}, {"a", 0, false}}, false, 2, 1},
		{"stale at two intervals", []obs{{"b", 2 * interval, true}, {"a", 0, false}}, true, 1, 1},
		{"latest result per location counts", []obs{{"b", 9 * time.Second, false}, {"b", 5 * time.Second, true}, {"a", 0, false}}, false, 2, 1},
		{"recovered location", []obs{{"a", 9 * time.Second, false}, {"a", 0, true}}, false, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &check{name: "home"}
			for _, o := range tt.obs {
				if !c.observe(probe.Result{Check: "home", Location: o.loc, Start: t0.Add(-o.ago), Interval: interval, OK: o.ok}) {
					t.Fatalf("result of %s rejected", o.loc)
				}
			}
			if c.failing != tt.failing || c.freshLocs != tt.fresh || c.failingLocs != tt.fail {
				t.Errorf("failing=%v (%d of %d), want %v (%d of %d)", c.failing, c.failingLocs, c.freshLocs, tt.failing, tt.fail, tt.fresh)
			}
		})
	}
	t.Run("late result ignored", func(t *testing.T) {
		c := &check{name: "home"}
		c.observe(probe.Result{Location: "a", Start: t0, Interval: interval, OK: true})
		if c.observe(probe.Result{Location: "a", Start: t0.Add(-time.Second), Interval: interval, OK: false}) || c.failing {
			t.Errorf("a result older than the location's latest changed the verdict")
		}
	})
}

func TestQuorumThroughEvaluator(t *testing.T) {
	// Three locations, failures_to_open 2: one location failing alone
	// never opens; two of three failing open on the second failing verdict.
	h := newHarness(t, Policy{FailuresToOpen: 2, SuccessesToResolve: 1}, nil)
	for range 10 {
		evs := append(h.observe("home", "ams", false), h.observe("home", "fra", true)...)
		evs = append(evs, h.observe("home", "lon", true)...)
		if len(evs) != 0 {
			t.Fatalf("one location of three opened an incident: %s", describe(evs))
		}
		h.clk.Advance(interval)
	}
	if evs := h.observe("home", "ams", false); len(evs) != 0 {
		t.Fatalf("1 of 3: %s", describe(evs))
	}
	// fra fails too: 2 of 3 → failing verdict #1 (ams' was 1 of 3, passing).
	if evs := h.observe("home", "fra", false); len(evs) != 0 {
		t.Fatalf("first failing verdict opened: %s", describe(evs))
	}
	// lon passes, but 2 of 3 still fail: the check's verdict stays
	// failing, the second failing verdict in a row.
	ev := one(t, h.observe("home", "lon", true))
	if ev.Kind != EventOpened || ev.Detail != "check home failing from 2 of 3 locations" {
		t.Errorf("opened: %s detail %q", describe([]Event{ev}), ev.Detail)
	}
}

func TestMultiCheckComponent(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 3, SuccessesToResolve: 2}, nil)
	// One failure of home, then many passing logins: the stale failing
	// verdict of home is not counted again, and login does not clear it.
	h.observe("home", "ams", false)
	for range 10 {
		h.clk.Advance(interval)
		if evs := h.observe("login", "ams", true); len(evs) != 0 {
			t.Fatalf("passing login: %s", describe(evs))
		}
	}
	// Failing results of either check count together: home (2), login (3).
	h.clk.Advance(interval)
	if evs := h.observe("home", "ams", false); len(evs) != 0 {
		t.Fatalf("2nd failing evaluation: %s", describe(evs))
	}
	ev := one(t, h.observe("login", "ams", false))
	if ev.Kind != EventOpened || ev.Incident.Components[0] != "web" {
		t.Fatalf("3rd failing evaluation: %s", describe([]Event{ev}))
	}
	// Other components are not affected.
	if evs := h.observe("api-health", "ams", true); len(evs) != 0 {
		t.Fatalf("api: %s", describe(evs))
	}
	// login recovers while home still fails: neither passing nor failing.
	h.clk.Advance(interval)
	for range 3 {
		if evs := h.observe("login", "ams", true); len(evs) != 0 {
			t.Fatalf("login passing while home fails: %s", describe(evs))
		}
	}
	// home recovers: the component passes; the 2nd passing evaluation resolves.
	if evs := h.observe("home", "ams", true); len(evs) != 0 {
		t.Fatalf("1st passing evaluation: %s", describe(evs))
	}
	if ev := one(t, h.observe("login", "ams", true)); ev.Kind != EventResolved || ev.Incident.ID != "inc-0001" {
		t.Errorf("2nd passing evaluation: %s", describe([]Event{ev}))
	}
}

func TestUnknownCheckIgnored(t *testing.T) {
	h := newHarness(t, Policy{FailuresToOpen: 1}, nil)
	if evs := h.run("nope", false, false); len(evs) != 0 {
		t.Errorf("events for an unknown check: %s", describe(events(evs)))
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := New(Config{Policy: Policy{FailuresToOpen: -1}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative threshold: %v", err)
	}
	if _, err := New(Config{Checks: map[string]string{"home": ""}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("check without component: %v", err)
	}
	ev, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Policy() != DefaultPolicy {
		t.Errorf("policy = %+v, want the defaults", ev.Policy())
	}
}

func TestDeterministic(t *testing.T) {
	run := func() []Event {
		h := newHarness(t, Policy{FailuresToOpen: 2, SuccessesToResolve: 2, Reminder: time.Minute, MaxPerHour: 3}, nil)
		var all []Event
		for i := range 400 {
			ok := (i/12)%3 != 0 || i > 300
			all = append(all, h.observe([]string{"home", "login", "api-health"}[i%3], []string{"ams", "fra"}[i%2], ok)...)
			h.clk.Advance(5 * time.Second)
			all = append(all, h.ev.Tick()...)
		}
		return all
	}
	a, b := run(), run()
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Errorf("two runs differ or produced nothing: %d and %d events", len(a), len(b))
	}
}

func BenchmarkObserve(b *testing.B) {
	ev, err := New(Config{Checks: map[string]string{"home": "web"}, Now: func() time.Time { return t0 }})
	if err != nil {
		b.Fatal(err)
	}
	locs := []string{"ams", "fra", "lon"}
	r := probe.Result{Check: "home", Interval: interval, OK: true}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Location, r.Start = locs[i%3], t0.Add(time.Duration(i)*time.Second)
		ev.Observe(r)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "results/s")
}
