package main

import (
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/vigilmon/vigil/alert/notify/twilio"
	"github.com/vigilmon/vigil/configs"
)

// defaultTemplates are the built-in SMS texts, one per event; config's
// alerting.templates overrides them one by one. They are GSM-7 (no curly
// quotes, dashes or emoji) and, fitted, at most two segments with the
// status page link kept whole at the end. The incident id and time make
// every text distinct, which the Twilio reconciliation relies on.
var defaultTemplates = map[string]string{
	"incident.opened":       `DOWN {{.Component}} since {{.Since}}: {{.Message}}{{if .Detail}} {{.Detail}}{{end}} [{{.ID}}] {{.URL}}`,
	"incident.updated":      `{{.Component}} update ({{.Status}}) {{.At}}: {{.Message}} [{{.ID}}] {{.URL}}`,
	"incident.resolved":     `RESOLVED {{.Component}} {{.At}}: {{.Message}} [{{.ID}}] {{.URL}}`,
	"incident.reminder":     `REMINDER {{.Component}} down since {{.Since}}, not acknowledged: vigil incident ack {{.ID}} {{.URL}}`,
	"maintenance.scheduled": `Planned maintenance of {{.Component}}: {{.Title}}, {{.Start}} to {{.End}}. {{.URL}}`,
	"maintenance.started":   `Maintenance of {{.Component}} has started: {{.Title}}, until {{.End}}. {{.URL}}`,
	"maintenance.completed": `Maintenance of {{.Component}} is complete: {{.Title}} ({{.At}}). {{.URL}}`,
}

// textData are the fields a template may use.
type textData struct {
	Event     string // incident.opened, maintenance.started, …
	ID        string // incident or maintenance window id
	Title     string
	Component string // the components' names, comma-separated
	Status    string // investigating, identified, monitoring, resolved
	Message   string // the incident's latest update
	Detail    string // which check failed where: on-call engineers only
	URL       string // the status page
	At        string // when this happened, "15:04 UTC"
	Since     string // when the incident opened, "15:04 UTC"
	Start     string // maintenance start, "Mon 2 Jan 15:04 UTC"
	End       string // maintenance end
}

// texts renders SMS texts from the templates.
type texts struct {
	tmpl map[string]*template.Template
	def  map[string]*template.Template
}

// newTexts parses the built-in templates and the overrides (validated by
// configs already).
func newTexts(overrides map[string]string) (*texts, error) {
	t := &texts{tmpl: map[string]*template.Template{}, def: map[string]*template.Template{}}
	for ev, src := range defaultTemplates {
		t.def[ev] = template.Must(template.New(ev).Parse(src))
		t.tmpl[ev] = t.def[ev]
	}
	for ev, src := range overrides {
		p, err := template.New(ev).Parse(src)
		if err != nil {
			return nil, fmt.Errorf("alerting.templates.%s: %w", ev, err)
		}
		t.tmpl[ev] = p
	}
	return t, nil
}

// render returns the fitted SMS text of d's event. A configured template
// that fails (a field that does not exist) falls back to the built-in one.
func (t *texts) render(d textData) (string, error) {
	tmpl, ok := t.tmpl[d.Event]
	if !ok {
		return "", fmt.Errorf("no template for event %s", d.Event)
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, d); err != nil {
		b.Reset()
		if derr := t.def[d.Event].Execute(&b, d); derr != nil {
			return "", fmt.Errorf("render %s: %w", d.Event, derr)
		}
		return twilio.Fit(strings.TrimSpace(b.String())), fmt.Errorf("template alerting.templates.%s: %w (sent the built-in text instead)", d.Event, err)
	}
	return twilio.Fit(strings.TrimSpace(b.String())), nil
}

// clockText formats t for a text: time of day in UTC.
func clockText(t time.Time) string { return t.UTC().Format("15:04 UTC") }

// dayText formats t for a text: day and time in UTC.
func dayText(t time.Time) string { return t.UTC().Format("Mon 2 Jan 15:04 UTC") }

// statusLink is the status page link in every text: the page's public
// URL, else Twilio's public URL + /status (the page answers there too),
// else the page's own listener or the API's, where the page is mounted.
func statusLink(cfg *configs.Config) string {
	switch sp := cfg.StatusPage; {
	case sp.PublicURL != "":
		return strings.TrimSuffix(sp.PublicURL, "/") + "/"
	case cfg.Alerting.Twilio.PublicURL != "":
		return strings.TrimSuffix(cfg.Alerting.Twilio.PublicURL, "/") + "/status"
	case sp.Listen != "":
		return "http://" + sp.Listen + "/"
	}
	return "http://" + cfg.Server.Listen + "/"
}
