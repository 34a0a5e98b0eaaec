package statuspage

import (
	"encoding/xml"
	"html"
	"net/url"
	"slices"
	"strings"
	"time"
)

// atomMaxEntries bounds the feed to the most recently updated entries.
const atomMaxEntries = 50

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	ID        string         `xml:"id"`
	Title     string         `xml:"title"`
	Published string         `xml:"published"`
	Updated   string         `xml:"updated"`
	Link      atomLink       `xml:"link"`
	Category  []atomCategory `xml:"category"`
	Content   atomText       `xml:"content"`

	updated time.Time
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// renderAtom writes the feed of incidents and maintenance: one entry per
// incident or window, its id a tag URI of the page's host, the opening
// date and the incident's own id, so that it never changes; its content the
// shown timeline, newest first.
func renderAtom(s *site, c *content, at time.Time) ([]byte, error) {
	nameOf := c.componentNames()
	var entries []atomEntry
	for i := range c.Incidents {
		v := &c.Incidents[i]
		entries = append(entries, s.atomEntry(v.ID, v.Title, "incident", v.OpenedAt, v.UpdatedAt,
			timelineHTML(s, v.Updates, incidentStatusText, v.Components, nameOf)))
	}
	for i := range c.Maintenance {
		v := &c.Maintenance[i]
		title := "Maintenance: " + v.Title
		if v.Status == maintCancelled {
			title = "Cancelled maintenance: " + v.Title
		}
		body := "<p>Scheduled from " + html.EscapeString(s.fmtTime(v.Start)) + " to " + html.EscapeString(s.fmtTime(v.End)) + ".</p>" +
			timelineHTML(s, v.Updates, maintenanceStatusText, v.Components, nameOf)
		entries = append(entries, s.atomEntry(v.ID, title, "maintenance", v.CreatedAt, v.UpdatedAt, body))
	}
	slices.SortStableFunc(entries, func(a, b atomEntry) int { return b.updated.Compare(a.updated) })
	entries = first(entries, atomMaxEntries)
	updated := at
	if len(entries) > 0 {
		updated = entries[0].updated
	}
	f := atomFeed{
		ID:      s.publicURL + "/history.atom",
		Title:   s.title + " status history",
		Updated: updated.UTC().Format(time.RFC3339),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: s.publicURL + "/history.atom"},
			{Rel: "alternate", Type: "text/html", Href: s.publicURL + "/history"},
		},
		Author:  atomPerson{Name: s.title, URI: s.publicURL},
		Entries: entries,
	}
	b, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

func (s *site) atomEntry(id, title, kind string, published, updated time.Time, body string) atomEntry {
	return atomEntry{
		ID:        s.tagURI(published, id),
		Title:     title,
		Published: published.UTC().Format(time.RFC3339),
		Updated:   updated.UTC().Format(time.RFC3339),
		Link:      atomLink{Rel: "alternate", Type: "text/html", Href: s.publicURL + "/incidents/" + id},
		Category:  []atomCategory{{Term: kind}},
		Content:   atomText{Type: "html", Body: body},
		updated:   updated,
	}
}

// tagURI is an RFC 4151 tag of the page's host: stable as long as the host
// is, whatever the page's title or the entry's state.
func (s *site) tagURI(date time.Time, id string) string {
	host := "localhost"
	if u, err := url.Parse(s.publicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "tag:" + host + "," + date.UTC().Format(time.DateOnly) + ":" + id
}

// timelineHTML writes a timeline as Statuspage's feeds do: per update its
// time, status and text; then the affected components.
func timelineHTML(s *site, ups []updateView, statusWord func(string) string, components []string, nameOf map[string]string) string {
	var sb strings.Builder
	for _, u := range ups {
		sb.WriteString("<p><small>" + html.EscapeString(s.fmtTime(u.At)) + "</small><br><strong>" +
			html.EscapeString(statusWord(u.Status)) + "</strong> - " + html.EscapeString(u.Message) + "</p>")
	}
	if len(components) > 0 {
		sb.WriteString("<p>Affected components: " + html.EscapeString(componentNames(components, nameOf)) + "</p>")
	}
	return sb.String()
}

// componentNames maps each component id to its name.
func (c *content) componentNames() map[string]string {
	m := make(map[string]string, len(c.Components))
	for _, cv := range c.Components {
		m[cv.ID] = cv.Name
	}
	return m
}

// incidentStatusText is an incident status as people read it.
func incidentStatusText(s string) string {
	switch s {
	case "investigating":
		return "Investigating"
	case "identified":
		return "Identified"
	case "monitoring":
		return "Monitoring"
	case "resolved":
		return "Resolved"
	case "postmortem":
		return "Postmortem"
	}
	return s
}

// maintenanceStatusText is a maintenance status as people read it.
func maintenanceStatusText(s string) string {
	switch s {
	case maintScheduled:
		return "Scheduled"
	case maintInProgress:
		return "In progress"
	case maintCompleted:
		return "Completed"
	case maintCancelled:
		return "Cancelled"
	}
	return s
}
