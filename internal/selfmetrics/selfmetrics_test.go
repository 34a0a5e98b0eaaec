package selfmetrics

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

func scrape(m *Metrics) string {
	var b bytes.Buffer
	m.WritePrometheus(&b)
	return b.String()
}

func TestTwoSecondsIsExactlyABucketBound(t *testing.T) {
	m := New()
	m.ObserveResult(probe.Result{Check: "screen", OK: true, Duration: 2 * time.Second})
	m.ObserveResult(probe.Result{Check: "screen", OK: true, Duration: 2*time.Second + time.Millisecond})
	out := scrape(m)
	// Exactly 2 s is "within 2 s"; 2.001 s is not.
	for _, want := range []string{
		`vigil_check_duration_seconds_bucket{check="screen",le="2"} 1`,
		`vigil_check_duration_seconds_bucket{check="screen",le="5"} 2`,
		`vigil_check_duration_seconds_count{check="screen"} 2`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
}

func TestOutcomesLagSkipsAndGauges(t *testing.T) {
	m := New()
	m.ObserveResult(probe.Result{Check: "a", OK: true})
	m.ObserveResult(probe.Result{Check: "a", Reason: probe.ReasonTimeout})
	m.ObserveResult(probe.Result{Check: "a", Reason: probe.ReasonTimeout})
	m.ObserveResult(probe.Result{Check: "a"})
	m.ObserveLag("a", 3*time.Millisecond)
	m.ObserveLag("a", -time.Millisecond) // early wake-ups count as no lag
	m.Skipped("a", 2)
	m.Gauge("vigil_test_gauge", func() float64 { return 42 })
	out := scrape(m)
	for _, want := range []string{
		`vigil_probes_total{check="a",outcome="ok"} 1`,
		`vigil_probes_total{check="a",outcome="timeout"} 2`,
		`vigil_probes_total{check="a",outcome="failed"} 1`,
		`vigil_scheduler_lag_seconds_bucket{le="0.001"} 1`,
		`vigil_scheduler_lag_seconds_bucket{le="0.005"} 2`,
		`vigil_scheduler_skipped_ticks_total{check="a"} 2`,
		`vigil_test_gauge 42`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s", want)
		}
	}
}
