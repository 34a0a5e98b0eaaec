package alert

import (
	"fmt"
	"strings"
	"time"
)

// Update posts an engineer's update to the open incident id: a new
// status (investigating, identified or monitoring; resolved resolves it,
// as Resolve does) and a message. The on-call engineers always receive
// it; the customer subscribers too when notify is set. Maintenance and
// the flap guard never hold back an engineer's update.
func (e *Evaluator) Update(id string, status Status, message string, notify bool) ([]Event, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, err := e.openByID(id, "updated")
	if err != nil {
		return nil, err
	}
	message = strings.TrimSpace(message)
	var problems []string
	if !status.Valid() {
		problems = append(problems, fmt.Sprintf("status %q is not one of investigating, identified, monitoring, resolved", status))
	}
	if message == "" {
		problems = append(problems, "message is empty: say what is known or being done")
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("update incident %s: %w: %s", id, ErrInvalid, strings.Join(problems, "; "))
	}
	now := e.clock()
	if status == Resolved {
		return []Event{e.resolveByHand(t, message, notify, now)}, nil
	}
	t.inc.addUpdate(now, status, message, notify)
	t.paged(now)
	ev := Event{Kind: EventUpdated, Audience: AudienceOnCall}
	if notify {
		t.inc.Announced = true
		ev.Audience = AudienceBoth
	}
	return []Event{e.emit(t, ev, now)}, nil
}

// Resolve resolves the open incident id by hand, with an optional
// message. The customer subscribers hear of it when they were told of the
// incident. The component must then fail Policy.FailuresToOpen times
// anew to reopen it (within Policy.ReopenWithin) or open a new one.
func (e *Evaluator) Resolve(id, message string) ([]Event, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, err := e.openByID(id, "resolved")
	if err != nil {
		return nil, err
	}
	message = strings.TrimSpace(message)
	if message == "" {
		message = msgResolvedBy
	}
	return []Event{e.resolveByHand(t, message, t.inc.Announced, e.clock())}, nil
}

// resolveByHand resolves t with message; notify sends the resolve to the
// customer subscribers too.
func (e *Evaluator) resolveByHand(t *tracked, message string, notify bool, now time.Time) Event {
	t.inc.addUpdate(now, Resolved, message, notify)
	t.inc.Announced = false
	t.paged(now)
	e.closed(t)
	ev := Event{Kind: EventResolved, Audience: AudienceOnCall}
	if notify {
		ev.Audience = AudienceBoth
	}
	return e.emit(t, ev, now)
}

// Ack records that by has taken the open incident id on, which stops its
// reminders (also after a reopen). The event is silent: it only records
// the acknowledgement.
func (e *Evaluator) Ack(id, by string) ([]Event, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, err := e.openByID(id, "acknowledged")
	if err != nil {
		return nil, err
	}
	by = strings.TrimSpace(by)
	switch {
	case by == "":
		return nil, fmt.Errorf("acknowledge incident %s: %w: say who takes it on", id, ErrInvalid)
	case t.inc.AckedAt != nil:
		return nil, fmt.Errorf("acknowledge incident %s: %w: already acknowledged by %s at %s", id, ErrConflict, t.inc.AckedBy, t.inc.AckedAt.Format(time.RFC3339))
	}
	now := e.clock()
	t.inc.AckedAt, t.inc.AckedBy = &now, by
	return []Event{e.emit(t, Event{Kind: EventUpdated, Audience: AudienceOnCall, Silent: true, SilentBecause: SilentRecordOnly}, now)}, nil
}

// openByID returns the open incident id; what the operation would do
// goes into the error.
func (e *Evaluator) openByID(id, what string) (*tracked, error) {
	t := e.byID[id]
	switch {
	case t == nil:
		return nil, fmt.Errorf("incident %s: %w: it is not open; list the open incidents to find the right id", id, ErrNotFound)
	case !t.inc.Open():
		return nil, fmt.Errorf("incident %s: %w: it was resolved at %s and cannot be %s", id, ErrConflict, t.inc.ResolvedAt.Format(time.RFC3339), what)
	}
	return t, nil
}
