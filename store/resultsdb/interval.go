package resultsdb

import "time"

// intervalRefresh is how often the interval series gets a sample even when
// the interval has not changed, and intervalLookBack how far before a
// query's range readers look for the interval that covers its first
// results; see the package doc.
const (
	intervalRefresh  = time.Hour
	intervalLookBack = intervalRefresh
)

// intervalState remembers the last interval sample written to a group's
// interval series, so that a result whose interval is unchanged writes none.
type intervalState struct {
	t   int64   // its timestamp in ms
	v   float64 // its value in seconds
	set bool    // false: none written (yet, or since a failed commit)
}

// needs says whether a result at t with interval v must write an interval
// sample: when none is written yet, when the interval changed, when the
// last sample is intervalRefresh old, and for a late result (older than
// the last sample), which must carry its own.
func (s *intervalState) needs(t int64, v float64) bool {
	return !s.set || v != s.v || t-s.t >= intervalRefresh.Milliseconds() || t < s.t
}

// wrote records an interval sample written at t. A late one does not move
// the state back: the newest sample is what the next results follow.
func (s *intervalState) wrote(t int64, v float64) {
	if s.set && t < s.t {
		return
	}
	s.t, s.v, s.set = t, v, true
}

// forgetIntervals makes every group write its interval again with its next
// result: after a failed commit, the interval samples it held are lost.
func (c refCache) forgetIntervals() {
	for _, g := range c {
		g.lastInterval = intervalState{}
	}
}
