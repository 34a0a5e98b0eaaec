package alert

import "time"

// budgetWindow is the span over which Policy.MaxPerHour counts.
const budgetWindow = time.Hour

// allowed reports whether t may send one more automatic on-call message
// at now without exceeding Policy.MaxPerHour in the last hour.
func (e *Evaluator) allowed(t *tracked, now time.Time) bool {
	keep := t.pages[:0]
	for _, p := range t.pages {
		if now.Sub(p) < budgetWindow {
			keep = append(keep, p)
		}
	}
	t.pages = keep
	return len(t.pages) < e.policy.MaxPerHour
}

// paged records that the on-call engineers received a message about t
// at now. Messages an engineer caused count too, though they are never
// held back.
func (t *tracked) paged(now time.Time) {
	t.pages = append(t.pages, now)
	t.inc.LastPagedAt = &now
}

// silence decides whether an automatic event of t at now is silent, and
// why; when it is not, the message is counted as paged.
func (e *Evaluator) silence(t *tracked, now time.Time) (bool, string) {
	switch {
	case t.inc.InMaintenance || e.muted(t.comp, now):
		return true, SilentMaintenance
	case !e.allowed(t, now):
		return true, SilentFlapGuard
	}
	t.paged(now)
	return false, ""
}
