package sla

import (
	"fmt"
	"time"
)

const minuteMS = 60_000

// Period is the half-open report interval [Start, End). Both ends must be
// whole minutes; its minutes are the real 60-second minutes from Start
// (section 1 of the contract), so a month with a DST change has an hour more
// or less.
type Period struct {
	Start, End time.Time
}

// MonthPeriod returns the calendar month in loc: from the 1st at 00:00 local to
// the next 1st at 00:00 local (Go's time.Date resolves a midnight that a
// time-zone change skips).
func MonthPeriod(loc *time.Location, year int, month time.Month) (Period, error) {
	if loc == nil {
		return Period{}, fmt.Errorf("month period: time zone is missing: set the SLA's IANA zone, e.g. Europe/Amsterdam")
	}
	if month < time.January || month > time.December {
		return Period{}, fmt.Errorf("month period: month %d is not 1..12", int(month))
	}
	p := Period{
		Start: time.Date(year, month, 1, 0, 0, 0, 0, loc),
		End:   time.Date(year, month+1, 1, 0, 0, 0, 0, loc),
	}
	return p, p.validate()
}

// Minutes returns the number of minutes in the period.
func (p Period) Minutes() int {
	return int(p.End.Sub(p.Start) / time.Minute)
}

// maxPeriodMinutes bounds a period (about 10 years) so that minute indexes
// stay small and per-minute state stays reasonable.
const maxPeriodMinutes = 10 * 366 * 1440

func (p Period) validate() error {
	switch {
	case p.Start.IsZero() || p.End.IsZero():
		return fmt.Errorf("period: start and end must both be set")
	case !isWholeMinute(p.Start) || !isWholeMinute(p.End):
		return fmt.Errorf("period %s..%s: start and end must be whole minutes (the time zone's offset must be whole minutes)",
			p.Start.Format(time.RFC3339Nano), p.End.Format(time.RFC3339Nano))
	case !p.End.After(p.Start):
		return fmt.Errorf("period %s..%s: end must be after start", p.Start.Format(time.RFC3339), p.End.Format(time.RFC3339))
	case p.End.Sub(p.Start)/time.Minute > maxPeriodMinutes:
		return fmt.Errorf("period %s..%s: longer than %d minutes; report month by month", p.Start.Format(time.RFC3339), p.End.Format(time.RFC3339), maxPeriodMinutes)
	}
	return nil
}

// isWholeMinute reports whether t is on a UTC minute boundary.
func isWholeMinute(t time.Time) bool {
	return t.Equal(t.Truncate(time.Minute))
}

// minuteStartMS returns the UTC milliseconds at which minute i of a period
// starting at startMS begins.
func minuteStartMS(startMS int64, i int) int64 { return startMS + int64(i)*minuteMS }

// ceilDivMinute returns ceil(x / 60000) for x > 0 and 0 for x <= 0.
func ceilDivMinute(x int64) int64 {
	if x <= 0 {
		return 0
	}
	return (x-1)/minuteMS + 1
}

// satAdd returns a+b, saturated at the int64 limits (b >= 0).
func satAdd(a, b int64) int64 {
	if b > 0 && a > (1<<63-1)-b {
		return 1<<63 - 1
	}
	return a + b
}

// frame is a validated period in the units the calculator works in.
type frame struct {
	startMS, endMS int64
	n              int // minutes
	loc            *time.Location
}

func newFrame(p Period, loc *time.Location) frame {
	return frame{startMS: p.Start.UnixMilli(), endMS: p.End.UnixMilli(), n: p.Minutes(), loc: loc}
}

// minute returns the index of the minute holding ms, -1 before the period
// and n at or after its end.
func (f *frame) minute(ms int64) int {
	switch {
	case ms < f.startMS:
		return -1
	case ms >= f.endMS:
		return f.n
	}
	return int((ms - f.startMS) / minuteMS)
}

// coverEnd returns the number of period minutes that start before ms: an
// observation covering until ms covers minutes up to (excluding) it.
func (f *frame) coverEnd(ms int64) int {
	switch {
	case ms >= f.endMS:
		return f.n
	case ms <= f.startMS:
		return 0
	}
	return int(ceilDivMinute(ms - f.startMS))
}

// minuteTime returns the start of minute i in the SLA's zone.
func (f *frame) minuteTime(i int) time.Time {
	return time.UnixMilli(minuteStartMS(f.startMS, i)).In(f.loc)
}

func (f *frame) startTime() time.Time { return time.UnixMilli(f.startMS) }
func (f *frame) endTime() time.Time   { return time.UnixMilli(f.endMS) }
