package report

import (
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/vigilmon/vigil/sla"
)

// The HTML rendering: one self-contained page (inline CSS and SVG, no
// scripts, nothing fetched) from an embedded html/template.

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"words": strings.Fields,
}).Parse(htmlSource))

// writeHTML renders res as an HTML page.
func writeHTML(w io.Writer, res *sla.Result) error {
	return htmlTemplate.Execute(w, newHTMLView(res))
}

// htmlView is what the template shows, every figure already formatted.
type htmlView struct {
	Res          *sla.Result
	MonthTitle   string
	Period       string
	Availability string
	Target       string
	Status       status
	Credit       string
	CreditNote   string
	Minutes      []figure
	Daily        *svgChart
	DailyRows    []dayRow
	Screens      []screenView
	Maintenance  []maintenanceRow
	Incidents    []incidentRow
	Unmonitored  string
	Footnotes    []string
}

// status is a met/not met verdict with the CSS class that colours it.
type status struct{ Text, Class string }

func newStatus(met *bool) status {
	switch {
	case met == nil:
		return status{metText(met), "nodata"}
	case *met:
		return status{metText(met), "met"}
	}
	return status{metText(met), "missed"}
}

// figure is a labelled value.
type figure struct{ Label, Value string }

type dayRow struct {
	Date, Availability, Up, Down, Excluded, Unmonitored string
}

type screenView struct {
	Check      string
	Compliance string
	Target     string
	Status     status
	Figures    []figure
	Chart      *svgChart
}

type maintenanceRow struct {
	ID, Components, Scheduled, ActualEnd, Announced, Notice, Verdict, Excluded string
	Planned                                                                    bool
}

type incidentRow struct {
	ID, Title, Start, End, Duration, Components, Counted string
}

func newHTMLView(res *sla.Result) *htmlView {
	v := &htmlView{
		Res:          res,
		MonthTitle:   monthTitle(res.Month),
		Period:       periodText(res),
		Availability: optPercent(res.AvailabilityPPM),
		Target:       targetPercent(res.TargetPPM),
		Status:       newStatus(res.Met),
		Credit:       creditShort(res.CreditPercent),
		CreditNote:   creditNote(res.CreditPercent),
		Unmonitored:  unmonitoredText(res),
		Footnotes:    footnotes,
	}
	if res.Availability != nil {
		v.Availability = *res.Availability
	}
	m := res.Minutes
	v.Minutes = []figure{
		{"Minutes in the period", count(m.Total)},
		{"Up", count(m.Up)},
		{"Down", count(m.Down)},
		{"Excluded (planned maintenance)", count(m.Excluded)},
		{"Unmonitored", count(m.Unmonitored)},
	}
	if len(res.Daily) > 0 {
		c := newDailyChart(res)
		v.Daily = dailySVG(c, "Daily availability, "+v.MonthTitle, v.Target)
		v.Daily.Desc = fmt.Sprintf("One bar per day on an axis from %s to 100%%; the target %s is a dashed line. %s",
			targetPercent(c.FloorPPM), v.Target, lowestDay(res))
	}
	for _, d := range res.Daily {
		v.DailyRows = append(v.DailyRows, dayRow{d.Date, optPercent(d.AvailabilityPPM),
			count(d.Up), count(d.Down), count(d.Excluded), count(d.Unmonitored)})
	}
	for _, s := range res.Screens {
		v.Screens = append(v.Screens, newScreenView(s))
	}
	for _, w := range res.Maintenance {
		v.Maintenance = append(v.Maintenance, maintenanceRow{
			ID: w.ID, Components: strings.Join(w.Components, ", "),
			Scheduled: timeRange(w.Start, w.End),
			ActualEnd: cmp.Or(optTime(w.ActualEnd), "—"), Announced: localTime(w.AnnouncedAt),
			Notice: hours(w.NoticeHours), Verdict: plannedText(w), Planned: w.Planned,
			Excluded: count(w.ExcludedMinutes),
		})
	}
	for _, inc := range res.Incidents {
		end := "ongoing"
		if inc.End != nil {
			end = localTime(*inc.End)
		}
		v.Incidents = append(v.Incidents, incidentRow{
			ID: inc.ID, Title: inc.Title, Start: localTime(inc.Start), End: end,
			Duration: duration(inc.DurationSeconds), Components: strings.Join(inc.Components, ", "),
			Counted: count(inc.CountedMinutes),
		})
	}
	return v
}

func newScreenView(s sla.ScreenReport) screenView {
	v := screenView{
		Check:      s.Check,
		Compliance: optPercent(s.CompliancePPM),
		Target:     targetPercent(s.TargetPPM),
		Status:     newStatus(s.Met),
		Figures: []figure{
			{"Threshold", millis(s.ThresholdMS)},
			{"Within threshold", count(s.Good) + " of " + count(s.Total)},
			{"p50", optMillis(s.P50MS)},
			{"p95", optMillis(s.P95MS)},
			{"p99", optMillis(s.P99MS)},
		},
	}
	if s.Compliance != nil {
		v.Compliance = *s.Compliance
	}
	if c := newLatencyChart(s); c != nil {
		v.Chart = latencySVG(c, "Latency distribution of "+s.Check, s.ThresholdMS)
		v.Chart.Desc = latencyDesc(s, c)
		v.Figures = append(v.Figures, figure{"Timeouts", count(c.Timeouts)})
	}
	return v
}

// latencyDesc describes a latency chart in words.
func latencyDesc(s sla.ScreenReport, c *latencyChart) string {
	d := fmt.Sprintf("Successful observations by duration in steps of %d ms, the highest bar %s observations; threshold %s",
		sla.BucketMS, count(c.MaxCount), millis(s.ThresholdMS))
	if s.P95MS != nil {
		d += "; p95 " + millis(*s.P95MS)
	}
	return d + fmt.Sprintf("; %s timeouts are not shown.", count(c.Timeouts))
}

// lowestDay names the day with the lowest availability, if any.
func lowestDay(res *sla.Result) string {
	var low *sla.Day
	for i, d := range res.Daily {
		if d.AvailabilityPPM != nil && (low == nil || *d.AvailabilityPPM < *low.AvailabilityPPM) {
			low = &res.Daily[i]
		}
	}
	if low == nil {
		return "No day has data."
	}
	return "Lowest day: " + dayText(*low) + "."
}

// unmonitoredText says how many minutes had no data.
func unmonitoredText(res *sla.Result) string {
	n := res.Minutes.Unmonitored
	if n == 0 {
		return "Every minute of the period was monitored."
	}
	return fmt.Sprintf("%s minutes of the period had no data from any check (for example during a monitoring outage). They are left out of the availability: counted neither up nor down.", count(n))
}
