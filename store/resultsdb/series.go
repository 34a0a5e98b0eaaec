package resultsdb

import (
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"

	"github.com/vigilmon/vigil/probe"
)

// Series names and labels of the results layout (see the package doc).
const (
	metricSuccess  = "vigil_probe_success"
	metricDuration = "vigil_probe_duration_seconds"
	metricInterval = "vigil_probe_interval_seconds"
	metricPhase    = "vigil_probe_phase_seconds"
	metricFailure  = "vigil_probe_failure"
	metricStatus   = "vigil_probe_http_status"

	labelName     = "__name__" // the metric name
	labelCheck    = "check"
	labelLocation = "location"
	labelPhase    = "phase"
	labelReason   = "reason"
)

// metricsPattern matches the names of every series of the layout;
// metricsPatternNoDetails those without status and phases.
const (
	metricsPattern          = "vigil_probe_(success|duration_seconds|interval_seconds|phase_seconds|failure|http_status)"
	metricsPatternNoDetails = "vigil_probe_(success|duration_seconds|interval_seconds|failure)"
)

// seriesRef is one series of a group: its labels, built once, and the TSDB
// reference of the last append (0 until the first one).
type seriesRef struct {
	lset labels.Labels
	ref  storage.SeriesRef
}

// groupKey names a series group: the series of one check at one location.
type groupKey struct {
	check, location string
}

// groupRefs holds the series of one group so that steady-state appends reuse
// label sets and series references instead of building them anew.
type groupRefs struct {
	success, duration, interval, status seriesRef
	phases                              []seriesRef // in the order of probe.PhaseNames
	failures                            map[probe.Reason]*seriesRef
	key                                 groupKey
	// lastInterval is the last sample written to the interval series.
	lastInterval intervalState
}

// newGroupRefs builds the label sets of every always-present series of key.
func newGroupRefs(key groupKey) *groupRefs {
	g := &groupRefs{key: key, failures: make(map[probe.Reason]*seriesRef)}
	g.success.lset = g.labels(metricSuccess, "", "")
	g.duration.lset = g.labels(metricDuration, "", "")
	g.interval.lset = g.labels(metricInterval, "", "")
	g.status.lset = g.labels(metricStatus, "", "")
	g.phases = make([]seriesRef, len(probe.PhaseNames))
	for i, name := range probe.PhaseNames {
		g.phases[i].lset = g.labels(metricPhase, labelPhase, name)
	}
	return g
}

// failure returns the series of the failure reason, creating it on first use.
func (g *groupRefs) failure(reason probe.Reason) *seriesRef {
	s, ok := g.failures[reason]
	if !ok {
		s = &seriesRef{lset: g.labels(metricFailure, labelReason, string(reason))}
		g.failures[reason] = s
	}
	return s
}

// labels builds the label set of one series of the group, with an optional
// extra label (phase or reason).
func (g *groupRefs) labels(metric, extraName, extraValue string) labels.Labels {
	b := labels.NewScratchBuilder(4)
	b.Add(labelName, metric)
	b.Add(labelCheck, g.key.check)
	b.Add(labelLocation, g.key.location)
	if extraName != "" {
		b.Add(extraName, extraValue)
	}
	b.Sort()
	return b.Labels()
}

// refCache maps groups to their series. It is owned by the writer goroutine.
type refCache map[groupKey]*groupRefs

// group returns the series of res's group, creating them on first use.
func (c refCache) group(res *probe.Result) *groupRefs {
	key := groupKey{check: res.Check, location: res.Location}
	g, ok := c[key]
	if !ok {
		g = newGroupRefs(key)
		c[key] = g
	}
	return g
}
