package alert

import (
	"fmt"
	"slices"
	"sort"
)

// Restore gives the evaluator the incidents of the state database after
// a restart: the open ones, which it goes on with (it does not open a
// second incident for their components, and resolves them after
// Policy.SuccessesToResolve passing evaluations), and those resolved less
// than Policy.ReopenWithin ago, which the flap guard may still reopen.
// Older resolved incidents are ignored. Call it before the first Observe;
// it replaces any incident the evaluator holds.
//
// What is not restored: the latest verdict per location (the next
// results give it again), and the flap guard's count of messages in the
// last hour (it starts afresh).
func (e *Evaluator) Restore(incs []Incident) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.clock()
	// Oldest first, so that the newest incident of a component wins.
	sorted := slices.Clone(incs)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].OpenedAt.Before(sorted[j].OpenedAt) })
	byID := map[string]*tracked{}
	for _, c := range e.comps {
		c.open, c.last = nil, nil
	}
	for _, inc := range sorted {
		if inc.ID == "" || !inc.Status.Valid() {
			return fmt.Errorf("restore incidents: %w: incident %q has status %q", ErrInvalid, inc.ID, inc.Status)
		}
		if !inc.Open() && (inc.ResolvedAt == nil || now.Sub(*inc.ResolvedAt) >= e.policy.ReopenWithin) {
			continue
		}
		t := &tracked{inc: inc.Clone()}
		for _, id := range inc.Components {
			if c := e.comps[id]; c != nil {
				t.comp = c
				break
			}
		}
		byID[inc.ID] = t
		if c := t.comp; c != nil {
			if inc.Open() {
				c.open = t
			} else {
				c.last = t
			}
		}
	}
	e.byID = byID
	return nil
}

// Incidents returns snapshots of the open incidents, oldest first.
func (e *Evaluator) Incidents() []Incident {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Incident
	for _, t := range e.byID {
		if t.inc.Open() {
			out = append(out, t.inc.Clone())
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].OpenedAt.Equal(out[j].OpenedAt) {
			return out[i].OpenedAt.Before(out[j].OpenedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}
