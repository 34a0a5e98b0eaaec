package sla

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeOfDay is a wall-clock time as minutes after local midnight, 0..1440
// (1440 is "24:00" and only makes sense as the end of a span).
type TimeOfDay int

// ParseTimeOfDay reads "HH:MM" (00:00..24:00).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) == 0 || len(h) > 2 || len(m) != 2 {
		return 0, fmt.Errorf("time of day %q: write HH:MM, e.g. 21:00", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("time of day %q: write HH:MM between 00:00 and 24:00", s)
	}
	return TimeOfDay(hh*60 + mm), nil
}

// String formats as HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

func (t TimeOfDay) valid() bool { return t >= 0 && t <= 1440 }

// Span is the daily wall-clock interval [From, To). To < From wraps
// midnight: 21:00-07:00 holds 23:00 and 03:00.
type Span struct {
	From, To TimeOfDay
}

// ParseSpan reads "HH:MM-HH:MM".
func ParseSpan(s string) (Span, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return Span{}, fmt.Errorf("span %q: write HH:MM-HH:MM, e.g. 21:00-07:00", s)
	}
	from, err := ParseTimeOfDay(a)
	if err != nil {
		return Span{}, fmt.Errorf("span %q: %w", s, err)
	}
	to, err := ParseTimeOfDay(b)
	if err != nil {
		return Span{}, fmt.Errorf("span %q: %w", s, err)
	}
	sp := Span{From: from, To: to}
	return sp, sp.validate()
}

func (s Span) validate() error {
	if !s.From.valid() || !s.To.valid() || s.From == 1440 {
		return fmt.Errorf("span %d-%d: times must be 00:00..24:00 (minutes 0..1440) and the start before 24:00", int(s.From), int(s.To))
	}
	if s.From%1440 == s.To%1440 {
		return fmt.Errorf("span %s-%s is empty or the whole day: use \"all\" for the whole day", s.From, s.To)
	}
	return nil
}

// String formats as HH:MM-HH:MM.
func (s Span) String() string { return s.From.String() + "-" + s.To.String() }

// containsMS reports whether the time of day, in milliseconds after
// midnight, lies in the span.
func (s Span) containsMS(todMS int64) bool {
	from, to := int64(s.From)*minuteMS, int64(s.To)*minuteMS
	if from < to {
		return todMS >= from && todMS < to
	}
	return todMS >= from || todMS < to
}

// HoursKind says how much of a day an Hours allows.
type HoursKind uint8

// The kinds of Hours. The zero value allows nothing.
const (
	HoursNone HoursKind = iota // nothing allowed on these days
	HoursAll                   // the whole day
	HoursSpan                  // the Span only
)

// Hours are the allowed maintenance hours of one kind of day.
type Hours struct {
	Kind HoursKind
	Span Span // with HoursSpan
}

// ParseHours reads "all", "none" (or ""), or a span "HH:MM-HH:MM".
func ParseHours(s string) (Hours, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "none":
		return Hours{Kind: HoursNone}, nil
	case "all":
		return Hours{Kind: HoursAll}, nil
	}
	sp, err := ParseSpan(s)
	if err != nil {
		return Hours{}, fmt.Errorf("allowed hours: %w (or write \"all\" or \"none\")", err)
	}
	return Hours{Kind: HoursSpan, Span: sp}, nil
}

// String formats like ParseHours reads.
func (h Hours) String() string {
	switch h.Kind {
	case HoursAll:
		return "all"
	case HoursSpan:
		return h.Span.String()
	}
	return "none"
}

func (h Hours) allows(todMinute int) bool {
	switch h.Kind {
	case HoursAll:
		return true
	case HoursSpan:
		return h.Span.containsMS(int64(todMinute) * minuteMS)
	}
	return false
}

func (h Hours) validate() error {
	switch h.Kind {
	case HoursNone, HoursAll:
		return nil
	case HoursSpan:
		return h.Span.validate()
	}
	return fmt.Errorf("unknown hours kind %d", h.Kind)
}

// AllowedHours are the hours in which planned maintenance may take place,
// judged minute by minute on the SLA's local wall clock; the minute's local
// date decides whether Weekdays (Monday..Friday) or Weekends (Saturday,
// Sunday) apply.
type AllowedHours struct {
	Weekdays, Weekends Hours
}

// allows reports whether the local minute starting at t is allowed.
func (a *AllowedHours) allows(t time.Time) bool {
	if a == nil {
		return true
	}
	h := a.Weekdays
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		h = a.Weekends
	}
	return h.allows(t.Hour()*60 + t.Minute())
}

func (a *AllowedHours) all() bool {
	return a == nil || (a.Weekdays.Kind == HoursAll && a.Weekends.Kind == HoursAll)
}

// DailyWindow is a latency exclusion window: every day [From, To) on the wall
// clock of Location (nil: the SLA's zone), e.g. the nightly backup window
// 00:00-02:00. To < From wraps midnight.
type DailyWindow struct {
	From, To TimeOfDay
	Location *time.Location
}
