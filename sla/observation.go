package sla

import (
	"fmt"
	"math"
	"time"
)

// ReasonTimeout is the failure reason that also counts against the latency
// objective: a screen that did not open in time is the extreme of slow.
const ReasonTimeout = "timeout"

// Observation is one probe result as the contract sees it.
type Observation struct {
	StartMS    int64 // when the probe started, UTC milliseconds since the Unix epoch
	Check      string
	Location   string
	OK         bool
	DurationMS int64  // the probe's duration in whole milliseconds (see MillisFromSeconds)
	Reason     string // "" when OK; otherwise e.g. "timeout", "status", "connect"
	IntervalMS int64  // the check's interval when the probe ran: how long it covers
}

// validate checks the fields the contract needs.
func (o *Observation) validate() error {
	switch {
	case o.Check == "" || o.Location == "":
		return fmt.Errorf("observation at %d: check and location must be set", o.StartMS)
	case o.IntervalMS <= 0:
		return fmt.Errorf("observation %s/%s at %s: interval %d ms must be positive: pass the check's interval",
			o.Check, o.Location, fmtMS(o.StartMS), o.IntervalMS)
	case o.DurationMS < 0:
		return fmt.Errorf("observation %s/%s at %s: duration %d ms is negative", o.Check, o.Location, fmtMS(o.StartMS), o.DurationMS)
	case o.OK && o.Reason != "":
		return fmt.Errorf("observation %s/%s at %s: ok but with failure reason %q: an ok observation has no reason",
			o.Check, o.Location, fmtMS(o.StartMS), o.Reason)
	}
	return nil
}

func fmtMS(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z") }

// MillisFromDuration rounds d to whole milliseconds, half up (1999.5 ms is
// 2000 ms). Negative durations are returned as negative milliseconds, which
// Calculator.Add rejects.
func MillisFromDuration(d time.Duration) int64 {
	ns := int64(d)
	if ns >= 0 {
		return (ns + 500_000) / 1_000_000
	}
	return -((-ns + 499_999) / 1_000_000)
}

// MillisFromSeconds converts a duration in float seconds (as the time-series
// store keeps it) to whole milliseconds: first to the nearest nanosecond, the
// unit probes measure in (this undoes the float's representation error, so
// 1.9995 becomes 1999500000 ns), then half up to whole milliseconds (2000).
// It fails on NaN, infinities, negative values and values beyond ~292 years.
func MillisFromSeconds(sec float64) (int64, error) {
	if math.IsNaN(sec) || math.IsInf(sec, 0) || sec < 0 || sec >= 9e9 {
		return 0, fmt.Errorf("duration %v s is not a valid probe duration", sec)
	}
	return MillisFromDuration(time.Duration(math.Round(sec * 1e9))), nil
}
