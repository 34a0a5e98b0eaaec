package selfmetrics

import (
	"strings"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/vigilmon/vigil/probe"
)

func okResult(check string, d time.Duration) probe.Result {
	return probe.Result{Check: check, OK: true, Duration: d}
}

func wantLines(t *testing.T, out string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(out, l+"\n") {
			t.Errorf("missing %s in\n%s", l, out)
		}
	}
}

func TestScreenThresholdIsExactlyABucketBound(t *testing.T) {
	m := New()
	m.SetObjectives(map[string]time.Duration{"employee": 1500 * time.Millisecond, "sales": 2 * time.Second})
	ms := time.Millisecond
	m.ObserveResult(okResult("employee", 1500*ms))                      // exactly the threshold: within
	m.ObserveResult(okResult("employee", 1500*ms+400*time.Microsecond)) // 1500 ms as the SLA rounds: within
	m.ObserveResult(okResult("employee", 1500*ms+500*time.Microsecond)) // 1501 ms: not
	m.ObserveResult(okResult("employee", 1501*ms))
	m.ObserveResult(probe.Result{Check: "employee", Reason: probe.ReasonTimeout, Duration: 10 * time.Second}) // only ok results
	m.ObserveResult(okResult("sales", 2*time.Second))
	m.ObserveResult(okResult("home", 100*ms)) // no objective
	out := scrape(m)
	wantLines(t, out,
		`vigil_screen_duration_seconds_bucket{check="employee",le="1"} 0`,
		`vigil_screen_duration_seconds_bucket{check="employee",le="1.5"} 2`,
		`vigil_screen_duration_seconds_bucket{check="employee",le="2"} 4`,
		`vigil_screen_duration_seconds_count{check="employee"} 4`,
		`vigil_screen_duration_seconds_bucket{check="sales",le="2"} 1`,
		`vigil_screen_duration_seconds_count{check="sales"} 1`,
	)
	if strings.Contains(out, `vigil_screen_duration_seconds_bucket{check="home"`) {
		t.Errorf("a check without objective has a screen histogram")
	}
	if n := strings.Count(out, `vigil_screen_duration_seconds_bucket{check="sales",le="2"}`); n != 1 {
		t.Errorf("le=\"2\" appears %d times for a 2 s threshold, want once", n)
	}
	// The overall histogram is unchanged: every result, raw seconds.
	wantLines(t, out, `vigil_check_duration_seconds_count{check="employee"} 5`)
}

func TestSetObjectivesOnReload(t *testing.T) {
	m := New()
	m.SetObjectives(map[string]time.Duration{"employee": 2 * time.Second, "sales": 2 * time.Second})
	m.ObserveResult(okResult("employee", time.Second))
	m.ObserveResult(okResult("sales", time.Second))

	// Unchanged keeps its counts; a new threshold starts afresh; a check
	// without an objective loses its histogram.
	m.SetObjectives(map[string]time.Duration{"employee": 2 * time.Second, "purchase": 3 * time.Second})
	m.SetObjectives(map[string]time.Duration{"employee": 2 * time.Second, "purchase": 2500 * time.Millisecond})
	m.ObserveResult(okResult("purchase", 2500*time.Millisecond))
	m.ObserveResult(okResult("sales", time.Second))
	out := scrape(m)
	wantLines(t, out,
		`vigil_screen_duration_seconds_count{check="employee"} 1`,
		`vigil_screen_duration_seconds_bucket{check="purchase",le="2.5"} 1`,
		`vigil_screen_duration_seconds_count{check="purchase"} 1`,
	)
	for _, gone := range []string{`check="sales"`, `check="purchase",le="3"`} {
		if strings.Contains(out, "vigil_screen_duration_seconds_bucket{"+gone) {
			t.Errorf("%s still has a screen histogram", gone)
		}
	}
}

func TestScreenBuckets(t *testing.T) {
	for _, tc := range []struct {
		threshold time.Duration
		len       int
	}{
		{2 * time.Second, len(DurationBuckets)}, // already a bound
		{50 * time.Millisecond, len(DurationBuckets)},
		{1234 * time.Millisecond, len(DurationBuckets) + 1},
		{time.Minute, len(DurationBuckets) + 1}, // beyond the last bound
		{time.Millisecond, len(DurationBuckets) + 1},
	} {
		b := ScreenBuckets(tc.threshold)
		if err := metrics.ValidateBuckets(b); err != nil || len(b) != tc.len {
			t.Errorf("ScreenBuckets(%s) = %v (%v), want %d increasing bounds", tc.threshold, b, err, tc.len)
		}
	}
}
