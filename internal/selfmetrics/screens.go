package selfmetrics

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/sla"
)

// The per-screen histogram: vigil_screen_duration_seconds{check} counts
// the ok results of each check with a latency objective, with the
// objective's threshold as a bucket bound of its own, so that
// "within the threshold" read from /metrics is exact. Durations are
// rounded half up to whole milliseconds first, as the SLA contract
// counts them, so the bucket agrees with the report: 2000.4 ms is within
// 2 s in both.

// screens maps a check to its histogram; replaced whole by SetObjectives.
type screens map[string]*screenHistogram

type screenHistogram struct {
	threshold time.Duration
	h         *metrics.PrometheusHistogram
}

// screenState is the Metrics' part for the per-screen histograms.
type screenState struct {
	mu      sync.Mutex // serialises SetObjectives
	current atomic.Pointer[screens]
}

// SetObjectives tells which checks have a latency objective, and its
// threshold. Call it at start and on every reload: a check whose
// threshold changed starts a fresh histogram (the old counts were against
// another bound), and a check without an objective any more loses its.
func (m *Metrics) SetObjectives(thresholds map[string]time.Duration) {
	m.screens.mu.Lock()
	defer m.screens.mu.Unlock()
	old := screens{}
	if p := m.screens.current.Load(); p != nil {
		old = *p
	}
	next := screens{}
	for check, th := range thresholds {
		if th <= 0 {
			continue
		}
		if s, ok := old[check]; ok && s.threshold == th {
			next[check] = s
			continue
		}
		name := "vigil_screen_duration_seconds" + labels(check)
		m.set.UnregisterMetric(name)
		next[check] = &screenHistogram{threshold: th, h: m.set.NewPrometheusHistogramExt(name, ScreenBuckets(th))}
	}
	for check := range old {
		if _, ok := next[check]; !ok {
			m.set.UnregisterMetric("vigil_screen_duration_seconds" + labels(check))
		}
	}
	m.screens.current.Store(&next)
}

// observeScreen counts an ok result of a check with an objective.
func (m *Metrics) observeScreen(r probe.Result) {
	p := m.screens.current.Load()
	if p == nil || !r.OK {
		return
	}
	if s, ok := (*p)[r.Check]; ok {
		s.h.Update(msSeconds(sla.MillisFromDuration(r.Duration)))
	}
}

// ScreenBuckets are DurationBuckets with threshold added as a bound.
func ScreenBuckets(threshold time.Duration) []float64 {
	bound := msSeconds(sla.MillisFromDuration(threshold))
	out := slices.Clone(DurationBuckets)
	if i, found := slices.BinarySearch(out, bound); !found {
		out = slices.Insert(out, i, bound)
	}
	return out
}

// msSeconds is whole milliseconds as seconds: the float nearest ms/1000,
// the same for a bound and for an observation of the same milliseconds.
func msSeconds(ms int64) float64 { return float64(ms) / 1000 }
