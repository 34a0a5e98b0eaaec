package statuspage

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// barDays is how many days of availability each component shows.
const barDays = 90

// barView is one day of a component's availability bar.
type barView struct {
	Date time.Time // local midnight
	DayMinutes
	Today bool
}

// appendKey appends everything of the bar to dst, for hashContent: keep
// it in step with barView's fields. The date goes in as its instant and
// offset, which fix its wall clock, all that its markup shows of it.
func (b barView) appendKey(dst []byte) []byte {
	_, offset := b.Date.Zone()
	dst = binary.AppendVarint(dst, b.Date.Unix())
	dst = binary.AppendVarint(dst, int64(offset))
	dst = binary.AppendVarint(dst, int64(b.Date.Nanosecond()))
	for _, n := range []int64{b.Up, b.Down, b.Excluded, b.NoData} {
		dst = binary.AppendVarint(dst, n)
	}
	if b.Today {
		return append(dst, 1)
	}
	return append(dst, 0)
}

// Bar classes, from no data to the worst.
const (
	barNoData      = "none"
	barOK          = "ok"
	barMaintenance = "maint"
	barMinor       = "minor"
	barPartial     = "partial"
	barMajor       = "major"
)

// Class sorts the day for its colour: any down minute colours it by how
// much was lost (under 1%: minor, under 5%: partial, more: major); a day
// with maintenance and no down minute shows maintenance.
func (b barView) Class() string {
	switch {
	case b.Up+b.Down+b.Excluded == 0:
		return barNoData
	case b.Down == 0 && b.Excluded > 0:
		return barMaintenance
	case b.Down == 0:
		return barOK
	}
	switch ppm := b.Up * 1_000_000 / (b.Up + b.Down); {
	case ppm >= 990_000:
		return barMinor
	case ppm >= 950_000:
		return barPartial
	}
	return barMajor
}

// Label is the day in words: the hover text and what screen readers read.
func (b barView) Label() string {
	var sb strings.Builder
	sb.WriteString(b.Date.Format("Mon 2 Jan 2006"))
	if b.Today {
		sb.WriteString(" (today so far)")
	}
	sb.WriteString(": ")
	if b.Up+b.Down == 0 {
		if b.Excluded > 0 {
			fmt.Fprintf(&sb, "maintenance %s", fmtMinutes(b.Excluded))
			return sb.String()
		}
		sb.WriteString("no data")
		return sb.String()
	}
	sb.WriteString(percent(b.Up, b.Up+b.Down))
	sb.WriteString(" available")
	var notes []string
	if b.Down > 0 {
		notes = append(notes, "down "+fmtMinutes(b.Down))
	}
	if b.Excluded > 0 {
		notes = append(notes, "maintenance "+fmtMinutes(b.Excluded))
	}
	if len(notes) > 0 {
		sb.WriteString(", " + strings.Join(notes, ", "))
	}
	return sb.String()
}

// percent shows part/whole as a percentage truncated to three decimals,
// never rounded up (SLA.md section 4): 99.89995% is 99.899%.
func percent(part, whole int64) string {
	if whole <= 0 {
		return "no data"
	}
	ppm := part * 1_000_000 / whole
	return fmt.Sprintf("%d.%03d%%", ppm/10_000, ppm%10_000/10)
}

// fmtMinutes writes a number of minutes for people: "1 min", "2 h 5 min".
func fmtMinutes(n int64) string {
	switch {
	case n < 60:
		return fmt.Sprintf("%d min", n)
	case n%60 == 0:
		return fmt.Sprintf("%d h", n/60)
	}
	return fmt.Sprintf("%d h %d min", n/60, n%60)
}

// uptime sums the bars: the availability over the days shown.
func uptime(bars []barView) string {
	var up, down int64
	for _, b := range bars {
		up += b.Up
		down += b.Down
	}
	return percent(up, up+down)
}

// dayStarts returns the local midnights of the n days up to and
// including today (in now's location), oldest first.
func dayStarts(now time.Time, n int) []time.Time {
	y, m, d := now.Date()
	out := make([]time.Time, n)
	for i := range n {
		out[i] = time.Date(y, m, d-(n-1-i), 0, 0, 0, 0, now.Location())
	}
	return out
}
