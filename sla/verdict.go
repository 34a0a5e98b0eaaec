package sla

// The location verdict of section 2, streamed. A series is one (check,
// location). Its observations arrive in time order, so a minute's verdict is
// final as soon as an observation of a later minute arrives, and the minutes
// between two observed minutes are decided by the latest observation before
// them ("coverage"). Each finished minute leaves two bits: data (the location
// has data) and fail (it is failing); nothing per observation is kept.

// series is the streaming state of one (check, location).
type series struct {
	// Hot fields first: Add touches these for every observation.
	curMin    int    // minute being accumulated; -1 before the period, noMinute before any
	curTotal  uint32 // observations in curMin
	curFail   uint32 // failed observations in curMin
	lastStart int64  // start of the latest observation
	// The latest observations (those at lastStart) decide covered minutes.
	grpTotal, grpFail uint32
	grpCoverEnd       int64 // max(start+interval) of the latest observations
	data, fail        bitset
	ignored           bool  // neither in scope nor a latency check
	avail             bool  // the check covers an in-scope component
	objectives        []int // indexes of the latency objectives of the check

	check, location string
}

// noMinute is curMin of a series without observations yet.
const noMinute = -2

// seen reports whether the series has had an observation.
func (s *series) seen() bool { return s.curMin != noMinute }

// failing is the verdict rule of section 2: ties fail.
func failing(total, failed uint32) bool { return failed*2 >= total }

// add records an observation of minute m (-1: before the period). The caller
// has checked that start >= lastStart.
func (s *series) add(m int, start int64, ok bool, intervalMS int64, f *frame) {
	if m != s.curMin {
		s.finish(m, f)
		s.curMin = m
		s.curTotal, s.curFail = 0, 0
	}
	s.curTotal++
	if start != s.lastStart || s.grpTotal == 0 {
		s.lastStart = start
		s.grpTotal, s.grpFail = 0, 0
		s.grpCoverEnd = start
	}
	s.grpTotal++
	if !ok {
		s.curFail++
		s.grpFail++
	}
	if end := satAdd(start, intervalMS); end > s.grpCoverEnd {
		s.grpCoverEnd = end
	}
}

// finish writes the verdict of curMin and of the minutes after it, up to (not
// including) minute next, that the latest observation covers.
func (s *series) finish(next int, f *frame) {
	if s.curMin >= 0 {
		s.data.set(s.curMin)
		if failing(s.curTotal, s.curFail) {
			s.fail.set(s.curMin)
		}
	}
	if s.curMin != noMinute && s.curMin+1 < next {
		s.cover(next, f)
	}
}

// cover writes the minutes from curMin+1 up to (not including) next that
// the latest observation covers: minute j is covered when
// periodStart + j*60s < coverEnd.
func (s *series) cover(next int, f *frame) {
	lo := s.curMin + 1
	hi := min(next, f.coverEnd(s.grpCoverEnd))
	if lo < hi {
		s.data.setRange(lo, hi)
		if failing(s.grpTotal, s.grpFail) {
			s.fail.setRange(lo, hi)
		}
	}
}
