package statuspage

import (
	"strings"
	"time"
)

// Maintenance statuses (Statuspage's; vigil has no verifying step).
const (
	maintScheduled  = "scheduled"
	maintInProgress = "in_progress"
	maintCompleted  = "completed"
	// maintCancelled is vigil's own: cancelled windows stay only in the
	// calendar feed, where STATUS:CANCELLED says so.
	maintCancelled = "cancelled"
)

// Texts of the updates the page writes for a window's lifecycle (those of
// Statuspage's own scheduled maintenance, which readers know).
const (
	msgMaintScheduled  = "We will be undergoing scheduled maintenance during this time."
	msgMaintInProgress = "Scheduled maintenance is currently in progress. We will provide updates as necessary."
	msgMaintCompleted  = "The scheduled maintenance has been completed."
	msgMaintCancelled  = "This scheduled maintenance has been cancelled."
)

// effectiveEnd is when a window stops being in force: its actual end when
// an operator closed it, else its scheduled end.
func effectiveEnd(m *Maintenance) time.Time {
	if m.ActualEnd != nil {
		return *m.ActualEnd
	}
	return m.End
}

// maintenanceStatus is where a window stands at now.
func maintenanceStatus(m *Maintenance, now time.Time) string {
	switch {
	case m.CancelledAt != nil:
		return maintCancelled
	case now.Before(m.Start):
		return maintScheduled
	case now.Before(effectiveEnd(m)):
		return maintInProgress
	}
	return maintCompleted
}

// inForce reports whether m puts its components under maintenance at now.
func inForce(m *Maintenance, now time.Time) bool {
	return maintenanceStatus(m, now) == maintInProgress
}

// maintView is a maintenance window as the page, the API and the feeds
// show it.
type maintView struct {
	ID, Title, Status string
	Components        []string
	Names             string    // the components' names, for people
	Start, End        time.Time // scheduled
	EffectiveEnd      time.Time
	ActualEnd         *time.Time
	CancelledAt       *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Updates           []updateView // newest first
}

// Active reports whether the window is in progress.
func (v maintView) Active() bool { return v.Status == maintInProgress }

// viewMaintenance builds the view of m at now, with the updates its
// lifecycle so far calls for.
func viewMaintenance(m *Maintenance, now time.Time, nameOf map[string]string) maintView {
	v := maintView{
		ID: m.ID, Title: m.Title, Status: maintenanceStatus(m, now),
		Components: append([]string(nil), m.Components...),
		Names:      componentNames(m.Components, nameOf),
		Start:      m.Start.UTC(), End: m.End.UTC(), EffectiveEnd: effectiveEnd(m).UTC(),
		CreatedAt: m.CreatedAt.UTC(),
	}
	if v.CreatedAt.IsZero() {
		v.CreatedAt = m.AnnouncedAt.UTC()
	}
	if m.ActualEnd != nil {
		t := m.ActualEnd.UTC()
		v.ActualEnd = &t
	}
	announced := m.AnnouncedAt.UTC()
	if announced.IsZero() {
		announced = v.CreatedAt
	}
	if announced.After(v.Start) {
		announced = v.Start // recorded after it began: the timeline still starts with the schedule
	}
	ups := []updateView{{ID: m.ID + "-scheduled", At: announced, Status: maintScheduled, Message: msgMaintScheduled}}
	switch v.Status {
	case maintCancelled:
		t := m.CancelledAt.UTC()
		v.CancelledAt = &t
		ups = append(ups, updateView{ID: m.ID + "-cancelled", At: t, Status: maintCancelled, Message: msgMaintCancelled})
	case maintInProgress:
		ups = append(ups, updateView{ID: m.ID + "-in-progress", At: v.Start, Status: maintInProgress, Message: msgMaintInProgress})
	case maintCompleted:
		ups = append(ups,
			updateView{ID: m.ID + "-in-progress", At: v.Start, Status: maintInProgress, Message: msgMaintInProgress},
			updateView{ID: m.ID + "-completed", At: v.EffectiveEnd, Status: maintCompleted, Message: msgMaintCompleted})
	}
	for i := len(ups) - 1; i >= 0; i-- {
		v.Updates = append(v.Updates, ups[i])
		if ups[i].At.After(v.UpdatedAt) {
			v.UpdatedAt = ups[i].At
		}
	}
	return v
}

// componentNames joins the names of ids for people, in the given order.
func componentNames(ids []string, nameOf map[string]string) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		if n, ok := nameOf[id]; ok {
			names = append(names, n)
		} else {
			names = append(names, id)
		}
	}
	return strings.Join(names, ", ")
}
