package alert

import (
	"strconv"
	"time"
)

// EventKind names what happened to an incident; the names are those of
// notify.Message.Event and of the message templates.
type EventKind string

// The kinds of event.
const (
	// EventOpened: a new incident, or one that opened silently during
	// maintenance and still fails after it ended.
	EventOpened EventKind = "incident.opened"
	// EventUpdated: a new timeline entry (a manual update, a reopen by
	// the flap guard) or an acknowledgement.
	EventUpdated EventKind = "incident.updated"
	// EventResolved: the incident is over.
	EventResolved EventKind = "incident.resolved"
	// EventReminder: still open and nobody acknowledged it.
	EventReminder EventKind = "incident.reminder"
)

// Audience says who is to receive an event.
type Audience string

// The audiences.
const (
	AudienceOnCall      Audience = "on_call"
	AudienceSubscribers Audience = "subscribers"
	AudienceBoth        Audience = "both"
)

// OnCall reports whether the on-call engineers receive the event.
func (a Audience) OnCall() bool { return a == AudienceOnCall || a == AudienceBoth }

// Subscribers reports whether the customer subscribers of the incident's
// components receive the event.
func (a Audience) Subscribers() bool { return a == AudienceSubscribers || a == AudienceBoth }

// Why an event is silent.
const (
	// SilentMaintenance: planned maintenance covers the component, or the
	// incident opened during maintenance and nobody has been paged yet.
	SilentMaintenance = "maintenance"
	// SilentFlapGuard: the incident has sent max_per_hour automatic
	// messages in the last hour.
	SilentFlapGuard = "flap guard"
	// SilentRecordOnly: the event only records a change (an
	// acknowledgement) that nobody is to be sent.
	SilentRecordOnly = "record only"
)

// Event is one decision of the evaluator: what happened, the incident as
// it is afterwards, and who is to hear of it.
//
// The wiring saves every event's Incident (in the order the events were
// returned) and, unless Silent, hands it to the outbox for Audience.
type Event struct {
	Kind     EventKind
	Incident Incident // a snapshot; its last update is the one this event is about (not for reminders)
	Audience Audience
	// Silent events are recorded but sent to nobody; SilentBecause says
	// why (SilentMaintenance, SilentFlapGuard, SilentRecordOnly).
	Silent        bool
	SilentBecause string
	At            time.Time
	// Detail is for the on-call engineers only: which check failed from
	// how many locations and why. The incident's updates hold the text
	// customers may see.
	Detail string
}

// Key identifies the event for deduplication (outbox rows): the
// incident's id and version, which grows with every event.
func (e Event) Key() string {
	return e.Incident.ID + "/" + strconv.Itoa(e.Incident.Version)
}
