package alert

import (
	"fmt"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
	"github.com/vigilmon/vigil/probe"
)

// t0 is when every test starts.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// interval is the checks' interval in the tests.
const interval = 10 * time.Second

// harness drives an evaluator with a fake clock. Components: web (checks
// home and login, named "Web shop") and api (check api-health).
type harness struct {
	t   *testing.T
	clk *clock.Fake
	ev  *Evaluator
	ids int
}

// newHarness returns a harness with policy pol and muter m (may be nil).
func newHarness(t *testing.T, pol Policy, m Muter) *harness {
	t.Helper()
	h := &harness{t: t, clk: clock.NewFake(t0)}
	ev, err := New(Config{
		Policy: pol,
		Checks: map[string]string{"home": "web", "login": "web", "api-health": "api"},
		Names:  map[string]string{"web": "Web shop"},
		Muter:  m,
		Now:    h.clk.Now,
		NewID: func() string {
			h.ids++
			return fmt.Sprintf("inc-%04d", h.ids)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.ev = ev
	return h
}

// observe feeds one result of check from loc, started now.
func (h *harness) observe(check, loc string, ok bool) []Event {
	r := probe.Result{Check: check, Location: loc, Start: h.clk.Now(), Interval: interval, OK: ok}
	if !ok {
		r.Reason, r.Message = probe.ReasonStatus, "status 503, expected 200"
	}
	return h.ev.Observe(r)
}

// run feeds results of check from one location, one per interval, and
// returns the events, each with the index of the result that caused it.
func (h *harness) run(check string, oks ...bool) []indexed {
	var out []indexed
	for i, ok := range oks {
		for _, ev := range h.observe(check, "ams", ok) {
			out = append(out, indexed{i, ev})
		}
		h.clk.Advance(interval)
	}
	return out
}

// indexed is an event and the index of the result that caused it.
type indexed struct {
	i  int
	ev Event
}

// repeat returns n copies of ok.
func repeat(ok bool, n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = ok
	}
	return out
}

// one fails the test unless evs holds exactly one event, and returns it.
func one(t *testing.T, evs []Event) Event {
	t.Helper()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1: %s", len(evs), describe(evs))
	}
	return evs[0]
}

// describe lists events for failure messages.
func describe(evs []Event) string {
	s := ""
	for _, ev := range evs {
		s += fmt.Sprintf("\n  %s %s %s audience=%s silent=%v(%s) status=%s", ev.At.Format("15:04:05"), ev.Incident.ID, ev.Kind, ev.Audience, ev.Silent, ev.SilentBecause, ev.Incident.Status)
	}
	return s
}

// events drops the indexes.
func events(in []indexed) []Event {
	out := make([]Event, len(in))
	for i, x := range in {
		out[i] = x.ev
	}
	return out
}

// muteWindow mutes component between from and to.
func muteWindow(component string, from, to time.Time) Muter {
	return MuterFunc(func(c string, t time.Time) bool {
		return c == component && !t.Before(from) && t.Before(to)
	})
}
