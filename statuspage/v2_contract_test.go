package statuspage

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// The contract tests read the API as consumers of real Statuspage pages
// do: through structs shaped like theirs (nullable fields as pointers,
// times as time.Time), and through a shape check that holds every object
// to the exact key set, JSON types and enums real pages use. The shape
// check is first run on a sample shaped like a real page's summary.json
// (testdata/v2-sample-summary.json), so it is known to accept real pages.

type spPage struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	TimeZone  string    `json:"time_zone"`
	UpdatedAt time.Time `json:"updated_at"`
}

type spStatus struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

type spComponent struct {
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
	Components         []string  `json:"components"`
}

type spAffected struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	OldStatus string `json:"old_status"`
	NewStatus string `json:"new_status"`
}

type spUpdate struct {
	ID                   string       `json:"id"`
	Status               string       `json:"status"`
	Body                 string       `json:"body"`
	IncidentID           string       `json:"incident_id"`
	CreatedAt            time.Time    `json:"created_at"`
	UpdatedAt            time.Time    `json:"updated_at"`
	DisplayAt            *time.Time   `json:"display_at"`
	AffectedComponents   []spAffected `json:"affected_components"`
	DeliverNotifications bool         `json:"deliver_notifications"`
	CustomTweet          *string      `json:"custom_tweet"`
	TweetID              *string      `json:"tweet_id"`
}

type spIncident struct {
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
	IncidentUpdates []spUpdate    `json:"incident_updates"`
	Components      []spComponent `json:"components"`
	ScheduledFor    *time.Time    `json:"scheduled_for"`
	ScheduledUntil  *time.Time    `json:"scheduled_until"`
}

type spSummary struct {
	Page                  spPage        `json:"page"`
	Components            []spComponent `json:"components"`
	Incidents             []spIncident  `json:"incidents"`
	ScheduledMaintenances []spIncident  `json:"scheduled_maintenances"`
	Status                spStatus      `json:"status"`
}

// Key sets and enums of real pages.
var (
	spPageKeys      = []string{"id", "name", "url", "time_zone", "updated_at"}
	spStatusKeys    = []string{"indicator", "description"}
	spComponentKeys = []string{"id", "name", "status", "created_at", "updated_at", "position", "description", "showcase",
		"start_date", "group_id", "page_id", "group", "only_show_if_degraded"}
	spIncidentKeys = []string{"id", "name", "status", "created_at", "updated_at", "monitoring_at", "resolved_at", "impact",
		"shortlink", "started_at", "page_id", "incident_updates", "components"}
	spUpdateKeys = []string{"id", "status", "body", "incident_id", "created_at", "updated_at", "display_at",
		"affected_components", "deliver_notifications", "custom_tweet", "tweet_id"}

	spComponentStatuses   = []string{"operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"}
	spIndicators          = []string{"none", "minor", "major", "critical"}
	spIncidentStatuses    = []string{"investigating", "identified", "monitoring", "resolved", "postmortem"}
	spIncidentImpacts     = []string{"none", "minor", "major", "critical"}
	spMaintenanceStatuses = []string{"scheduled", "in_progress", "verifying", "completed"}
	// Real pages give maintenance the impact "maintenance" besides the others.
	spMaintenanceImpacts = []string{"none", "minor", "major", "critical", "maintenance"}
)

// spDocKeys are the top-level keys of each path's document.
var spDocKeys = map[string][]string{
	"/api/v2/summary.json":                         {"page", "components", "incidents", "scheduled_maintenances", "status"},
	"/api/v2/status.json":                          {"page", "status"},
	"/api/v2/components.json":                      {"page", "components"},
	"/api/v2/incidents.json":                       {"page", "incidents"},
	"/api/v2/incidents/unresolved.json":            {"page", "incidents"},
	"/api/v2/scheduled-maintenances.json":          {"page", "scheduled_maintenances"},
	"/api/v2/scheduled-maintenances/upcoming.json": {"page", "scheduled_maintenances"},
	"/api/v2/scheduled-maintenances/active.json":   {"page", "scheduled_maintenances"},
}

// shapeChecker collects what a document breaks of the real shape.
type shapeChecker struct {
	problems []string
	pageID   string
	compIDs  map[string]bool
	groupIDs map[string]bool
}

func (c *shapeChecker) errorf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// checkShape holds the decoded document doc of path to the real shape.
func checkShape(path string, raw []byte) []string {
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return []string{"not a JSON object: " + err.Error()}
	}
	c := &shapeChecker{compIDs: map[string]bool{}, groupIDs: map[string]bool{}}
	c.keys(path, doc, spDocKeys[path])
	if p, ok := doc["page"].(map[string]any); c.is(path+".page", doc["page"], ok) {
		c.keys(path+".page", p, spPageKeys)
		c.pageID, _ = p["id"].(string)
		for _, k := range []string{"id", "name", "time_zone"} {
			c.nonEmptyString(path+".page."+k, p[k])
		}
		c.absURL(path+".page.url", p["url"])
		c.timestamp(path+".page.updated_at", p["updated_at"], false)
		if z, _ := p["time_zone"].(string); z != "" {
			if _, err := time.LoadLocation(z); err != nil {
				c.errorf("%s.page.time_zone %q is not an IANA zone", path, z)
			}
		}
	}
	if s, ok := doc["status"]; ok {
		if m, ok := s.(map[string]any); c.is(path+".status", s, ok) {
			c.keys(path+".status", m, spStatusKeys)
			c.enum(path+".status.indicator", m["indicator"], spIndicators)
			c.nonEmptyString(path+".status.description", m["description"])
		}
	}
	if list, ok := doc["components"]; ok {
		comps := c.list(path+".components", list)
		for i, v := range comps {
			c.component(fmt.Sprintf("%s.components[%d]", path, i), v)
		}
		c.groupRefs(path, comps)
	}
	if list, ok := doc["incidents"]; ok {
		for i, v := range c.list(path+".incidents", list) {
			c.incident(fmt.Sprintf("%s.incidents[%d]", path, i), v, false)
		}
	}
	if list, ok := doc["scheduled_maintenances"]; ok {
		for i, v := range c.list(path+".scheduled_maintenances", list) {
			c.incident(fmt.Sprintf("%s.scheduled_maintenances[%d]", path, i), v, true)
		}
	}
	return c.problems
}

func (c *shapeChecker) component(p string, v any) {
	m, ok := v.(map[string]any)
	if !c.is(p, v, ok) {
		return
	}
	want := spComponentKeys
	if m["group"] == true {
		want = append(slices.Clone(want), "components")
	}
	c.keys(p, m, want)
	c.nonEmptyString(p+".id", m["id"])
	c.nonEmptyString(p+".name", m["name"])
	c.enum(p+".status", m["status"], spComponentStatuses)
	c.timestamp(p+".created_at", m["created_at"], false)
	c.timestamp(p+".updated_at", m["updated_at"], false)
	if n, ok := m["position"].(float64); !ok || n < 1 || n != float64(int(n)) {
		c.errorf("%s.position is %v, want a whole number from 1", p, m["position"])
	}
	c.stringOrNull(p+".description", m["description"])
	c.stringOrNull(p+".start_date", m["start_date"])
	c.stringOrNull(p+".group_id", m["group_id"])
	for _, k := range []string{"showcase", "group", "only_show_if_degraded"} {
		if _, ok := m[k].(bool); !ok {
			c.errorf("%s.%s is %v, want a boolean", p, k, m[k])
		}
	}
	if m["page_id"] != c.pageID {
		c.errorf("%s.page_id %v is not the page's id %q", p, m["page_id"], c.pageID)
	}
	if id, _ := m["id"].(string); id != "" {
		c.compIDs[id] = true
		if m["group"] == true {
			c.groupIDs[id] = true
		}
	}
}

// groupRefs checks that group_id names a group and a group's components
// exist.
func (c *shapeChecker) groupRefs(path string, comps []any) {
	for i, v := range comps {
		m, _ := v.(map[string]any)
		if g, ok := m["group_id"].(string); ok && !c.groupIDs[g] {
			c.errorf("%s.components[%d].group_id %q names no group", path, i, g)
		}
		members, _ := m["components"].([]any)
		for _, id := range members {
			if s, _ := id.(string); !c.compIDs[s] {
				c.errorf("%s.components[%d].components names %v, which is not a component", path, i, id)
			}
		}
	}
}

func (c *shapeChecker) incident(p string, v any, maintenance bool) {
	m, ok := v.(map[string]any)
	if !c.is(p, v, ok) {
		return
	}
	want, statuses, impacts := spIncidentKeys, spIncidentStatuses, spIncidentImpacts
	if maintenance {
		want, statuses, impacts = append(slices.Clone(spIncidentKeys), "scheduled_for", "scheduled_until"), spMaintenanceStatuses, spMaintenanceImpacts
		c.timestamp(p+".scheduled_for", m["scheduled_for"], false)
		c.timestamp(p+".scheduled_until", m["scheduled_until"], false)
	}
	c.keys(p, m, want)
	c.nonEmptyString(p+".id", m["id"])
	c.nonEmptyString(p+".name", m["name"])
	c.enum(p+".status", m["status"], statuses)
	c.enum(p+".impact", m["impact"], impacts)
	for _, k := range []string{"created_at", "updated_at", "started_at"} {
		c.timestamp(p+"."+k, m[k], false)
	}
	c.timestamp(p+".monitoring_at", m["monitoring_at"], true)
	c.timestamp(p+".resolved_at", m["resolved_at"], true)
	if (m["status"] == "resolved" || m["status"] == "completed") != (m["resolved_at"] != nil) {
		c.errorf("%s: resolved_at %v with status %v", p, m["resolved_at"], m["status"])
	}
	c.absURL(p+".shortlink", m["shortlink"])
	if m["page_id"] != c.pageID {
		c.errorf("%s.page_id %v is not the page's id %q", p, m["page_id"], c.pageID)
	}
	for i, u := range c.list(p+".incident_updates", m["incident_updates"]) {
		c.update(fmt.Sprintf("%s.incident_updates[%d]", p, i), u, m["id"], statuses)
	}
	for i, comp := range c.list(p+".components", m["components"]) {
		c.component(fmt.Sprintf("%s.components[%d]", p, i), comp)
	}
}

func (c *shapeChecker) update(p string, v any, incidentID any, statuses []string) {
	m, ok := v.(map[string]any)
	if !c.is(p, v, ok) {
		return
	}
	c.keys(p, m, spUpdateKeys)
	c.nonEmptyString(p+".id", m["id"])
	c.enum(p+".status", m["status"], statuses)
	if _, ok := m["body"].(string); !ok {
		c.errorf("%s.body is %v, want a string", p, m["body"])
	}
	if m["incident_id"] != incidentID {
		c.errorf("%s.incident_id %v is not its incident's id %v", p, m["incident_id"], incidentID)
	}
	for _, k := range []string{"created_at", "updated_at"} {
		c.timestamp(p+"."+k, m[k], false)
	}
	c.timestamp(p+".display_at", m["display_at"], true)
	if a := m["affected_components"]; a != nil {
		for i, e := range c.list(p+".affected_components", a) {
			em, ok := e.(map[string]any)
			if c.is(fmt.Sprintf("%s.affected_components[%d]", p, i), e, ok) {
				c.keys(fmt.Sprintf("%s.affected_components[%d]", p, i), em, []string{"code", "name", "old_status", "new_status"})
			}
		}
	}
	if _, ok := m["deliver_notifications"].(bool); !ok {
		c.errorf("%s.deliver_notifications is %v, want a boolean", p, m["deliver_notifications"])
	}
	c.stringOrNull(p+".custom_tweet", m["custom_tweet"])
	c.stringOrNull(p+".tweet_id", m["tweet_id"])
}

func (c *shapeChecker) is(p string, v any, ok bool) bool {
	if !ok {
		c.errorf("%s is %T, want an object", p, v)
	}
	return ok
}

func (c *shapeChecker) list(p string, v any) []any {
	l, ok := v.([]any)
	if !ok {
		c.errorf("%s is %v, want a list (never null)", p, v)
	}
	return l
}

func (c *shapeChecker) keys(p string, m map[string]any, want []string) {
	got := make([]string, 0, len(m))
	for k := range m {
		got = append(got, k)
	}
	sort.Strings(got)
	w := slices.Clone(want)
	sort.Strings(w)
	if !slices.Equal(got, w) {
		c.errorf("%s has keys %v, want %v", p, got, w)
	}
}

func (c *shapeChecker) enum(p string, v any, allowed []string) {
	if s, ok := v.(string); !ok || !slices.Contains(allowed, s) {
		c.errorf("%s is %v, want one of %v", p, v, allowed)
	}
}

func (c *shapeChecker) nonEmptyString(p string, v any) {
	if s, ok := v.(string); !ok || s == "" {
		c.errorf("%s is %v, want a non-empty string", p, v)
	}
}

func (c *shapeChecker) stringOrNull(p string, v any) {
	if _, ok := v.(string); !ok && v != nil {
		c.errorf("%s is %v, want a string or null", p, v)
	}
}

func (c *shapeChecker) timestamp(p string, v any, nullable bool) {
	if v == nil && nullable {
		return
	}
	s, ok := v.(string)
	if _, err := time.Parse(time.RFC3339, s); !ok || err != nil {
		c.errorf("%s is %v, want an ISO 8601 time", p, v)
	}
}

func (c *shapeChecker) absURL(p string, v any) {
	s, _ := v.(string)
	if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.errorf("%s is %v, want an absolute URL", p, v)
	}
}

// TestShapeCheckerOnRealShape shows the checker accepts a page shaped like
// a real one and rejects what real pages never send.
func TestShapeCheckerOnRealShape(t *testing.T) {
	raw, err := os.ReadFile("testdata/v2-sample-summary.json")
	if err != nil {
		t.Fatal(err)
	}
	if problems := checkShape("/api/v2/summary.json", raw); len(problems) > 0 {
		t.Fatalf("the sample of a real page fails the shape check:\n%s", strings.Join(problems, "\n"))
	}
	var s spSummary
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("the consumer structs do not read the sample: %v", err)
	}
	for name, broken := range map[string]string{
		"extra key":         strings.Replace(string(raw), `"showcase": false,`, `"showcase": false, "extra": 1,`, 1),
		"bad status":        strings.Replace(string(raw), `"status": "under_maintenance"`, `"status": "maintenance"`, 1),
		"null list":         strings.Replace(string(raw), `"components": []`, `"components": null`, 1),
		"foreign page id":   strings.Replace(string(raw), `"page_id": "q8bx1kfz7c2m",`, `"page_id": "other",`, 1),
		"numeric id":        strings.Replace(string(raw), `"id": "i4p8z2w6k0sd"`, `"id": 7`, 1),
		"unknown indicator": strings.Replace(string(raw), `"indicator": "major"`, `"indicator": "maintenance"`, 1),
	} {
		if problems := checkShape("/api/v2/summary.json", []byte(broken)); len(problems) == 0 {
			t.Errorf("%s: the shape check accepts it", name)
		}
	}
}

// TestV2ContractEveryPath checks every path of the API for the scenario:
// real shape, readable by a consumer, and the values the state calls for.
func TestV2ContractEveryPath(t *testing.T) {
	_, h := scenarioHandler(t)
	docs := map[string][]byte{}
	for path := range spDocKeys {
		w := get(h, http.MethodGet, path, nil)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
		docs[path] = w.Body.Bytes()
		if problems := checkShape(path, docs[path]); len(problems) > 0 {
			t.Errorf("%s breaks the real shape:\n%s", path, strings.Join(problems, "\n"))
		}
	}
	decode := func(path string, v any) {
		t.Helper()
		if err := json.Unmarshal(docs[path], v); err != nil {
			t.Fatalf("%s does not decode into a consumer's structs: %v", path, err)
		}
	}

	var sum spSummary
	decode("/api/v2/summary.json", &sum)
	wantPage := spPage{ID: sum.Page.ID, Name: "Acme", URL: "https://status.example.com", TimeZone: "Europe/Amsterdam", UpdatedAt: scenarioNow}
	if sum.Page != wantPage || len(sum.Page.ID) < 8 {
		t.Errorf("page = %+v, want %+v", sum.Page, wantPage)
	}
	if sum.Status != (spStatus{Indicator: "critical", Description: "Major System Outage"}) {
		t.Errorf("status = %+v", sum.Status)
	}
	type compWant struct {
		id, status, groupID string
		group               bool
		pos                 int
		members             []string
	}
	wantComps := []compWant{
		{"group-applications", "major_outage", "", true, 1, []string{"profit", "api"}},
		{"profit", "major_outage", "group-applications", false, 2, nil},
		{"api", "degraded_performance", "group-applications", false, 3, nil},
		{"group-infrastructure", "under_maintenance", "", true, 4, []string{"database"}},
		{"database", "under_maintenance", "group-infrastructure", false, 5, nil},
		{"website", "operational", "", false, 6, nil},
	}
	if len(sum.Components) != len(wantComps) {
		t.Fatalf("%d components, want %d", len(sum.Components), len(wantComps))
	}
	for i, w := range wantComps {
		c := sum.Components[i]
		gid := ""
		if c.GroupID != nil {
			gid = *c.GroupID
		}
		if c.ID != w.id || c.Status != w.status || gid != w.groupID || c.Group != w.group || c.Position != w.pos ||
			!slices.Equal(c.Components, w.members) || c.Showcase == w.group || c.OnlyShowIfDegraded || c.PageID != sum.Page.ID {
			t.Errorf("component %d = %+v, want %+v", i, c, w)
		}
	}
	if d := sum.Components[1].Description; d == nil || *d != "The Profit web application and its key screens." {
		t.Errorf("profit's description = %v", d)
	}
	if sum.Components[4].Description != nil {
		t.Error("a component without a description has one; want null")
	}

	if len(sum.Incidents) != 1 {
		t.Fatalf("summary incidents = %+v, want the one open incident", sum.Incidents)
	}
	inc := sum.Incidents[0]
	if inc.ID != "inc-open0001" || inc.Name != "Profit unavailable" || inc.Status != "identified" || inc.Impact != "critical" ||
		!inc.CreatedAt.Equal(at(-40*time.Minute)) || !inc.StartedAt.Equal(at(-40*time.Minute)) || !inc.UpdatedAt.Equal(at(-20*time.Minute)) ||
		inc.ResolvedAt != nil || inc.MonitoringAt != nil || inc.Shortlink != "https://status.example.com/incidents/inc-open0001" {
		t.Errorf("open incident = %+v", inc)
	}
	if len(inc.Components) != 1 || inc.Components[0].ID != "profit" || inc.Components[0].Status != "major_outage" {
		t.Errorf("open incident's components = %+v", inc.Components)
	}
	wantUpdates := []spUpdate{
		{ID: "inc-open0001-3", Status: "identified", Body: "A storage failure makes Profit unavailable; we are restoring it.", CreatedAt: at(-20 * time.Minute)},
		{ID: "inc-open0001-1", Status: "investigating", Body: "Profit is not working as expected. We are investigating.", CreatedAt: at(-40 * time.Minute)},
	}
	if len(inc.IncidentUpdates) != len(wantUpdates) {
		t.Fatalf("updates = %+v, want the two sent to customers (the on-call note left out)", inc.IncidentUpdates)
	}
	for i, w := range wantUpdates {
		u := inc.IncidentUpdates[i]
		if u.ID != w.ID || u.Status != w.Status || u.Body != w.Body || u.IncidentID != "inc-open0001" || !u.CreatedAt.Equal(w.CreatedAt) ||
			!u.UpdatedAt.Equal(w.CreatedAt) || u.DisplayAt == nil || !u.DisplayAt.Equal(w.CreatedAt) || !u.DeliverNotifications ||
			u.AffectedComponents != nil || u.CustomTweet != nil || u.TweetID != nil {
			t.Errorf("update %d = %+v, want %+v", i, u, w)
		}
	}
	// The summary holds the active and upcoming windows, soonest first.
	if ids := maintIDs(sum.ScheduledMaintenances); !slices.Equal(ids, []string{"mw-active01", "mw-next0001"}) {
		t.Errorf("summary maintenances = %v", ids)
	}

	var st struct {
		Page   spPage   `json:"page"`
		Status spStatus `json:"status"`
	}
	decode("/api/v2/status.json", &st)
	if st.Page != sum.Page || st.Status != sum.Status {
		t.Errorf("status.json = %+v, want the summary's page and status", st)
	}
	var comps struct {
		Page       spPage        `json:"page"`
		Components []spComponent `json:"components"`
	}
	decode("/api/v2/components.json", &comps)
	if len(comps.Components) != len(sum.Components) {
		t.Errorf("components.json has %d components, summary %d", len(comps.Components), len(sum.Components))
	}

	var incs, unresolved struct {
		Page      spPage       `json:"page"`
		Incidents []spIncident `json:"incidents"`
	}
	decode("/api/v2/incidents.json", &incs)
	if ids := incidentIDs(incs.Incidents); !slices.Equal(ids, []string{"inc-open0001", "inc-done0001"}) {
		t.Errorf("incidents.json = %v, want the public incidents newest first (the muted one left out)", ids)
	}
	done := incs.Incidents[1]
	if done.Status != "resolved" || done.Impact != "major" || done.ResolvedAt == nil || !done.ResolvedAt.Equal(at(-25*time.Hour)) ||
		done.MonitoringAt == nil || !done.MonitoringAt.Equal(at(-25*time.Hour-30*time.Minute)) || len(done.IncidentUpdates) != 3 ||
		done.IncidentUpdates[0].Status != "resolved" {
		t.Errorf("resolved incident = %+v", done)
	}
	decode("/api/v2/incidents/unresolved.json", &unresolved)
	if ids := incidentIDs(unresolved.Incidents); !slices.Equal(ids, []string{"inc-open0001"}) {
		t.Errorf("unresolved.json = %v", ids)
	}

	var all, upcoming, active struct {
		Page                  spPage       `json:"page"`
		ScheduledMaintenances []spIncident `json:"scheduled_maintenances"`
	}
	decode("/api/v2/scheduled-maintenances.json", &all)
	if ids := maintIDs(all.ScheduledMaintenances); !slices.Equal(ids, []string{"mw-next0001", "mw-active01", "mw-done0001"}) {
		t.Errorf("scheduled-maintenances.json = %v, want every window but the cancelled one, latest start first", ids)
	}
	decode("/api/v2/scheduled-maintenances/upcoming.json", &upcoming)
	if ids := maintIDs(upcoming.ScheduledMaintenances); !slices.Equal(ids, []string{"mw-next0001"}) {
		t.Errorf("upcoming.json = %v", ids)
	}
	decode("/api/v2/scheduled-maintenances/active.json", &active)
	if ids := maintIDs(active.ScheduledMaintenances); !slices.Equal(ids, []string{"mw-active01"}) {
		t.Fatalf("active.json = %v", ids)
	}
	m := active.ScheduledMaintenances[0]
	if m.Status != "in_progress" || m.Impact != "maintenance" || m.ScheduledFor == nil || !m.ScheduledFor.Equal(at(-30*time.Minute)) ||
		m.ScheduledUntil == nil || !m.ScheduledUntil.Equal(at(90*time.Minute)) || !m.StartedAt.Equal(at(-30*time.Minute)) ||
		m.ResolvedAt != nil || len(m.Components) != 1 || m.Components[0].ID != "database" ||
		len(m.IncidentUpdates) != 2 || m.IncidentUpdates[0].Status != "in_progress" || m.IncidentUpdates[1].Status != "scheduled" {
		t.Errorf("active maintenance = %+v", m)
	}
	completed := all.ScheduledMaintenances[2]
	if completed.Status != "completed" || completed.ResolvedAt == nil || !completed.ResolvedAt.Equal(at(-7*24*time.Hour+90*time.Minute)) ||
		completed.IncidentUpdates[0].Status != "completed" {
		t.Errorf("completed maintenance = %+v, want resolved at its actual end", completed)
	}
}

// TestV2EmptyLists: with nothing to report every list is [], never null.
func TestV2EmptyLists(t *testing.T) {
	f := newFakeSources()
	f.components = []Component{{ID: "web", Name: "Web", Checks: []Check{{Name: "web", Interval: time.Minute}}}}
	f.latest["web"] = Result{Start: scenarioNow, OK: true}
	p, _ := testPage(t, f, scenarioNow, "https://status.example.com", false)
	poll(p)
	for path := range spDocKeys {
		body := get(p.Handler(), http.MethodGet, path, nil).Body.Bytes()
		if problems := checkShape(path, body); len(problems) > 0 {
			t.Errorf("%s:\n%s", path, strings.Join(problems, "\n"))
		}
	}
	var s spSummary
	if err := json.Unmarshal(get(p.Handler(), http.MethodGet, "/api/v2/summary.json", nil).Body.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	if s.Status != (spStatus{"none", "All Systems Operational"}) || s.Components[0].Status != "operational" {
		t.Errorf("summary = %+v", s)
	}
}

func incidentIDs(l []spIncident) []string {
	var out []string
	for _, i := range l {
		out = append(out, i.ID)
	}
	return out
}

func maintIDs(l []spIncident) []string { return incidentIDs(l) }
