package remotewrite

import (
	"github.com/vigilmon/vigil/probe"
)

// Series names and labels on the backend: the layout of store/resultsdb
// (see the package doc).
const (
	MetricSuccess  = "vigil_probe_success"
	MetricDuration = "vigil_probe_duration_seconds"
	MetricInterval = "vigil_probe_interval_seconds"
	MetricPhase    = "vigil_probe_phase_seconds"
	MetricFailure  = "vigil_probe_failure"
	MetricStatus   = "vigil_probe_http_status"

	LabelName     = "__name__"
	LabelCheck    = "check"
	LabelLocation = "location"
	LabelPhase    = "phase"
	LabelReason   = "reason"
)

// seriesKey names one series: the metric, the result's check and location,
// and the phase or the reason for the metrics that have one. Its labels in
// sorted order are __name__, check, location, then phase or reason.
type seriesKey struct {
	metric, check, location string
	extraName, extraValue   string
}

// sampleFunc receives one sample of a result.
type sampleFunc func(key seriesKey, t int64, v float64)

// eachSample calls fn for every sample of r, in the layout of the package doc.
func eachSample(r *probe.Result, fn sampleFunc) {
	t := r.Start.UnixMilli()
	key := func(metric string) seriesKey {
		return seriesKey{metric: metric, check: r.Check, location: r.Location}
	}
	ok := 0.0
	if r.OK {
		ok = 1
	}
	fn(key(MetricSuccess), t, ok)
	fn(key(MetricDuration), t, r.Duration.Seconds())
	fn(key(MetricInterval), t, r.Interval.Seconds())
	if r.Status != 0 {
		fn(key(MetricStatus), t, float64(r.Status))
	}
	if !r.OK && r.Reason != probe.ReasonNone {
		k := key(MetricFailure)
		k.extraName, k.extraValue = LabelReason, string(r.Reason)
		fn(k, t, 1)
	}
	if r.Phases != nil {
		for _, name := range probe.PhaseNames {
			k := key(MetricPhase)
			k.extraName, k.extraValue = LabelPhase, name
			fn(k, t, r.Phases.Get(name).Seconds())
		}
	}
}

// sampleCount is how many samples eachSample gives for r.
func sampleCount(r *probe.Result) int {
	n := 3
	if r.Status != 0 {
		n++
	}
	if !r.OK && r.Reason != probe.ReasonNone {
		n++
	}
	if r.Phases != nil {
		n += len(probe.PhaseNames)
	}
	return n
}
