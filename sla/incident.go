package sla

import "time"

// Incident is an outage record the caller adds to a Result (section 7).
type Incident struct {
	ID         string     `json:"id"`
	Title      string     `json:"title,omitempty"`
	Start      time.Time  `json:"start"`
	End        *time.Time `json:"end"` // nil while open
	Components []string   `json:"components"`
	// DurationSeconds is End - Start, or up to the period's end while open.
	DurationSeconds int64 `json:"duration_seconds"`
	// CountedMinutes is how many minutes of the period that overlap the
	// incident were classified down for the SLA (set by AddIncidents).
	CountedMinutes int64 `json:"counted_minutes"`
}

// CountedMinutes returns how many of the incident's minutes counted against
// the SLA: the period minutes that overlap [Start, End) (an open incident:
// up to the period's end) and were classified down. A minute counts once
// whichever component made it down.
func (r *Result) CountedMinutes(inc Incident) int64 {
	lo, hi := r.incidentSpan(inc)
	var n int64
	for i := lo; i < hi; i++ {
		if r.class[i] == ClassDown {
			n++
		}
	}
	return n
}

// incidentSpan returns the period minutes [lo, hi) that overlap the incident.
func (r *Result) incidentSpan(inc Incident) (lo, hi int) {
	f := &r.f
	start := inc.Start.UnixMilli()
	end := f.endMS
	if inc.End != nil {
		end = inc.End.UnixMilli()
	}
	if end <= start || end <= f.startMS || start >= f.endMS {
		return 0, 0
	}
	lo = max(f.minute(start), 0)
	hi = f.coverEnd(end) // minutes starting before end overlap it
	return lo, hi
}

// AddIncidents fills in the duration and counted minutes of the incidents
// that overlap the period and appends them to r.Incidents; the others are
// left out.
func (r *Result) AddIncidents(incs ...Incident) {
	for _, inc := range incs {
		if lo, hi := r.incidentSpan(inc); lo >= hi {
			continue
		}
		end := r.f.endTime()
		if inc.End != nil {
			end = *inc.End
		}
		inc.DurationSeconds = int64(end.Sub(inc.Start) / time.Second)
		inc.CountedMinutes = r.CountedMinutes(inc)
		inc.Components = append([]string{}, inc.Components...)
		inc.Start = inc.Start.In(r.f.loc)
		if inc.End != nil {
			e := inc.End.In(r.f.loc)
			inc.End = &e
		}
		r.Incidents = append(r.Incidents, inc)
	}
}
