package sla

import (
	"fmt"
	"iter"
)

// The latency view: section 5's figures over any span of raw results, for
// the API and the status page. It counts exactly as the report does (same
// tally, same nearest-rank percentiles, same integer comparison) but
// applies no maintenance and no exclusion windows: those belong to a
// customer's SLA month, and the monthly report stays the contractual figure.

// LatencySample is one result as the latency view reads it.
type LatencySample struct {
	OK         bool
	DurationMS int64  // whole milliseconds, rounded half up (MillisFromDuration)
	Reason     string // "" when OK; "timeout" counts as slow
}

// LatencyView is the latency objective over a span of results.
type LatencyView struct {
	ThresholdMS int64 `json:"threshold_ms"`
	// TargetPPM is the objective's target; nil when there is none, and
	// then Met is nil too.
	TargetPPM *int64 `json:"target_ppm"`
	// Count is the total: the ok results plus the timeouts.
	Count int64 `json:"count"`
	OK    int64 `json:"ok"`
	// Good counts the ok results within the threshold (exactly the
	// threshold is good).
	Good     int64 `json:"good"`
	Timeouts int64 `json:"timeouts"`
	// OtherFailures counts the failures for another reason: they belong
	// to availability and are not in Count.
	OtherFailures int64 `json:"other_failures"`
	// CompliancePPM is floor(Good*1e6/Count), Compliance the same as a
	// percentage truncated to three decimals; nil when Count is 0.
	CompliancePPM *int64  `json:"compliance_ppm"`
	Compliance    *string `json:"compliance"`
	// Met is Good*1e6 >= TargetPPM*Count; nil without results or target.
	Met *bool `json:"met"`
	// P50MS, P95MS and P99MS are nearest-rank percentiles of the ok
	// durations (rank ceil(p/100*n)); nil when no result was ok.
	P50MS *int64 `json:"p50_ms"`
	P95MS *int64 `json:"p95_ms"`
	P99MS *int64 `json:"p99_ms"`
}

// SummarizeLatency computes the latency view of samples in one pass,
// keeping counts, not samples (an exact per-millisecond histogram of the
// ok durations), so memory does not grow with the span. targetPPM 0 means
// no target. A sample the contract cannot count (a negative duration, an
// ok one with a failure reason) stops it with an error.
func SummarizeLatency(samples iter.Seq[LatencySample], thresholdMS, targetPPM int64) (LatencyView, error) {
	switch {
	case thresholdMS <= 0:
		return LatencyView{}, fmt.Errorf("latency threshold %d ms: must be more than 0", thresholdMS)
	case targetPPM < 0 || targetPPM > ppm:
		return LatencyView{}, fmt.Errorf("latency target %d ppm: must be from 0 to %d", targetPPM, ppm)
	}
	var (
		t               tally
		timeouts, other int64
		n               int64
	)
	for s := range samples {
		n++
		switch {
		case s.DurationMS < 0:
			return LatencyView{}, fmt.Errorf("result %d: duration %d ms is negative", n, s.DurationMS)
		case s.OK && s.Reason != "":
			return LatencyView{}, fmt.Errorf("result %d: ok but with failure reason %q: an ok result has no reason", n, s.Reason)
		case !s.OK && s.Reason != ReasonTimeout:
			other++ // availability's business
			continue
		case !s.OK:
			timeouts++
		}
		t.add(s.OK, s.DurationMS, thresholdMS, 1)
	}
	v := LatencyView{
		ThresholdMS:   thresholdMS,
		Count:         t.total,
		OK:            t.ok.n,
		Good:          t.good,
		Timeouts:      timeouts,
		OtherFailures: other,
		CompliancePPM: ratioPPM(t.good, t.total),
		Compliance:    percentTruncated(t.good, t.total),
	}
	if targetPPM > 0 {
		v.TargetPPM = &targetPPM
		v.Met = meets(t.good, t.total, targetPPM)
	}
	if p := t.ok.percentiles(50, 95, 99); p != nil {
		v.P50MS, v.P95MS, v.P99MS = &p[0], &p[1], &p[2]
	}
	return v, nil
}
