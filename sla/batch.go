package sla

import "fmt"

// Sample is one observation of a check at a location that the caller names
// once per batch (see AddBatch): an Observation without Check and Location.
type Sample struct {
	// StartMS is when the probe started, UTC milliseconds since the Unix
	// epoch.
	StartMS int64
	// DurationMS is the probe's duration in whole milliseconds (see
	// MillisFromSeconds).
	DurationMS int64
	// IntervalMS is the check's interval when the probe ran: how long it
	// covers.
	IntervalMS int64
	// Reason is why the probe failed: "" when OK.
	Reason string
	// OK says whether the probe succeeded.
	OK bool
}

// observation is s as an Observation of check at location.
func (s *Sample) observation(check, location string) Observation {
	return Observation{StartMS: s.StartMS, Check: check, Location: location, OK: s.OK,
		DurationMS: s.DurationMS, Reason: s.Reason, IntervalMS: s.IntervalMS}
}

// AddBatch records observations of one check at one location, in time
// order: it is Add of each in turn, stopping at the first error (the
// samples before it are recorded, as with Add), but the series is looked up
// once per batch rather than per observation.
func (c *Calculator) AddBatch(check, location string, samples []Sample) error {
	if len(samples) == 0 {
		return nil
	}
	s := c.last
	if s == nil || check != c.lastCheck || location != c.lastLocation {
		if c.result != nil {
			return ErrFinished
		}
		if check == "" || location == "" {
			o := samples[0].observation(check, location)
			return o.validate()
		}
		s = c.lookup(check, location)
		c.last, c.lastCheck, c.lastLocation = s, check, location
	}
	if s.ignored {
		return nil
	}
	f := &c.f
	// The minute [lo, hi) of the previous sample: samples come in time
	// order, mostly in the same or the next minute, which spares a
	// division.
	m, lo, hi := -1, int64(0), int64(0)
	for i := range samples {
		o := &samples[i]
		if o.IntervalMS <= 0 || o.DurationMS < 0 || (o.OK && o.Reason != "") {
			obs := o.observation(check, location)
			return obs.validate()
		}
		ms := o.StartMS
		if ms >= f.endMS {
			continue
		}
		switch {
		case ms < f.startMS:
			m, lo, hi = -1, 0, 0
		case ms >= lo && ms < hi:
		case ms >= hi && ms < hi+minuteMS && m >= 0:
			m, lo, hi = m+1, hi, hi+minuteMS
		default:
			m = int((ms - f.startMS) / minuteMS)
			lo = f.startMS + int64(m)*minuteMS
			hi = lo + minuteMS
		}
		if s.avail {
			if ms < s.lastStart && s.seen() {
				return fmt.Errorf("%w: %s/%s at %s after %s: add each check and location in time order",
					ErrOutOfOrder, check, location, fmtMS(ms), fmtMS(s.lastStart))
			}
			s.add(m, ms, o.OK, o.IntervalMS, f)
		}
		if len(s.objectives) > 0 && m >= 0 {
			obs := o.observation(check, location)
			for _, k := range s.objectives {
				c.objectives[k].add(m, &obs, c.anyEx.has(m))
			}
		}
	}
	return nil
}
