package configs

import (
	"fmt"
	"strconv"
	"time"
)

// SLA is one customer's service level agreement: what is promised, what
// maintenance is planned, and what is credited when the promise is broken.
// The semantics are those of the SLA contract (docs: SLA.md); this type
// only carries the terms, validated.
type SLA struct {
	// Customer is the customer's short unique id (a-z, 0-9, _ and -).
	Customer string `yaml:"customer"`
	// Timezone is an IANA zone (e.g. Europe/Amsterdam): the report month
	// runs from the 1st 00:00 to the next 1st 00:00 on its wall clock, and
	// allowed hours are judged on it. Validation has proven that
	// time.LoadLocation accepts it (the zone database is embedded).
	Timezone string `yaml:"timezone"`
	// Components are the ids of the components in scope; each has a check.
	Components []string `yaml:"components"`
	// AvailabilityTarget is the promised availability, more than 0%.
	AvailabilityTarget Percent            `yaml:"availability_target"`
	Maintenance        MaintenanceTerms   `yaml:"maintenance"`
	Latency            []LatencyObjective `yaml:"latency"`
	// Credits are the service-credit tiers, in any order, each with its
	// own Below. The credit owed is that of the tier with the smallest
	// Below that the availability is strictly below; none when it is
	// below none. Validation guarantees: 0% < Below <= AvailabilityTarget,
	// Credit is a whole percentage from 1% to 100%, no two tiers share a
	// Below, and a lower Below never carries a smaller Credit.
	Credits []CreditTier `yaml:"credits"`
}

// MaintenanceTerms say when announced maintenance is planned (excluded
// from the availability figure).
type MaintenanceTerms struct {
	// Notice is how long before its start a window must be announced;
	// 0 (the default) requires no notice.
	Notice Duration `yaml:"notice"`
	// AllowedHours, when set, are the only hours planned maintenance may
	// use; nil allows any hour.
	AllowedHours *AllowedHours `yaml:"allowed_hours"`
	// MonthlyBudget caps the minutes planned maintenance may exclude per
	// report month; 0 (key left out) means no cap. When set it is a
	// positive whole number of minutes.
	MonthlyBudget Duration `yaml:"monthly_budget"`
}

// AllowedHours are the hours in which planned maintenance may take place,
// on the SLA's wall clock: Weekdays for Monday to Friday, Weekends for
// Saturday and Sunday (the minute's local date decides). Each is "all",
// "none" or a span "HH:MM-HH:MM" that may wrap midnight; read it with
// ParseClockSpan. Both are set when AllowedHours is.
type AllowedHours struct {
	Weekdays string `yaml:"weekdays"`
	Weekends string `yaml:"weekends"`
}

// LatencyObjective is the latency promise for one key screen: Target of
// its probes finish within Threshold.
type LatencyObjective struct {
	// Check names a check of one of the SLA's components.
	Check string `yaml:"check"`
	// Threshold is positive and a whole number of milliseconds; a probe
	// that takes exactly Threshold is good.
	Threshold Duration `yaml:"threshold"`
	// Target is more than 0%.
	Target Percent `yaml:"target"`
	// Exclude names entries of Config.Windows whose observations are left out.
	Exclude []string `yaml:"exclude"`
}

// CreditTier credits Credit of the monthly fee when the availability is
// strictly below Below (see SLA.Credits).
type CreditTier struct {
	Below  Percent `yaml:"below"`
	Credit Percent `yaml:"credit"`
}

// DailyWindow is a named span of every day, such as a nightly backup,
// judged on the wall clock of its own time zone. Daily is "HH:MM-HH:MM"
// (it may wrap midnight; never "all" or "none"): read it with
// ParseClockSpan. Timezone is an IANA zone that time.LoadLocation accepts.
type DailyWindow struct {
	Daily    string `yaml:"daily"`
	Timezone string `yaml:"timezone"`
}

// ParseClockSpan reads a span of the wall clock: "HH:MM-HH:MM", "all" or
// "none". Hours run 00 to 24 and minutes 00 to 59; 24:00 is only an end.
//
// A span returns from and to as times of day (hour*time.Hour +
// minute*time.Minute) with allDay false; it holds the clock times c with
// from <= c < to, or, when to < from, it wraps midnight and holds
// c >= from or c < to ("21:00-07:00" holds 23:00 and 03:00). "all"
// returns allDay true (from = 0, to = 24h); "none" returns 0, 0, false.
// A span that starts where it ends, including "00:00-24:00", is an error:
// write all for the whole day. See ClockSpanContains.
func ParseClockSpan(s string) (from, to time.Duration, allDay bool, err error) {
	const how = `write "HH:MM-HH:MM" such as "21:00-07:00" (a span may wrap midnight), all or none`
	switch s {
	case "all":
		return 0, 24 * time.Hour, true, nil
	case "none":
		return 0, 0, false, nil
	case "":
		return 0, 0, false, fmt.Errorf("no hours given; %s", how)
	}
	if len(s) != 11 || s[5] != '-' {
		return 0, 0, false, fmt.Errorf("%q is not a clock span; %s", s, how)
	}
	from, ok1 := parseClock(s[:5])
	to, ok2 := parseClock(s[6:])
	switch {
	case !ok1 || !ok2:
		return 0, 0, false, fmt.Errorf("%q is not a clock span: hours run 00 to 24 and minutes 00 to 59; %s", s, how)
	case from == 24*time.Hour:
		return 0, 0, false, fmt.Errorf("%q starts at 24:00; start at 00:00 instead", s)
	case from == to || from == 0 && to == 24*time.Hour:
		return 0, 0, false, emptySpanError(fmt.Sprintf("%q starts where it ends; write all for the whole day, or none for no time at all", s))
	}
	return from, to, false, nil
}

// emptySpanError is the error for a span that starts where it ends.
type emptySpanError string

func (e emptySpanError) Error() string { return string(e) }

// parseClock reads "HH:MM" from 00:00 to 24:00.
func parseClock(s string) (time.Duration, bool) {
	if len(s) != 5 || s[2] != ':' || !allDigits(s[:2]) || !allDigits(s[3:]) {
		return 0, false
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	if h > 24 || m > 59 || h == 24 && m != 0 {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, true
}

// ClockSpanContains reports whether the time of day clock (hour*time.Hour
// + minute*time.Minute of the local wall clock, not the time elapsed
// since midnight, which differs on DST days) lies in a span that
// ParseClockSpan returned.
func ClockSpanContains(from, to time.Duration, allDay bool, clock time.Duration) bool {
	switch {
	case allDay:
		return true
	case from < to:
		return from <= clock && clock < to
	case from > to:
		return clock >= from || clock < to
	}
	return false // none
}
