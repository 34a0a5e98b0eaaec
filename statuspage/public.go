package statuspage

import (
	"strconv"
	"time"
)

// Incident statuses (Statuspage's; vigil never writes postmortem).
const (
	incidentResolved   = "resolved"
	incidentMonitoring = "monitoring"
)

// Impacts of incidents, and the one real pages give maintenance.
const (
	ImpactNone        = "none"
	ImpactMinor       = "minor"
	ImpactMajor       = "major"
	ImpactCritical    = "critical"
	ImpactMaintenance = "maintenance"
)

// isPublic reports whether an incident belongs on the page: one that
// opened during maintenance and was never announced is covered by the
// maintenance.
func isPublic(inc *Incident) bool { return !inc.InMaintenance && len(inc.Updates) > 0 }

// publicUpdates returns the updates of inc that customers see, oldest
// first: those sent to subscribers, the first, every resolve, and the
// update after a resolve (a reopening), so the timeline always explains
// the incident's status.
func publicUpdates(inc *Incident) []Update {
	var out []Update
	for i, u := range inc.Updates {
		reopen := i > 0 && inc.Updates[i-1].Status == incidentResolved && u.Status != incidentResolved
		if u.Notify || i == 0 || u.Status == incidentResolved || reopen {
			out = append(out, u)
		}
	}
	return out
}

// incidentImpact is the impact of inc given its components' statuses now.
func incidentImpact(inc *Incident, statusOf map[string]string) string {
	if inc.Status == incidentResolved {
		return ImpactMajor
	}
	for _, c := range inc.Components {
		if statusOf[c] == StatusMajor {
			return ImpactCritical
		}
	}
	return ImpactMajor
}

// incidentView is a public incident as the page and the API show it.
type incidentView struct {
	ID, Title, Status, Impact string
	Components                []string // component ids
	Names                     string   // their names, for people
	OpenedAt                  time.Time
	UpdatedAt                 time.Time
	ResolvedAt, MonitoringAt  *time.Time
	Updates                   []updateView // newest first
}

// updateView is one shown entry of a timeline.
type updateView struct {
	ID      string
	At      time.Time
	Status  string
	Message string
	Notify  bool
}

// Open reports whether the incident is not resolved.
func (v incidentView) Open() bool { return v.Status != incidentResolved }

// viewIncident builds the public view of inc.
func viewIncident(inc *Incident, statusOf, nameOf map[string]string) incidentView {
	v := incidentView{
		ID: inc.ID, Title: inc.Title, Status: inc.Status,
		Impact:     incidentImpact(inc, statusOf),
		Components: append([]string(nil), inc.Components...),
		Names:      componentNames(inc.Components, nameOf),
		OpenedAt:   inc.OpenedAt.UTC(),
		UpdatedAt:  inc.OpenedAt.UTC(),
	}
	if inc.ResolvedAt != nil {
		t := inc.ResolvedAt.UTC()
		v.ResolvedAt = &t
	}
	ups := publicUpdates(inc)
	for i := len(ups) - 1; i >= 0; i-- {
		u := ups[i]
		v.Updates = append(v.Updates, updateView{
			ID: inc.ID + "-" + strconv.Itoa(u.Seq), At: u.At.UTC(), Status: u.Status, Message: u.Message, Notify: u.Notify,
		})
		if u.At.After(v.UpdatedAt) {
			v.UpdatedAt = u.At.UTC()
		}
		if u.Status == incidentMonitoring && v.MonitoringAt == nil {
			t := u.At.UTC()
			v.MonitoringAt = &t // the latest monitoring update: ups runs backwards
		}
	}
	if v.ResolvedAt != nil && v.ResolvedAt.After(v.UpdatedAt) {
		v.UpdatedAt = *v.ResolvedAt
	}
	return v
}
