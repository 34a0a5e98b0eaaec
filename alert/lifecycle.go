package alert

import (
	"fmt"
	"time"
)

// Texts of the updates vigil writes itself. They may reach customers:
// the technical detail goes to Event.Detail instead.
const (
	msgOpened     = "%s is not working as expected. We are investigating."
	msgReopened   = "%s is failing again. We are investigating."
	msgStillDown  = "%s is still not working as expected after the planned maintenance ended. We are investigating."
	msgRecovered  = "%s is working normally again."
	msgResolvedBy = "This incident has been resolved."
)

// openIncident opens an incident for comp, or reopens its last one when
// that resolved less than Policy.ReopenWithin ago (flap guard).
func (e *Evaluator) openIncident(comp *component, detail string, now time.Time) []Event {
	if last := comp.last; last != nil && last.inc.ResolvedAt != nil && now.Sub(*last.inc.ResolvedAt) < e.policy.ReopenWithin {
		return e.reopen(last, detail, now)
	}
	muted := e.muted(comp, now)
	t := &tracked{comp: comp, inc: Incident{
		ID:            e.newID(),
		Title:         comp.name + " unavailable",
		Components:    []string{comp.id},
		OpenedAt:      now,
		InMaintenance: muted,
		Announced:     !muted,
	}}
	t.inc.addUpdate(now, Investigating, fmt.Sprintf(msgOpened, comp.name), !muted)
	comp.open = t
	e.byID[t.inc.ID] = t
	ev := Event{Kind: EventOpened, Audience: AudienceBoth, Detail: detail}
	if muted {
		ev.Silent, ev.SilentBecause = true, SilentMaintenance
	} else {
		t.paged(now)
	}
	return []Event{e.emit(t, ev, now)}
}

// reopen turns t, resolved a moment ago, back into an open incident: an
// update for the on-call engineers only, counted by the flap guard. An
// incident nobody has been paged about yet is announced instead, if its
// maintenance is over.
func (e *Evaluator) reopen(t *tracked, detail string, now time.Time) []Event {
	comp := t.comp
	comp.last, comp.open = nil, t
	t.inc.Reopens++
	if t.inc.InMaintenance && !e.muted(comp, now) {
		return []Event{e.announce(t, detail, now)}
	}
	t.inc.addUpdate(now, Investigating, fmt.Sprintf(msgReopened, comp.name), false)
	ev := Event{Kind: EventUpdated, Audience: AudienceOnCall, Detail: detail}
	ev.Silent, ev.SilentBecause = e.silence(t, now)
	return []Event{e.emit(t, ev, now)}
}

// autoResolve resolves t because its component passes again. Customer
// subscribers hear of it when they were told of the incident.
func (e *Evaluator) autoResolve(t *tracked, now time.Time) []Event {
	ev := Event{Kind: EventResolved, Audience: AudienceOnCall}
	ev.Silent, ev.SilentBecause = e.silence(t, now)
	notify := t.inc.Announced && !ev.Silent
	if notify {
		ev.Audience = AudienceBoth
	}
	t.inc.addUpdate(now, Resolved, fmt.Sprintf(msgRecovered, t.comp.name), notify)
	t.inc.Announced = false
	e.closed(t)
	return []Event{e.emit(t, ev, now)}
}

// announceIfDue announces t when it opened during maintenance, the
// maintenance is over and its component still fails.
func (e *Evaluator) announceIfDue(t *tracked, now time.Time) []Event {
	if !t.inc.InMaintenance || t.comp == nil || t.comp.failingChecks == 0 || e.muted(t.comp, now) {
		return nil
	}
	return []Event{e.announce(t, "", now)}
}

// announce tells everyone of t, which opened during maintenance and
// still fails after it: an opened event, since nobody heard of it yet.
func (e *Evaluator) announce(t *tracked, detail string, now time.Time) Event {
	t.inc.InMaintenance = false
	t.inc.Announced = true
	t.inc.addUpdate(now, Investigating, fmt.Sprintf(msgStillDown, t.comp.name), true)
	t.paged(now)
	return e.emit(t, Event{Kind: EventOpened, Audience: AudienceBoth, Detail: detail}, now)
}

// closed detaches the resolved t from its component, keeping it for the
// flap guard; the component must fail FailuresToOpen times anew to
// reopen it.
func (e *Evaluator) closed(t *tracked) {
	if c := t.comp; c != nil {
		if c.open == t {
			c.open = nil
		}
		c.last = t
		c.fails = 0
	}
}

// emit bumps t's version and returns ev with a snapshot of t.
func (e *Evaluator) emit(t *tracked, ev Event, now time.Time) Event {
	t.inc.Version++
	ev.Incident = t.inc.Clone()
	ev.At = now
	return ev
}
