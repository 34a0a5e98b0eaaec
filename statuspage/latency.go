package statuspage

import (
	"iter"
	"time"

	"github.com/vigilmon/vigil/sla"
)

// latencyWindow is the span of a key screen's shown p95.
const latencyWindow = 24 * time.Hour

// screenView is one key screen: its p95 over latencyWindow against its
// threshold.
type screenView struct {
	Check     string
	Component string // the component's name
	Threshold time.Duration
	P95       *time.Duration // nil without ok results
	Count     int            // ok results behind P95
	// RecentSlow: the p95 over recentLatency is over the threshold.
	RecentSlow bool
}

// Over reports whether the 24-hour p95 exceeds the threshold.
func (s screenView) Over() bool { return s.P95 != nil && *s.P95 > s.Threshold }

// screenStats computes a screen's p95 over the timings since from and
// whether its p95 since recentFrom is over threshold. The percentiles are
// the contract's (SLA.md section 5: nearest rank over the ok durations in
// whole milliseconds), computed by the sla package's latency view, so the
// page shows what the API and the reports show for the same results.
func screenStats(ts []Timing, from, recentFrom time.Time, threshold time.Duration) (p95 *time.Duration, n int, recentSlow bool, err error) {
	thresholdMS := sla.MillisFromDuration(threshold)
	all, err := sla.SummarizeLatency(okSamples(ts, from), thresholdMS, 0)
	if err != nil {
		return nil, 0, false, err
	}
	if all.P95MS != nil {
		d := time.Duration(*all.P95MS) * time.Millisecond
		p95 = &d
	}
	recent, err := sla.SummarizeLatency(okSamples(ts, recentFrom), thresholdMS, 0)
	if err != nil {
		return nil, 0, false, err
	}
	recentSlow = recent.OK >= minRecentTimings && *recent.P95MS > thresholdMS
	return p95, int(all.OK), recentSlow, nil
}

// okSamples yields the timings that started at or after from as ok
// results.
func okSamples(ts []Timing, from time.Time) iter.Seq[sla.LatencySample] {
	return func(yield func(sla.LatencySample) bool) {
		for _, t := range ts {
			if !t.Start.Before(from) && !yield(sla.LatencySample{OK: true, DurationMS: sla.MillisFromDuration(t.Duration)}) {
				return
			}
		}
	}
}
