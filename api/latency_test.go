package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

var latNow = time.Date(2026, 10, 7, 12, 0, 0, 0, time.UTC)

// screenCatalog has a key screen with an objective and a check without.
type screenCatalog struct{}

func (screenCatalog) Checks() []CheckInfo {
	return []CheckInfo{
		{Name: "employee-properties", Component: "profit", Kind: "http", Interval: 30 * time.Second,
			Objective: &Objective{Threshold: 2 * time.Second, TargetPPM: 950_000}},
		{Name: "profit-home", Component: "profit", Kind: "http", Interval: 15 * time.Second},
	}
}

// sliceResults answers queries from a list and remembers the last range.
type sliceResults struct {
	list     []probe.Result
	from, to time.Time
	err      error
}

func (s *sliceResults) Query(ctx context.Context, check string, from, to time.Time, fn func(probe.Result) error) error {
	s.from, s.to = from, to
	for _, r := range s.list {
		if r.Check != check || r.Start.Before(from) || !r.Start.Before(to) {
			continue
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return s.err
}

func screenResult(ago time.Duration, ok bool, d time.Duration, reason probe.Reason) probe.Result {
	return probe.Result{Check: "employee-properties", Location: "ams", Start: latNow.Add(-ago), Duration: d, OK: ok, Reason: reason, Interval: 30 * time.Second}
}

func newLatencyServer(t *testing.T, res *sliceResults) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Handler(Options{Catalog: screenCatalog{}, Latest: NewLatest(), Results: res, Now: func() time.Time { return latNow }}))
	t.Cleanup(srv.Close)
	return srv
}

func TestLatencyView(t *testing.T) {
	ms := time.Millisecond
	res := &sliceResults{list: []probe.Result{
		screenResult(25*time.Hour, true, 10*ms, ""),                              // before the default 24 hours
		screenResult(3*time.Hour, true, 2000*ms, ""),                             // exactly the threshold: good
		screenResult(2*time.Hour, true, 2000*ms+400*time.Microsecond, ""),        // rounds to 2000 ms: good
		screenResult(time.Hour, true, 2000*ms+500*time.Microsecond, ""),          // rounds to 2001 ms: slow
		screenResult(50*time.Minute, false, 10*time.Second, probe.ReasonTimeout), // slow too
		screenResult(40*time.Minute, false, 30*ms, probe.ReasonStatus),           // availability's business
		screenResult(30*time.Minute, true, 800*ms, ""),
	}}
	srv := newLatencyServer(t, res)
	var got map[string]any
	code, _ := call(t, "GET", srv.URL+"/api/v1/checks/employee-properties/latency", "", "", &got)
	if code != http.StatusOK {
		t.Fatalf("latency: %d %v", code, got)
	}
	if !res.from.Equal(latNow.Add(-24*time.Hour)) || !res.to.Equal(latNow) {
		t.Errorf("queried [%s, %s), want the last 24 hours", res.from, res.to)
	}
	for key, want := range map[string]any{
		"check": "employee-properties", "from": "2026-10-06T12:00:00Z", "to": "2026-10-07T12:00:00Z",
		"threshold_ms": 2000.0, "target_ppm": 950_000.0,
		"count": 5.0, "ok": 4.0, "good": 3.0, "timeouts": 1.0, "other_failures": 1.0,
		"compliance_ppm": 600_000.0, "compliance": "60.000%", "met": false,
		"p50_ms": 2000.0, "p95_ms": 2001.0, "p99_ms": 2001.0,
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v", key, got[key], want)
		}
	}

	// An explicit range and a threshold of one's own.
	code, _ = call(t, "GET", srv.URL+"/api/v1/checks/employee-properties/latency?from=2026-10-07T10:30:00Z&to=2026-10-07T11:35:00Z&threshold=1s", "", "", &got)
	if code != http.StatusOK || got["count"] != 3.0 || got["good"] != 1.0 || got["threshold_ms"] != 1000.0 || got["target_ppm"] != 950_000.0 || got["met"] != false {
		t.Errorf("range and threshold: %d %v", code, got)
	}
}

func TestLatencyViewWithoutObjective(t *testing.T) {
	res := &sliceResults{list: []probe.Result{{Check: "profit-home", Start: latNow.Add(-time.Hour), OK: true, Duration: 120 * time.Millisecond}}}
	srv := newLatencyServer(t, res)
	var e errorJSON
	code, _ := call(t, "GET", srv.URL+"/api/v1/checks/profit-home/latency", "", "", &e)
	if code != http.StatusBadRequest || !strings.Contains(e.Error, `check "profit-home" has no latency objective; set objective: {threshold: 2s, target: 95%} on it in the config, or give a threshold here, e.g. ?threshold=2s`) {
		t.Errorf("no objective: %d %q", code, e.Error)
	}
	var got map[string]any
	code, _ = call(t, "GET", srv.URL+"/api/v1/checks/profit-home/latency?threshold=100ms", "", "", &got)
	if code != http.StatusOK || got["count"] != 1.0 || got["good"] != 0.0 || got["target_ppm"] != nil || got["met"] != nil || got["p50_ms"] != 120.0 {
		t.Errorf("threshold without objective: %d %v", code, got)
	}
	// No results: the counts are 0 and the figures null.
	code, _ = call(t, "GET", srv.URL+"/api/v1/checks/profit-home/latency?threshold=100ms&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", "", "", &got)
	if code != http.StatusOK || got["count"] != 0.0 || got["compliance_ppm"] != nil || got["compliance"] != nil || got["p99_ms"] != nil {
		t.Errorf("no results: %d %v", code, got)
	}
}

func TestLatencyViewErrors(t *testing.T) {
	res := &sliceResults{}
	srv := newLatencyServer(t, res)
	for _, tc := range []struct {
		path string
		code int
		want string
	}{
		{"/api/v1/checks/nope/latency", http.StatusNotFound, `no check named "nope"`},
		{"/api/v1/checks/employee-properties/latency?threshold=2", http.StatusBadRequest, `threshold="2" is not a positive whole number of milliseconds`},
		{"/api/v1/checks/employee-properties/latency?threshold=-1s", http.StatusBadRequest, "threshold=\"-1s\" is not a positive"},
		{"/api/v1/checks/employee-properties/latency?threshold=1.5ms", http.StatusBadRequest, "whole number of milliseconds"},
		{"/api/v1/checks/employee-properties/latency?from=yesterday", http.StatusBadRequest, `from="yesterday" is not an RFC 3339 time`},
		{"/api/v1/checks/employee-properties/latency?from=2026-10-07T12:00:00Z&to=2026-10-07T11:00:00Z", http.StatusBadRequest, "must be after from"},
	} {
		var e errorJSON
		code, _ := call(t, "GET", srv.URL+tc.path, "", "", &e)
		if code != tc.code || !strings.Contains(e.Error, tc.want) {
			t.Errorf("%s: %d %q, want %d with %q", tc.path, code, e.Error, tc.code, tc.want)
		}
	}

	res.err = errors.New("tsdb: disk gone")
	var e errorJSON
	if code, _ := call(t, "GET", srv.URL+"/api/v1/checks/employee-properties/latency", "", "", &e); code != http.StatusInternalServerError ||
		!strings.Contains(e.Error, "disk gone") {
		t.Errorf("query failure: %d %q", code, e.Error)
	}
}

// /api/v1/checks shows each check's objective in the report's units.
func TestCheckObjectiveJSON(t *testing.T) {
	srv := newLatencyServer(t, &sliceResults{})
	var got struct {
		Checks []json.RawMessage `json:"checks"`
	}
	if code, _ := call(t, "GET", srv.URL+"/api/v1/checks", "", "", &got); code != http.StatusOK || len(got.Checks) != 2 {
		t.Fatalf("checks: %d %s", code, got.Checks)
	}
	var obj struct {
		Objective *struct {
			ThresholdMS int64 `json:"threshold_ms"`
			TargetPPM   int64 `json:"target_ppm"`
		} `json:"objective"`
	}
	if err := json.Unmarshal(got.Checks[0], &obj); err != nil || obj.Objective == nil || obj.Objective.ThresholdMS != 2000 || obj.Objective.TargetPPM != 950_000 {
		t.Errorf("employee-properties objective: %s (%v)", got.Checks[0], err)
	}
	if strings.Contains(string(got.Checks[1]), "objective") {
		t.Errorf("profit-home has no objective: %s", got.Checks[1])
	}
}
