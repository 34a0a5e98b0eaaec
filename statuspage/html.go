package statuspage

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strconv"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var styleCSS []byte

// site is what every rendering shares: the page's settings.
type site struct {
	title, publicURL, pageID, logo string
	loc                            *time.Location
	subscribe                      bool
	version                        string // of the stylesheets, for their links
}

// fmtTime writes t for people in the page's zone: "5 Oct 2026 14:03 CEST".
func (s *site) fmtTime(t time.Time) string { return t.In(s.loc).Format("2 Jan 2006 15:04 MST") }

// siteView is the part of site the templates read.
type siteView struct {
	Title, Logo, Zone, Version string
	Subscribe                  bool
}

// htmlView is the data of every HTML template.
type htmlView struct {
	Site      siteView
	C         *content
	Updated   time.Time
	PageTitle string

	// The home page.
	Banner                     string
	Active, Recent             []incidentView
	MaintActive, MaintUpcoming []maintView

	// The history pages.
	History        []incidentView
	PageNum, Pages int
	PrevHref       string
	NextPage       int
	Incident       *incidentView
	Maint          *maintView

	// bars is the markup of C.Components' bars, by index (home page only).
	bars []template.HTML
}

// componentRow is what the component template shows of one component.
type componentRow struct {
	componentView
	BarsHTML template.HTML // the list items of Bars
}

// Component returns C.Components[i] with the markup of its bars.
func (v *htmlView) Component(i int) componentRow {
	return componentRow{v.C.Components[i], v.bars[i]}
}

// templates holds one parsed set per page kind.
type templates struct {
	index, history, incident, notFound *template.Template
}

func parseTemplates(s *site) (*templates, error) {
	funcs := template.FuncMap{
		"when":           s.fmtTime,
		"iso":            func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"statusText":     statusText,
		"incidentStatus": incidentStatusText,
		"maintStatus":    maintenanceStatusText,
		"ms":             fmtLatency,
	}
	parse := func(page string) (*template.Template, error) {
		t, err := template.New(page).Funcs(funcs).ParseFS(templateFS, "templates/base.html", "templates/partials.html", "templates/"+page)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", page, err)
		}
		return t, nil
	}
	var ts templates
	var err error
	for _, p := range []struct {
		t    **template.Template
		name string
	}{{&ts.index, "index.html"}, {&ts.history, "history.html"}, {&ts.incident, "incident.html"}, {&ts.notFound, "notfound.html"}} {
		if *p.t, err = parse(p.name); err != nil {
			return nil, err
		}
	}
	return &ts, nil
}

func execute(t *template.Template, v *htmlView) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&yieldingWriter{w: &buf}, "base", v); err != nil {
		return nil, fmt.Errorf("render %s: %w", t.Name(), err)
	}
	return buf.Bytes(), nil
}

// view starts the data of a page. Only the home page says when the state
// last changed: the other pages keep their bytes, and so their ETag and
// Last-Modified, until what they show changes.
func (s *site) view(c *content, title string) htmlView {
	return htmlView{
		Site:      siteView{Title: s.title, Logo: s.logo, Zone: s.loc.String(), Version: s.version, Subscribe: s.subscribe},
		C:         c,
		PageTitle: title,
	}
}

// bannerClass is the colour of the overall banner.
func bannerClass(c *content) string {
	switch c.Indicator {
	case IndicatorCritical:
		return "major"
	case IndicatorMajor:
		return "partial"
	case IndicatorMinor:
		return "degraded"
	}
	for _, cv := range c.Components {
		if cv.Status == StatusMaintenance {
			return "maint"
		}
	}
	return "operational"
}

// recentDays is how long a resolved incident stays on the home page.
const recentDays = 7

// historyPerPage is the number of incidents per history page.
const historyPerPage = 10

// renderHTML renders the home page, the history pages and one page per
// incident and window, by request key (path, and ?page=N after the first
// history page). bars is the markup of c.Components' bars, by index.
func renderHTML(s *site, ts *templates, c *content, bars []template.HTML, at, now time.Time) (map[string][]byte, error) {
	out := map[string][]byte{}
	home := s.view(c, "")
	home.Updated = at
	home.bars = bars
	home.Banner = bannerClass(c)
	for _, inc := range c.Incidents {
		switch {
		case inc.Open():
			home.Active = append(home.Active, inc)
		case inc.ResolvedAt != nil && now.Sub(*inc.ResolvedAt) <= recentDays*24*time.Hour:
			home.Recent = append(home.Recent, inc)
		}
	}
	// c.Maintenance runs latest start first: walk it backwards, soonest first.
	for i := len(c.Maintenance) - 1; i >= 0; i-- {
		switch m := c.Maintenance[i]; m.Status {
		case maintInProgress:
			home.MaintActive = append(home.MaintActive, m)
		case maintScheduled:
			home.MaintUpcoming = append(home.MaintUpcoming, m)
		}
	}
	b, err := execute(ts.index, &home)
	if err != nil {
		return nil, err
	}
	out["/"] = b

	pages := max(1, (len(c.Incidents)+historyPerPage-1)/historyPerPage)
	for n := 1; n <= pages; n++ {
		v := s.view(c, "Incident history")
		v.History = c.Incidents[(n-1)*historyPerPage : min(n*historyPerPage, len(c.Incidents))]
		v.PageNum, v.Pages, v.NextPage = n, pages, n+1
		v.PrevHref = historyKey(n - 1)
		if v.PageNum > 1 {
			v.PageTitle = "Incident history, page " + strconv.Itoa(n)
		}
		if b, err = execute(ts.history, &v); err != nil {
			return nil, err
		}
		out[historyKey(n)] = b
	}

	for i := range c.Incidents {
		v := s.view(c, c.Incidents[i].Title)
		v.Incident = &c.Incidents[i]
		if b, err = execute(ts.incident, &v); err != nil {
			return nil, err
		}
		out["/incidents/"+c.Incidents[i].ID] = b
	}
	for i := range c.Maintenance {
		if c.Maintenance[i].Status == maintCancelled {
			continue
		}
		v := s.view(c, c.Maintenance[i].Title)
		v.Maint = &c.Maintenance[i]
		if b, err = execute(ts.incident, &v); err != nil {
			return nil, err
		}
		out["/incidents/"+c.Maintenance[i].ID] = b
	}
	nf := s.view(c, "Page not found")
	if b, err = execute(ts.notFound, &nf); err != nil {
		return nil, err
	}
	out[notFoundKey] = b
	return out, nil
}

// notFoundKey is the key of the page for unknown addresses; no request
// path can name it.
const notFoundKey = "404"

// historyKey is the request key of history page n (1 for the first).
func historyKey(n int) string {
	if n <= 1 {
		return "/history"
	}
	return "/history?page=" + strconv.Itoa(n)
}

// fmtLatency writes a screen time for people to the millisecond, so that
// it compares exactly with its threshold: "850 ms", "2.004 s".
func fmtLatency(d time.Duration) string {
	ms := d.Round(time.Millisecond).Milliseconds()
	if ms < 1000 {
		return strconv.FormatInt(ms, 10) + " ms"
	}
	return fmt.Sprintf("%d.%03d s", ms/1000, ms%1000)
}
