package alert

import (
	"slices"
	"time"
)

// Incident is one outage of one or more components, with its timeline.
// Events carry copies (snapshots); the evaluator keeps the original.
//
// Incidents vigil opens cover exactly one component. All times are UTC.
type Incident struct {
	// ID is "inc-" and 8 random characters (a-z, 2-7).
	ID         string
	Title      string
	Components []string
	Status     Status
	OpenedAt   time.Time
	// ResolvedAt is set while Status is Resolved, nil otherwise (a
	// reopened incident loses it).
	ResolvedAt *time.Time
	// AckedAt and AckedBy record who acknowledged the incident; an
	// acknowledged incident sends no reminders.
	AckedAt *time.Time
	AckedBy string
	// InMaintenance is set while the incident opened during planned
	// maintenance of its component and nobody has been paged about it.
	// It is cleared when the component still fails after the maintenance
	// ended, and the incident is then announced as opened.
	InMaintenance bool
	// Announced is set while the customer subscribers have been told the
	// incident is open and not yet that it is over: a resolve reaches
	// them only then, so that a flapping incident resolves for them once.
	Announced bool
	// Reopens counts how often the flap guard reopened the incident.
	Reopens int
	// LastPagedAt is when the on-call engineers last received a message
	// about the incident (opened, update, reminder); reminders count
	// from it. Nil while nobody has been paged.
	LastPagedAt *time.Time
	// Version grows by one with every change; a store keeps the highest
	// and refuses an older snapshot (events may be saved twice, never
	// out of order).
	Version int
	// Updates is the timeline, oldest first, numbered 1, 2, 3 ….
	Updates []Update
}

// Update is one entry of an incident's timeline.
type Update struct {
	Seq     int // 1, 2, 3 … in order
	At      time.Time
	Status  Status
	Message string
	// Notify marks an update the customer subscribers were sent.
	Notify bool
}

// Open reports whether the incident is not resolved.
func (inc *Incident) Open() bool { return inc.Status != Resolved }

// Last returns the latest update, or the zero Update when there is none.
func (inc *Incident) Last() Update {
	if len(inc.Updates) == 0 {
		return Update{}
	}
	return inc.Updates[len(inc.Updates)-1]
}

// Clone returns a deep copy.
func (inc *Incident) Clone() Incident {
	c := *inc
	c.Components = slices.Clone(inc.Components)
	c.Updates = slices.Clone(inc.Updates)
	c.ResolvedAt = clonePtr(inc.ResolvedAt)
	c.AckedAt = clonePtr(inc.AckedAt)
	c.LastPagedAt = clonePtr(inc.LastPagedAt)
	return c
}

// addUpdate appends an update at t and moves the incident to status.
func (inc *Incident) addUpdate(t time.Time, status Status, message string, notify bool) {
	inc.Status = status
	inc.Updates = append(inc.Updates, Update{Seq: len(inc.Updates) + 1, At: t, Status: status, Message: message, Notify: notify})
	if status == Resolved {
		inc.ResolvedAt = &t
	} else {
		inc.ResolvedAt = nil
	}
}

// clonePtr copies the value p points to.
func clonePtr(p *time.Time) *time.Time {
	if p == nil {
		return nil
	}
	t := *p
	return &t
}
