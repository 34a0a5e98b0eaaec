package store

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// normalizeIncident checks an incident to be saved and returns it with
// its components sorted without duplicates and its times as stored (UTC,
// milliseconds). The error wraps ErrInvalid and lists every problem.
func normalizeIncident(inc Incident) (Incident, error) {
	var problems []string
	if !strings.HasPrefix(inc.ID, "inc-") || len(inc.ID) == len("inc-") {
		problems = append(problems, fmt.Sprintf("id %q is not an incident id: it starts with inc-", inc.ID))
	}
	if strings.TrimSpace(inc.Title) == "" {
		problems = append(problems, "title is empty: give the incident a title people will see")
	}
	var comps []string
	if len(inc.Components) == 0 {
		problems = append(problems, "no components: name at least one component the incident covers")
	} else {
		var compProblems []string
		comps, compProblems = normalizeComponents(inc.Components)
		problems = append(problems, compProblems...)
	}
	if !slices.Contains(IncidentStatuses, inc.Status) {
		problems = append(problems, fmt.Sprintf("status %q is not one of %s", inc.Status, strings.Join(IncidentStatuses, ", ")))
	}
	if inc.OpenedAt.IsZero() {
		problems = append(problems, "opened_at is missing")
	}
	if (inc.Status == "resolved") != (inc.ResolvedAt != nil) {
		problems = append(problems, "resolved_at must be set exactly when the status is resolved")
	}
	if (inc.AckedAt == nil) != (inc.AckedBy == "") {
		problems = append(problems, "acked_at and acked_by go together: set both or neither")
	}
	if inc.Reopens < 0 {
		problems = append(problems, fmt.Sprintf("reopens %d is negative", inc.Reopens))
	}
	if inc.Version < 1 {
		problems = append(problems, fmt.Sprintf("version %d is not positive: the evaluator numbers changes from 1", inc.Version))
	}
	updates := slices.Clone(inc.Updates)
	for i := range updates {
		u := &updates[i]
		switch {
		case u.Seq != i+1:
			problems = append(problems, fmt.Sprintf("update %d has seq %d: updates are numbered 1, 2, 3 … in order", i+1, u.Seq))
		case u.At.IsZero():
			problems = append(problems, fmt.Sprintf("update %d has no time", u.Seq))
		case !slices.Contains(IncidentStatuses, u.Status):
			problems = append(problems, fmt.Sprintf("update %d: status %q is not one of %s", u.Seq, u.Status, strings.Join(IncidentStatuses, ", ")))
		}
		u.At = stamp(u.At)
	}
	if len(problems) > 0 {
		return inc, invalid(problems)
	}
	inc.Components, inc.Updates = comps, updates
	inc.OpenedAt = stamp(inc.OpenedAt)
	inc.ResolvedAt, inc.AckedAt, inc.LastPagedAt = stampIncidentTime(inc.ResolvedAt), stampIncidentTime(inc.AckedAt), stampIncidentTime(inc.LastPagedAt)
	return inc, nil
}

// stampIncidentTime returns a copy of *t as stored, or nil.
func stampIncidentTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	s := stamp(*t)
	return &s
}
