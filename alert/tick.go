package alert

import (
	"sort"
	"time"
)

// Tick lets time pass: it sends reminders of open, unacknowledged
// incidents every Policy.Reminder, announces incidents whose maintenance
// ended while their component still fails, and forgets resolved
// incidents the flap guard can no longer reopen. Call it about every
// 10 to 30 seconds; reminders are at most that late.
func (e *Evaluator) Tick() []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.clock()
	ids := make([]string, 0, len(e.byID))
	for id := range e.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids) // the same events in the same order every time
	var evs []Event
	for _, id := range ids {
		t := e.byID[id]
		if !t.inc.Open() {
			e.forgetIfCold(t, now)
			continue
		}
		if t.inc.InMaintenance {
			evs = append(evs, e.announceIfDue(t, now)...)
			continue
		}
		if ev, ok := e.remind(t, now); ok {
			evs = append(evs, ev)
		}
	}
	return evs
}

// remind returns a reminder of t when one is due at now.
func (e *Evaluator) remind(t *tracked, now time.Time) (Event, bool) {
	inc := &t.inc
	if inc.AckedAt != nil || inc.LastPagedAt == nil || now.Sub(*inc.LastPagedAt) < e.policy.Reminder {
		return Event{}, false
	}
	if e.muted(t.comp, now) || !e.allowed(t, now) {
		return Event{}, false // not due again until the maintenance or the budget lets it
	}
	t.paged(now)
	return e.emit(t, Event{Kind: EventReminder, Audience: AudienceOnCall}, now), true
}

// forgetIfCold drops the resolved t once the flap guard can no longer
// reopen it.
func (e *Evaluator) forgetIfCold(t *tracked, now time.Time) {
	if t.inc.ResolvedAt != nil && now.Sub(*t.inc.ResolvedAt) < e.policy.ReopenWithin {
		return
	}
	delete(e.byID, t.inc.ID)
	if c := t.comp; c != nil && c.last == t {
		c.last = nil
	}
}
