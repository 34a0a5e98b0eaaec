package alert

import (
	"fmt"
	"time"
)

// Policy says when incidents open, resolve and repeat; configs'
// alerting.policy maps onto it one to one.
type Policy struct {
	// FailuresToOpen failing evaluations in a row open an incident.
	FailuresToOpen int
	// SuccessesToResolve passing evaluations in a row resolve it.
	SuccessesToResolve int
	// Reminder is how often the on-call engineers are reminded of an
	// open, unacknowledged incident.
	Reminder time.Duration
	// ReopenWithin is the flap guard's cool-down: a component failing
	// again within it after its incident resolved reopens that incident,
	// and a reopened incident resolves only after the component has been
	// passing for this long.
	ReopenWithin time.Duration
	// MaxPerHour caps the automatic on-call messages (reopen, resolve,
	// reminder) per incident in any hour; the rest are recorded silently.
	MaxPerHour int
}

// DefaultPolicy is the policy of configs' defaults.
var DefaultPolicy = Policy{
	FailuresToOpen:     3,
	SuccessesToResolve: 2,
	Reminder:           30 * time.Minute,
	ReopenWithin:       10 * time.Minute,
	MaxPerHour:         6,
}

// withDefaults fills zero fields from DefaultPolicy and rejects negative
// ones.
func (p Policy) withDefaults() (Policy, error) {
	if p.FailuresToOpen < 0 || p.SuccessesToResolve < 0 || p.Reminder < 0 || p.ReopenWithin < 0 || p.MaxPerHour < 0 {
		return p, fmt.Errorf("alert policy %+v: %w: thresholds and durations must not be negative", p, ErrInvalid)
	}
	def := DefaultPolicy
	if p.FailuresToOpen == 0 {
		p.FailuresToOpen = def.FailuresToOpen
	}
	if p.SuccessesToResolve == 0 {
		p.SuccessesToResolve = def.SuccessesToResolve
	}
	if p.Reminder == 0 {
		p.Reminder = def.Reminder
	}
	if p.ReopenWithin == 0 {
		p.ReopenWithin = def.ReopenWithin
	}
	if p.MaxPerHour == 0 {
		p.MaxPerHour = def.MaxPerHour
	}
	return p, nil
}
