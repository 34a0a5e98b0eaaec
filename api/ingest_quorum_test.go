package api

import (
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

// With agents, a check's latest word is the location quorum's verdict,
// not whichever location reported last.
func TestLatestVerdictIsTheLocationQuorum(t *testing.T) {
	at := func(loc string, s int, ok bool) probe.Result {
		r := probe.Result{Check: "home", Location: loc, Start: ingestStart.Add(time.Duration(s) * time.Second), Interval: 10 * time.Second, OK: ok}
		if !ok {
			r.Reason, r.Message = probe.ReasonConnect, "connection refused"
		}
		return r
	}
	for _, c := range []struct {
		name    string
		results []probe.Result
		ok      bool
	}{
		{"one location decides alone", []probe.Result{at("hq", 0, false)}, false},
		{"one failing of three, reporting last", []probe.Result{at("fra", 0, true), at("nyc", 1, true), at("ams", 2, false)}, true},
		{"two failing of three", []probe.Result{at("fra", 0, false), at("nyc", 1, true), at("ams", 2, false)}, false},
		{"two locations: both must fail", []probe.Result{at("fra", 0, true), at("ams", 1, false)}, true},
		{"a stale location does not count", []probe.Result{at("fra", 0, true), at("ams", 25, false)}, false},
		{"a late result does not replace a newer one", []probe.Result{at("ams", 5, true), at("fra", 6, true), at("ams", 1, false)}, true},
	} {
		l := NewLatest()
		for _, r := range c.results {
			l.Set(r)
		}
		got, ok := l.Verdict("home")
		if !ok || got.OK != c.ok {
			t.Errorf("%s: verdict %+v, want ok=%v", c.name, got, c.ok)
			continue
		}
		if got.OK && (got.Reason != "" || got.Message != "") || !got.OK && got.Reason != probe.ReasonConnect {
			t.Errorf("%s: verdict %+v carries the wrong reason", c.name, got)
		}
	}
	if _, ok := NewLatest().Verdict("home"); ok {
		t.Error("a verdict on a check never run")
	}
}
