package alert

import (
	"cmp"
	"fmt"
	"sort"
)

// SetChecks replaces the check → component map and the component names
// (see Config), as a config reload does. A check that keeps its component
// keeps its state (the latest result per location, its verdict); a new
// check, or one moved to another component, starts with no results; a
// removed check no longer counts as failing for its component. Components
// keep their counts and incidents: an open incident of a component no
// longer checked stays open until an engineer resolves it. Names apply to
// incidents opened from now on. On error nothing changes.
func (e *Evaluator) SetChecks(checks, names map[string]string) error {
	if err := validChecks(checks); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.setChecks(checks, names)
	return nil
}

// validChecks rejects a check without a component.
func validChecks(checks map[string]string) error {
	for _, name := range sortedKeys(checks) {
		if checks[name] == "" {
			return fmt.Errorf("alert config: check %q: %w: it has no component", name, ErrInvalid)
		}
	}
	return nil
}

// setChecks applies SetChecks; e.mu is held (or e not yet shared).
func (e *Evaluator) setChecks(checks, names map[string]string) {
	for id, c := range e.comps {
		c.name = cmp.Or(names[id], id)
	}
	next := make(map[string]*check, len(checks))
	for _, name := range sortedKeys(checks) {
		id := checks[name]
		comp := e.comps[id]
		if comp == nil {
			comp = &component{id: id, name: cmp.Or(names[id], id)}
			e.comps[id] = comp
		}
		if old := e.checks[name]; old != nil && old.comp == comp {
			next[name] = old
			continue
		}
		next[name] = &check{name: name, comp: comp}
	}
	for name, old := range e.checks {
		if next[name] != old && old.failing {
			old.comp.failingChecks--
		}
	}
	e.checks = next
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
