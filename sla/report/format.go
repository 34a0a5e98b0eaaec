package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigilmon/vigil/sla"
)

// Display helpers shared by the HTML and PDF renderings. They format the
// Result's numbers and never round up: a percentage is truncated, like the
// Result's own display strings.

// percentPPM formats ppm as a percentage truncated to three decimals:
// 998878 is "99.887%".
func percentPPM(ppm int64) string {
	return fmt.Sprintf("%d.%03d%%", ppm/10_000, ppm%10_000/10)
}

// targetPercent formats a target in ppm without trailing zeros: 999000 is
// "99.9%", 950000 is "95%".
func targetPercent(ppm int64) string {
	s := fmt.Sprintf("%d.%04d", ppm/10_000, ppm%10_000)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

// optPercent formats an optional ppm figure, "n/a" without data.
func optPercent(ppm *int64) string {
	if ppm == nil {
		return "n/a"
	}
	return percentPPM(*ppm)
}

// metText says whether a target was met; nil means there was no data.
func metText(met *bool) string {
	switch {
	case met == nil:
		return "No data"
	case *met:
		return "Met"
	}
	return "Not met"
}

// creditShort states the service credit owed, "10%"; creditNote
// qualifies it.
func creditShort(pct *int64) string {
	switch {
	case pct == nil:
		return "n/a"
	case *pct == 0:
		return "None"
	}
	return fmt.Sprintf("%d%%", *pct)
}

// creditNote qualifies creditShort.
func creditNote(pct *int64) string {
	switch {
	case pct == nil:
		return "no data, no credit computed"
	case *pct == 0:
		return "the target was met"
	}
	return "of the monthly fee"
}

// monthTitle turns "2026-10" into "October 2026".
func monthTitle(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return t.Format("January 2006")
}

// localTime formats a time in the report's zone with its abbreviation, with
// seconds only when it has any: "2026-10-14 09:58:30 CEST".
func localTime(t time.Time) string {
	if t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02 15:04 MST")
	}
	return t.Format("2006-01-02 15:04:05 MST")
}

// timeRange formats [from, to), leaving out what the end shares with the
// start: "2026-10-10 02:00–04:00 CEST", or in full across a date or zone
// change.
func timeRange(from, to time.Time) string {
	fz, _ := from.Zone()
	tz, _ := to.Zone()
	if from.Format(time.DateOnly) != to.Format(time.DateOnly) || fz != tz {
		return localTime(from) + " – " + localTime(to)
	}
	a, b := localTime(from), localTime(to)
	return strings.TrimSuffix(a, " "+fz) + "–" + strings.TrimPrefix(b, to.Format(time.DateOnly)+" ")
}

// timeAfter formats t for a reader who has just read ref: without the date
// when both share the date and zone ("03:40 CEST").
func timeAfter(ref, t time.Time) string {
	rz, _ := ref.Zone()
	tz, _ := t.Zone()
	if ref.Format(time.DateOnly) != t.Format(time.DateOnly) || rz != tz {
		return localTime(t)
	}
	return strings.TrimPrefix(localTime(t), t.Format(time.DateOnly)+" ")
}

// optTime formats an optional time, "" when absent.
func optTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return localTime(*t)
}

// duration formats whole seconds for people, truncated to the two largest
// units and without a zero second one: "13 min 28 s", "2 h 5 min", "3 d",
// "45 s".
func duration(sec int64) string {
	d, h, m, s := sec/86400, sec%86400/3600, sec%3600/60, sec%60
	two := func(a int64, au string, b int64, bu string) string {
		if b == 0 {
			return fmt.Sprintf("%d %s", a, au)
		}
		return fmt.Sprintf("%d %s %d %s", a, au, b, bu)
	}
	switch {
	case d > 0:
		return two(d, "d", h, "h")
	case h > 0:
		return two(h, "h", m, "min")
	case m > 0:
		return two(m, "min", s, "s")
	}
	return fmt.Sprintf("%d s", s)
}

// hours formats notice hours (already truncated to 0.01 h by sla).
func hours(h float64) string {
	return strconv.FormatFloat(h, 'f', -1, 64) + " h"
}

// count formats an integer with thousands separators: 44700 is "44,700".
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// millis formats a latency in ms: "1,621 ms".
func millis(ms int64) string { return count(ms) + " ms" }

// optMillis formats an optional latency, "n/a" when absent.
func optMillis(ms *int64) string {
	if ms == nil {
		return "n/a"
	}
	return millis(*ms)
}

// plannedText says whether a window was planned, or why not.
func plannedText(m sla.MaintenanceReport) string {
	if m.Planned {
		return "Planned: excluded"
	}
	return "Not planned: " + m.Reason
}

// periodText is the period with its zone: "2026-10-01 00:00 CEST to
// 2026-11-01 00:00 CET".
func periodText(res *sla.Result) string {
	return localTime(res.PeriodStart) + " to " + localTime(res.PeriodEnd)
}

// Footnotes explain how the figures were computed; both people formats show
// them.
var footnotes = []string{
	"Availability = up minutes / (up minutes + down minutes). Minutes excluded by planned maintenance leave the denominator; unmonitored minutes (no data from any check) count as neither up nor down.",
	"All percentages are truncated, never rounded up: 99.8999% shows as 99.899%. Whether a target is met is decided on the exact minute counts, not on the displayed figure.",
	"A maintenance window is planned when it was announced with the contractual notice and, where allowed maintenance hours apply, lies wholly inside them. Only planned windows exclude minutes, up to their actual end and within any monthly maintenance budget; unplanned maintenance counts like any other time, and maintenance on one component never hides an outage of another.",
	"A key screen's compliance is the share of its eligible observations that succeeded within the threshold (exactly the threshold is good); a timeout counts as slow. Observations in excluded minutes or in the screen's exclusion windows are left out. p50, p95 and p99 are by nearest rank over the successful observations.",
	"Times are local to the report's time zone; the period runs over real minutes, so a month with a daylight-saving change has an hour more or less.",
}
