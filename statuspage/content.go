package statuspage

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// content is everything the page shows, derived from the sources at one
// moment. Its hash decides whether anything needs rendering again, so it
// holds no render time and nothing that changes without a visible effect.
type content struct {
	Indicator, Description string
	// Entries are the rows of the page in order: a group with its members,
	// or one component without a group.
	Entries    []entryView
	Components []componentView // every component, in page order
	Screens    []screenView
	// Incidents are the public incidents of the history window, newest
	// first; Maintenance every window of the window, cancelled included,
	// latest start first.
	Incidents   []incidentView
	Maintenance []maintView
	// HasBars is false until the availability is first known.
	HasBars bool
}

// entryView is a row of the page: a group (ID set) or a lone component.
type entryView struct {
	ID, Name, Status string // the group's; empty for a lone component
	Since            time.Time
	Position         int
	Members          []int // indexes into content.Components
}

// IsGroup reports whether the entry is a group of components.
func (e entryView) IsGroup() bool { return e.ID != "" }

// componentView is one component as the page and the API show it.
type componentView struct {
	ID, Name, Description string
	Group, GroupID        string // "" without a group
	Status                string
	Since                 time.Time
	Position              int
	// Bars are nil until the availability is known; hashContent takes
	// them in binary, not as JSON.
	Bars   []barView `json:"-"`
	Uptime string
}

// inputs are the sources' answers at one moment.
type inputs struct {
	now        time.Time
	loc        *time.Location
	components []Component
	latest     LatestResults
	incidents  []Incident
	maint      []Maintenance
	// daily holds, per component id and local date (2006-01-02), the
	// minutes; nil while unknown.
	daily map[string]map[string]DayMinutes
	// screens holds the key screens' stats by check; nil while unknown.
	screens map[string]screenStat
}

// screenStat is what the slow poll learnt about a key screen.
type screenStat struct {
	P95        *time.Duration
	Count      int
	RecentSlow bool
}

// build derives the content from in; statuses' Since is left for the
// caller, who remembers when each status began.
func build(in *inputs) *content {
	c := &content{HasBars: in.daily != nil}
	nameOf := map[string]string{}
	for _, comp := range in.components {
		nameOf[comp.ID] = comp.Name
	}

	maintained := map[string]bool{}
	for i := range in.maint {
		m := &in.maint[i]
		if inForce(m, in.now) {
			for _, id := range m.Components {
				maintained[id] = true
			}
		}
		c.Maintenance = append(c.Maintenance, viewMaintenance(m, in.now, nameOf))
	}
	slices.SortStableFunc(c.Maintenance, func(a, b maintView) int { return b.Start.Compare(a.Start) })

	var public []*Incident
	openOn := map[string]bool{}
	for i := range in.incidents {
		inc := &in.incidents[i]
		if !isPublic(inc) {
			continue
		}
		public = append(public, inc)
		if inc.Status != incidentResolved {
			for _, id := range inc.Components {
				openOn[id] = true
			}
		}
	}

	slow := map[string]bool{}
	for _, comp := range in.components {
		for _, ch := range comp.Checks {
			if ch.Threshold <= 0 {
				continue
			}
			s := screenView{Check: ch.Name, Component: comp.Name, Threshold: ch.Threshold}
			if st, ok := in.screens[ch.Name]; ok {
				s.P95, s.Count, s.RecentSlow = st.P95, st.Count, st.RecentSlow
				slow[comp.ID] = slow[comp.ID] || st.RecentSlow
			}
			c.Screens = append(c.Screens, s)
		}
	}

	statusOf := map[string]string{}
	for _, comp := range in.components {
		ci := componentInputs{inMaintenance: maintained[comp.ID], openIncident: openOn[comp.ID], slow: slow[comp.ID]}
		for _, ch := range comp.Checks {
			r, ok := in.latest.Latest(ch.Name)
			if !ok || !recent(r.Start, in.now, ch.Interval) {
				continue
			}
			ci.checks++
			if !r.OK {
				ci.failing++
			}
		}
		statusOf[comp.ID] = componentStatus(ci)
	}
	c.layout(in, statusOf)

	var impacts []string
	for _, inc := range public {
		v := viewIncident(inc, statusOf, nameOf)
		if v.Open() {
			impacts = append(impacts, v.Impact)
		}
		c.Incidents = append(c.Incidents, v)
	}
	slices.SortStableFunc(c.Incidents, func(a, b incidentView) int { return b.OpenedAt.Compare(a.OpenedAt) })

	statuses := make([]string, 0, len(c.Components))
	for _, cv := range c.Components {
		statuses = append(statuses, cv.Status)
	}
	c.Indicator, c.Description = overall(statuses, impacts)
	return c
}

// layout puts the components in page order: a group where its first
// member is in the catalog, its members after it; each component with
// its status and its bars.
func (c *content) layout(in *inputs, statusOf map[string]string) {
	days := dayStarts(in.now.In(in.loc), barDays)
	dates := make([]string, len(days)) // the days' keys in in.daily, the same for every component
	for i, d := range days {
		dates[i] = d.Format(time.DateOnly)
	}
	taken := map[string]bool{}
	for _, comp := range in.components {
		taken[comp.ID] = true
	}
	groupAt := map[string]int{} // group name -> index in c.Entries
	for _, comp := range in.components {
		cv := componentView{ID: comp.ID, Name: comp.Name, Description: comp.Description, Group: comp.Group, Status: statusOf[comp.ID]}
		if in.daily != nil {
			cv.Bars = barsOf(in.daily[comp.ID], days, dates)
			cv.Uptime = uptime(cv.Bars)
		}
		idx := len(c.Components)
		if comp.Group == "" {
			c.Components = append(c.Components, cv)
			c.Entries = append(c.Entries, entryView{Members: []int{idx}})
			continue
		}
		gi, ok := groupAt[comp.Group]
		if !ok {
			gi = len(c.Entries)
			groupAt[comp.Group] = gi
			c.Entries = append(c.Entries, entryView{ID: groupID(comp.Group, taken), Name: comp.Group})
		}
		cv.GroupID = c.Entries[gi].ID
		c.Components = append(c.Components, cv)
		c.Entries[gi].Members = append(c.Entries[gi].Members, idx)
	}
	for i := range c.Entries {
		e := &c.Entries[i]
		if !e.IsGroup() {
			continue
		}
		var sts []string
		for _, m := range e.Members {
			sts = append(sts, c.Components[m].Status)
		}
		e.Status = worst(sts...)
	}
	// Positions run through the page: a group, then its members.
	pos := 0
	for i := range c.Entries {
		e := &c.Entries[i]
		if e.IsGroup() {
			pos++
			e.Position = pos
		}
		for _, m := range e.Members {
			pos++
			c.Components[m].Position = pos
		}
	}
}

// barsOf lines a component's daily minutes up with the days shown, whose
// keys in byDate are dates.
func barsOf(byDate map[string]DayMinutes, days []time.Time, dates []string) []barView {
	bars := make([]barView, len(days))
	for i, d := range days {
		bars[i] = barView{Date: d, DayMinutes: byDate[dates[i]], Today: i == len(days)-1}
	}
	return bars
}

// groupID gives a group a stable id of its name that no component or
// other group has: "group-" and its name in lower case, letters and
// digits kept, the rest as dashes.
func groupID(name string, taken map[string]bool) string {
	var sb strings.Builder
	sb.WriteString("group-")
	dash := true // the prefix ends in one
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			sb.WriteRune(r)
			dash = false
		} else if !dash {
			sb.WriteByte('-')
			dash = true
		}
	}
	base := strings.TrimRight(sb.String(), "-")
	id := base
	for n := 2; taken[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	taken[id] = true
	return id
}
