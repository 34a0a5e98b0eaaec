package report

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vigilmon/vigil/sla"
)

// writeCSV renders res for spreadsheets: one table per section (summary,
// daily, maintenance, screens, incidents, latency_distribution), each
// preceded by a row holding only the section's name and followed by a blank
// line, then a header row. Numbers are unformatted (ppm and minutes as
// integers, next to the display strings), times RFC 3339 in the report's
// zone, lists joined with ";", and an absent value is an empty cell. Text
// that a spreadsheet would take for a formula is prefixed with "'".
func writeCSV(w io.Writer, res *sla.Result) error {
	cw := csv.NewWriter(w)
	for i, s := range csvSections(res) {
		if i > 0 {
			if err := cw.Write(nil); err != nil { // a blank line
				return err
			}
		}
		if err := cw.Write([]string{s.name}); err != nil {
			return err
		}
		if err := cw.WriteAll(s.rows); err != nil { // WriteAll flushes
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSection is one table: its name, then its header and data rows.
type csvSection struct {
	name string
	rows [][]string
}

// csvSections lays out res as tables.
func csvSections(res *sla.Result) []csvSection {
	m := res.Minutes
	summary := csvSection{"summary", [][]string{
		{"key", "value"},
		{"schema", res.Schema},
		{"customer", cell(res.Customer)},
		{"month", res.Month},
		{"timezone", res.Timezone},
		{"period_start", rfc3339(res.PeriodStart)},
		{"period_end", rfc3339(res.PeriodEnd)},
		{"minutes_total", itoa(m.Total)},
		{"minutes_excluded", itoa(m.Excluded)},
		{"minutes_down", itoa(m.Down)},
		{"minutes_unmonitored", itoa(m.Unmonitored)},
		{"minutes_up", itoa(m.Up)},
		{"availability_ppm", optInt(res.AvailabilityPPM)},
		{"availability", optString(res.Availability)},
		{"target_ppm", itoa(res.TargetPPM)},
		{"met", optBool(res.Met)},
		{"credit_percent", optInt(res.CreditPercent)},
	}}

	daily := csvSection{"daily", [][]string{{"date", "up", "down", "excluded", "unmonitored", "availability_ppm"}}}
	for _, d := range res.Daily {
		daily.rows = append(daily.rows, []string{d.Date, itoa(d.Up), itoa(d.Down), itoa(d.Excluded), itoa(d.Unmonitored), optInt(d.AvailabilityPPM)})
	}

	maint := csvSection{"maintenance", [][]string{{"id", "components", "start", "end", "actual_end", "announced_at", "notice_hours", "planned", "reason", "excluded_minutes"}}}
	for _, w := range res.Maintenance {
		actual := ""
		if w.ActualEnd != nil {
			actual = rfc3339(*w.ActualEnd)
		}
		maint.rows = append(maint.rows, []string{cell(w.ID), cell(strings.Join(w.Components, ";")), rfc3339(w.Start), rfc3339(w.End), actual,
			rfc3339(w.AnnouncedAt), strconv.FormatFloat(w.NoticeHours, 'f', -1, 64), strconv.FormatBool(w.Planned), cell(w.Reason), itoa(w.ExcludedMinutes)})
	}

	screens := csvSection{"screens", [][]string{{"check", "threshold_ms", "total", "good", "compliance_ppm", "compliance", "target_ppm", "met", "p50_ms", "p95_ms", "p99_ms"}}}
	dist := csvSection{"latency_distribution", [][]string{{"check", "up_to_ms", "count"}}}
	for _, s := range res.Screens {
		screens.rows = append(screens.rows, []string{cell(s.Check), itoa(s.ThresholdMS), itoa(s.Total), itoa(s.Good), optInt(s.CompliancePPM), optString(s.Compliance),
			itoa(s.TargetPPM), optBool(s.Met), optInt(s.P50MS), optInt(s.P95MS), optInt(s.P99MS)})
		for _, b := range s.Distribution {
			upTo := "" // the overflow bucket has no bound
			if b.UpToMS != math.MaxInt64 {
				upTo = itoa(b.UpToMS)
			}
			dist.rows = append(dist.rows, []string{cell(s.Check), upTo, itoa(b.Count)})
		}
	}

	incidents := csvSection{"incidents", [][]string{{"id", "title", "start", "end", "components", "duration_seconds", "counted_minutes"}}}
	for _, inc := range res.Incidents {
		end := ""
		if inc.End != nil {
			end = rfc3339(*inc.End)
		}
		incidents.rows = append(incidents.rows, []string{cell(inc.ID), cell(inc.Title), rfc3339(inc.Start), end,
			cell(strings.Join(inc.Components, ";")), itoa(inc.DurationSeconds), itoa(inc.CountedMinutes)})
	}
	return []csvSection{summary, daily, maint, screens, incidents, dist}
}

// cell guards free text against formula injection: a spreadsheet evaluates
// a cell starting with = + - @ (or a tab or carriage return before them), so
// such text gets a leading apostrophe, which spreadsheets show as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// rfc3339 formats t as the JSON rendering does (fractions only when present).
func rfc3339(t time.Time) string { return t.Format(time.RFC3339Nano) }

// itoa formats an integer unformatted, for spreadsheets.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// optInt, optString and optBool leave an absent value an empty cell.
func optInt(n *int64) string {
	if n == nil {
		return ""
	}
	return itoa(*n)
}

func optString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func optBool(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}
