// Package selfmetrics owns vigil's own /metrics series: probe counts and
// durations, the key screens' durations against their objectives,
// scheduler lag, storage progress and process metrics, in the Prometheus
// text format. It keeps its own metrics.Set: no global state.
package selfmetrics

import (
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/vigilmon/vigil/probe"
)

// DurationBuckets are the probe duration histogram's upper bounds in
// seconds. 2 s is a bound of its own so that "opened within 2 s" is exact.
var DurationBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30}

// LagBuckets are the scheduler lag histogram's upper bounds in seconds.
var LagBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1}

// Metrics is the set of vigil's own metrics.
type Metrics struct {
	set      *metrics.Set
	lag      *metrics.PrometheusHistogram
	perCheck sync.Map // check -> *checkMetrics
	screens  screenState
}

type checkMetrics struct {
	duration *metrics.PrometheusHistogram
	skipped  *metrics.Counter
	outcomes sync.Map // reason ("ok" for success) -> *metrics.Counter
}

// New returns an empty set with the scheduler lag histogram registered.
func New() *Metrics {
	s := metrics.NewSet()
	return &Metrics{
		set: s,
		lag: s.NewPrometheusHistogramExt("vigil_scheduler_lag_seconds", LagBuckets),
	}
}

func (m *Metrics) check(name string) *checkMetrics {
	if v, ok := m.perCheck.Load(name); ok {
		return v.(*checkMetrics)
	}
	l := labels(name)
	cm := &checkMetrics{
		duration: m.set.GetOrCreatePrometheusHistogramExt("vigil_check_duration_seconds"+l, DurationBuckets),
		skipped:  m.set.GetOrCreateCounter("vigil_scheduler_skipped_ticks_total" + l),
	}
	v, _ := m.perCheck.LoadOrStore(name, cm)
	return v.(*checkMetrics)
}

func labels(check string) string { return "{check=" + strconv.Quote(check) + "}" }

// ObserveResult counts one probe result by check and outcome and records its duration.
func (m *Metrics) ObserveResult(r probe.Result) {
	cm := m.check(r.Check)
	outcome := "ok"
	if !r.OK {
		outcome = string(r.Reason)
		if outcome == "" {
			outcome = "failed"
		}
	}
	c, ok := cm.outcomes.Load(outcome)
	if !ok {
		name := fmt.Sprintf("vigil_probes_total{check=%q,outcome=%q}", r.Check, outcome)
		c, _ = cm.outcomes.LoadOrStore(outcome, m.set.GetOrCreateCounter(name))
	}
	c.(*metrics.Counter).Inc()
	cm.duration.Update(r.Duration.Seconds())
	m.observeScreen(r)
}

// ObserveLag records how late a scheduled run started.
func (m *Metrics) ObserveLag(_ string, lag time.Duration) { m.lag.Update(max(lag, 0).Seconds()) }

// Skipped counts ticks a check missed because a run overran.
func (m *Metrics) Skipped(check string, ticks int) { m.check(check).skipped.Add(ticks) }

// Gauge registers a gauge whose value is read from f at scrape time.
func (m *Metrics) Gauge(name string, f func() float64) { m.set.NewGauge(name, f) }

// WritePrometheus writes every metric, process metrics included.
func (m *Metrics) WritePrometheus(w io.Writer) {
	m.set.WritePrometheus(w)
	metrics.WriteProcessMetrics(w)
}
