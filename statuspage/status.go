package statuspage

import "time"

// Component statuses, in Statuspage's vocabulary.
const (
	StatusOperational = "operational"
	StatusDegraded    = "degraded_performance"
	StatusPartial     = "partial_outage"
	StatusMajor       = "major_outage"
	StatusMaintenance = "under_maintenance"
)

// Status indicators of the whole page.
const (
	IndicatorNone     = "none"
	IndicatorMinor    = "minor"
	IndicatorMajor    = "major"
	IndicatorCritical = "critical"
)

// recentLatency is how far back a key screen's p95 decides whether its
// component is degraded: long enough that one slow probe does not flip
// the page, short enough to show a slowdown while it lasts.
const recentLatency = 15 * time.Minute

// minRecentTimings is the least number of ok results in recentLatency
// that can degrade a component.
const minRecentTimings = 3

// componentInputs is what decides one component's status.
type componentInputs struct {
	inMaintenance bool
	checks        int  // checks with a recent result
	failing       int  // of those, failing
	openIncident  bool // a public incident of the component is open
	slow          bool // a key screen's recent p95 is over its threshold
}

// componentStatus applies the rules of the package doc, first match wins.
func componentStatus(in componentInputs) string {
	switch {
	case in.inMaintenance:
		return StatusMaintenance
	case in.checks > 0 && in.failing == in.checks:
		return StatusMajor
	case in.failing > 0 || in.openIncident:
		return StatusPartial
	case in.slow:
		return StatusDegraded
	}
	return StatusOperational
}

// recent reports whether a result that started at start still speaks for
// its check at now: within three intervals and a minute.
func recent(start, now time.Time, interval time.Duration) bool {
	if interval <= 0 {
		interval = time.Minute
	}
	return now.Sub(start) <= 3*interval+time.Minute
}

// severity orders the statuses for "worst of"; maintenance ranks below
// every outage so that a group shows the outage of one member.
func severity(status string) int {
	switch status {
	case StatusMajor:
		return 4
	case StatusPartial:
		return 3
	case StatusDegraded:
		return 2
	case StatusMaintenance:
		return 1
	}
	return 0
}

// worst returns the most severe of statuses (operational for none).
func worst(statuses ...string) string {
	w := StatusOperational
	for _, s := range statuses {
		if severity(s) > severity(w) {
			w = s
		}
	}
	return w
}

// indicatorOf maps a component status to the page indicator it calls for.
func indicatorOf(status string) string {
	switch status {
	case StatusMajor:
		return IndicatorCritical
	case StatusPartial:
		return IndicatorMajor
	case StatusDegraded:
		return IndicatorMinor
	}
	return IndicatorNone
}

var indicatorRank = map[string]int{IndicatorNone: 0, IndicatorMinor: 1, IndicatorMajor: 2, IndicatorCritical: 3}

// overall returns the page's indicator and its description: the worst of
// the components' statuses and the open incidents' impacts, as Statuspage
// words it.
func overall(statuses []string, openImpacts []string) (indicator, description string) {
	indicator = IndicatorNone
	raise := func(i string) {
		if indicatorRank[i] > indicatorRank[indicator] {
			indicator = i
		}
	}
	maintenance := false
	for _, s := range statuses {
		raise(indicatorOf(s))
		maintenance = maintenance || s == StatusMaintenance
	}
	for _, i := range openImpacts {
		raise(i)
	}
	switch {
	case indicator == IndicatorCritical:
		return indicator, "Major System Outage"
	case indicator == IndicatorMajor:
		return indicator, "Partial System Outage"
	case indicator == IndicatorMinor:
		return indicator, "Minor Service Outage"
	case maintenance:
		return indicator, "Service Under Maintenance"
	}
	return indicator, "All Systems Operational"
}

// statusText is a status as people read it.
func statusText(status string) string {
	switch status {
	case StatusOperational:
		return "Operational"
	case StatusDegraded:
		return "Degraded performance"
	case StatusPartial:
		return "Partial outage"
	case StatusMajor:
		return "Major outage"
	case StatusMaintenance:
		return "Under maintenance"
	}
	return status
}
