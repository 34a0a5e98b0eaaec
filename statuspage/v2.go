package statuspage

import (
	"encoding/json"
	"time"
)

// The Atlassian Statuspage v2 public API: the same paths, field names and
// enums as real pages, so that widgets, chat bots and monitoring tools that
// read them work unchanged. Fields vigil has no value for are null, as on
// real pages (custom_tweet, tweet_id, affected_components: vigil does not
// record a component status per update).

// v2MaxListed is how many incidents and maintenances the list documents
// hold, the most recent first, as on real pages.
const v2MaxListed = 50

type v2Page struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	TimeZone  string    `json:"time_zone"`
	UpdatedAt time.Time `json:"updated_at"`
}

type v2Status struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

type v2Component struct {
	ID                 string    `json:"id"`
	Name               string    `json:"name"`
	Status             string    `json:"status"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
	Position           int       `json:"position"`
	Description        *string   `json:"description"`
	Showcase           bool      `json:"showcase"`
	StartDate          *string   `json:"start_date"`
	GroupID            *string   `json:"group_id"`
	PageID             string    `json:"page_id"`
	Group              bool      `json:"group"`
	OnlyShowIfDegraded bool      `json:"only_show_if_degraded"`
	// Components lists a group's members; absent on other components.
	Components []string `json:"components,omitempty"`
}

type v2Update struct {
	ID                   string     `json:"id"`
	Status               string     `json:"status"`
	Body                 string     `json:"body"`
	IncidentID           string     `json:"incident_id"`
	CreatedAt            time.Time  `json:"created_at"`
	UpdatedAt            time.Time  `json:"updated_at"`
	DisplayAt            time.Time  `json:"display_at"`
	AffectedComponents   []struct{} `json:"affected_components"` // always null
	DeliverNotifications bool       `json:"deliver_notifications"`
	CustomTweet          *string    `json:"custom_tweet"`
	TweetID              *string    `json:"tweet_id"`
}

type v2Incident struct {
	ID              string        `json:"id"`
	Name            string        `json:"name"`
	Status          string        `json:"status"`
	CreatedAt       time.Time     `json:"created_at"`
	UpdatedAt       time.Time     `json:"updated_at"`
	MonitoringAt    *time.Time    `json:"monitoring_at"`
	ResolvedAt      *time.Time    `json:"resolved_at"`
	Impact          string        `json:"impact"`
	Shortlink       string        `json:"shortlink"`
	StartedAt       time.Time     `json:"started_at"`
	PageID          string        `json:"page_id"`
	IncidentUpdates []v2Update    `json:"incident_updates"`
	Components      []v2Component `json:"components"`
	// Maintenance only.
	ScheduledFor   *time.Time `json:"scheduled_for,omitempty"`
	ScheduledUntil *time.Time `json:"scheduled_until,omitempty"`
}

// v2Docs builds every JSON document of the API, by path.
type v2Docs struct {
	page       v2Page
	status     v2Status
	components []v2Component
	byID       map[string]v2Component
	incidents  []v2Incident // newest first
	maint      []v2Incident // latest start first, cancelled left out
	maintState []string     // status of maint[i]
}

// newV2Docs translates c into the API's shapes; created is when the page
// first saw the components (vigil keeps no creation time of its own).
func newV2Docs(s *site, c *content, at, created time.Time) *v2Docs {
	d := &v2Docs{
		page:   v2Page{ID: s.pageID, Name: s.title, URL: s.publicURL, TimeZone: s.loc.String(), UpdatedAt: at.UTC()},
		status: v2Status{Indicator: c.Indicator, Description: c.Description},
		byID:   map[string]v2Component{},
	}
	comp := func(id, name, desc, status, groupID string, since time.Time, pos int, group bool) v2Component {
		v := v2Component{
			ID: id, Name: name, Status: status, CreatedAt: created.UTC(), UpdatedAt: maxTime(created, since).UTC(),
			Position: pos, Showcase: !group, PageID: s.pageID, Group: group,
		}
		if desc != "" {
			v.Description = &desc
		}
		if groupID != "" {
			v.GroupID = &groupID
		}
		return v
	}
	for _, e := range c.Entries {
		if e.IsGroup() {
			g := comp(e.ID, e.Name, "", e.Status, "", e.Since, e.Position, true)
			g.Components = []string{}
			for _, m := range e.Members {
				g.Components = append(g.Components, c.Components[m].ID)
			}
			d.components = append(d.components, g)
		}
		for _, m := range e.Members {
			cv := c.Components[m]
			v := comp(cv.ID, cv.Name, cv.Description, cv.Status, cv.GroupID, cv.Since, cv.Position, false)
			d.components = append(d.components, v)
			d.byID[cv.ID] = v
		}
	}
	for i := range c.Incidents {
		d.incidents = append(d.incidents, d.incident(s, &c.Incidents[i]))
	}
	for i := range c.Maintenance {
		m := &c.Maintenance[i]
		if m.Status == maintCancelled {
			continue
		}
		d.maint = append(d.maint, d.maintenance(s, m))
		d.maintState = append(d.maintState, m.Status)
	}
	return d
}

func (d *v2Docs) incident(s *site, v *incidentView) v2Incident {
	out := v2Incident{
		ID: v.ID, Name: v.Title, Status: v.Status, CreatedAt: v.OpenedAt, UpdatedAt: v.UpdatedAt,
		MonitoringAt: v.MonitoringAt, ResolvedAt: v.ResolvedAt, Impact: v.Impact,
		Shortlink: s.publicURL + "/incidents/" + v.ID, StartedAt: v.OpenedAt, PageID: s.pageID,
		IncidentUpdates: d.updates(v.ID, v.Updates), Components: d.componentsOf(v.Components),
	}
	return out
}

func (d *v2Docs) maintenance(s *site, v *maintView) v2Incident {
	out := v2Incident{
		ID: v.ID, Name: v.Title, Status: v.Status, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
		Impact: ImpactMaintenance, Shortlink: s.publicURL + "/incidents/" + v.ID, StartedAt: v.Start, PageID: s.pageID,
		IncidentUpdates: d.updates(v.ID, v.Updates), Components: d.componentsOf(v.Components),
	}
	if v.Status == maintCompleted {
		t := v.EffectiveEnd
		out.ResolvedAt = &t
	}
	start, end := v.Start, v.End
	out.ScheduledFor, out.ScheduledUntil = &start, &end
	return out
}

func (d *v2Docs) updates(incidentID string, ups []updateView) []v2Update {
	out := make([]v2Update, 0, len(ups))
	for _, u := range ups {
		out = append(out, v2Update{
			ID: u.ID, Status: u.Status, Body: u.Message, IncidentID: incidentID,
			CreatedAt: u.At, UpdatedAt: u.At, DisplayAt: u.At, DeliverNotifications: u.Notify,
		})
	}
	return out
}

// componentsOf returns the components of ids that the page shows.
func (d *v2Docs) componentsOf(ids []string) []v2Component {
	out := []v2Component{}
	for _, id := range ids {
		if c, ok := d.byID[id]; ok {
			out = append(out, c)
		}
	}
	return out
}

// render returns every document of the API by path.
func (d *v2Docs) render() (map[string][]byte, error) {
	var unresolved []v2Incident
	for _, inc := range d.incidents {
		if inc.Status != incidentResolved {
			unresolved = append(unresolved, inc)
		}
	}
	var upcoming, active, current []v2Incident
	for i, m := range d.maint {
		switch d.maintState[i] {
		case maintScheduled:
			upcoming = append(upcoming, m)
			current = append(current, m)
		case maintInProgress:
			active = append(active, m)
			current = append(current, m)
		}
	}
	// Upcoming and active windows read best soonest first.
	reverse(upcoming)
	reverse(active)
	reverse(current)
	docs := map[string]any{
		"/api/v2/summary.json": struct {
			Page                  v2Page        `json:"page"`
			Components            []v2Component `json:"components"`
			Incidents             []v2Incident  `json:"incidents"`
			ScheduledMaintenances []v2Incident  `json:"scheduled_maintenances"`
			Status                v2Status      `json:"status"`
		}{d.page, nonNil(d.components), nonNil(unresolved), nonNil(current), d.status},
		"/api/v2/status.json": struct {
			Page   v2Page   `json:"page"`
			Status v2Status `json:"status"`
		}{d.page, d.status},
		"/api/v2/components.json": struct {
			Page       v2Page        `json:"page"`
			Components []v2Component `json:"components"`
		}{d.page, nonNil(d.components)},
		"/api/v2/incidents.json":                       incidentList{d.page, nonNil(first(d.incidents, v2MaxListed))},
		"/api/v2/incidents/unresolved.json":            incidentList{d.page, nonNil(unresolved)},
		"/api/v2/scheduled-maintenances.json":          maintenanceList{d.page, nonNil(first(d.maint, v2MaxListed))},
		"/api/v2/scheduled-maintenances/upcoming.json": maintenanceList{d.page, nonNil(upcoming)},
		"/api/v2/scheduled-maintenances/active.json":   maintenanceList{d.page, nonNil(active)},
	}
	out := make(map[string][]byte, len(docs))
	for path, doc := range docs {
		yield()
		b, err := json.Marshal(doc)
		if err != nil {
			return nil, err
		}
		out[path] = b
	}
	return out, nil
}

type incidentList struct {
	Page      v2Page       `json:"page"`
	Incidents []v2Incident `json:"incidents"`
}

type maintenanceList struct {
	Page                  v2Page       `json:"page"`
	ScheduledMaintenances []v2Incident `json:"scheduled_maintenances"`
}

// nonNil turns a nil list into an empty one: real pages send [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func first[T any](s []T, n int) []T { return s[:min(n, len(s))] }

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
