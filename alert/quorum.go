package alert

import (
	"time"

	"github.com/vigilmon/vigil/probe"
)

// staleAfter is how many intervals a location's latest result keeps
// counting in the quorum: one late or missing round (a slow agent,
// scheduler jitter) does not drop a location, two do.
const staleAfter = 2

// fallbackInterval stands in for a result without an interval.
const fallbackInterval = time.Minute

// location is the latest result of one check from one location.
type location struct {
	name     string
	start    time.Time
	interval time.Duration
	ok       bool
}

// fresh reports whether the location's latest result still counts at t.
func (l *location) fresh(t time.Time) bool {
	iv := l.interval
	if iv <= 0 {
		iv = fallbackInterval
	}
	return t.Sub(l.start) < staleAfter*iv
}

// check is what the evaluator knows of one check: the latest result per
// location and the verdict they give.
type check struct {
	name string
	comp *component
	locs []*location // few (one per probing location): a slice beats a map
	// failing is the check's verdict after its latest result.
	failing bool
	// failingLocs of freshLocs locations failed at the latest verdict.
	failingLocs, freshLocs int
}

// observe records r and recomputes the verdict with the location quorum
// of SLA.md section 2: the check fails when a strict majority of the
// locations with fresh data fail (one location decides alone; of two,
// both must fail; of three, two). It returns false, changing nothing,
// when r is older than the latest result of its location (a late
// delivery). Cost: O(locations of the check).
func (c *check) observe(r probe.Result) bool {
	var loc *location
	for _, l := range c.locs {
		if l.name == r.Location {
			loc = l
			break
		}
	}
	if loc == nil {
		loc = &location{name: r.Location}
		c.locs = append(c.locs, loc)
	} else if r.Start.Before(loc.start) {
		return false
	}
	loc.start, loc.interval, loc.ok = r.Start, r.Interval, r.OK

	c.failingLocs, c.freshLocs = 0, 0
	for _, l := range c.locs {
		if l == loc || l.fresh(r.Start) {
			c.freshLocs++
			if !l.ok {
				c.failingLocs++
			}
		}
	}
	c.failing = 2*c.failingLocs > c.freshLocs
	return true
}
