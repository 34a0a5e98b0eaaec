package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/vigilmon/vigil/sla"
)

// The PDF rendering: an A4 document for the customer, drawn with fpdf's
// primitives and core fonts. The output is deterministic: its dates are the
// period's end, and it has no random IDs.

// Page geometry in mm.
const (
	pageMargin   = 18.0
	contentWidth = 210 - 2*pageMargin
	bottomMargin = 18.0
)

// rgb is a colour.
type rgb struct{ r, g, b int }

// The palette, shared with the HTML's CSS.
var (
	colInk    = rgb{27, 31, 36}
	colMuted  = rgb{87, 96, 106}
	colLine   = rgb{208, 215, 222}
	colSoft   = rgb{246, 248, 250}
	colUp     = rgb{46, 125, 50}
	colBelow  = rgb{239, 108, 0}
	colDown   = rgb{198, 40, 40}
	colMaint  = rgb{21, 101, 192}
	colNoData = rgb{158, 158, 158}
	colGrid   = rgb{228, 231, 235}
	colGood   = rgb{0, 121, 107}
	colSlow   = rgb{230, 81, 0}
	colP95    = rgb{106, 27, 154}
)

// pdfDoc is a document being drawn.
type pdfDoc struct {
	f   *fpdf.Fpdf
	txt cp1252Text
	res *sla.Result
}

// writePDF renders res as a PDF document.
func writePDF(w io.Writer, res *sla.Result) error {
	f := fpdf.New("P", "mm", "A4", "")
	d := &pdfDoc{f: f, txt: cp1252Text{translate: f.UnicodeTranslatorFromDescriptor("")}, res: res}
	f.SetCompression(true)
	f.SetCatalogSort(true)
	f.SetCreationDate(res.PeriodEnd)
	f.SetModificationDate(res.PeriodEnd)
	title := fmt.Sprintf("Service level report: %s, %s", res.Customer, monthTitle(res.Month))
	f.SetTitle(title, true)
	f.SetSubject("Availability, key screens, maintenance and incidents ("+res.Schema+")", true)
	f.SetCreator("vigil", true)
	f.SetLang("en")
	f.SetMargins(pageMargin, pageMargin, pageMargin)
	f.SetCellMargin(0)
	f.SetAutoPageBreak(true, bottomMargin)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(d.footer)
	f.AddPage()

	d.titleBlock()
	d.summaryBox()
	d.dailySection()
	d.screensSection()
	d.maintenanceSection()
	d.incidentsSection()
	d.heading("Unmonitored minutes", 14)
	d.paragraph(unmonitoredText(res), 9.5, colInk)
	d.footnotes()
	if err := f.Error(); err != nil {
		return fmt.Errorf("draw pdf report: %w", err)
	}
	return f.Output(w)
}

// Drawing helpers.

func (d *pdfDoc) font(style string, size float64, c rgb) {
	d.f.SetFont("Helvetica", style, size)
	d.f.SetTextColor(c.r, c.g, c.b)
}

func (d *pdfDoc) fill(c rgb) { d.f.SetFillColor(c.r, c.g, c.b) }
func (d *pdfDoc) draw(c rgb) { d.f.SetDrawColor(c.r, c.g, c.b) }

// text writes s with its baseline at (x, y); align "L", "C" or "R" puts x at
// the text's left, centre or right.
func (d *pdfDoc) text(x, y float64, align, s string) {
	s = d.txt.String(s)
	switch align {
	case "C":
		x -= d.f.GetStringWidth(s) / 2
	case "R":
		x -= d.f.GetStringWidth(s)
	}
	d.f.Text(x, y, s)
}

// lines wraps s to width w in the current font.
func (d *pdfDoc) lines(s string, w float64) []string {
	var out []string
	for _, l := range d.f.SplitLines([]byte(d.txt.String(s)), w) {
		out = append(out, string(l))
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// ensure starts a new page unless h mm fit below the current position.
func (d *pdfDoc) ensure(h float64) {
	_, pageH := d.f.GetPageSize()
	if d.f.GetY()+h > pageH-bottomMargin {
		d.f.AddPage()
	}
}

// heading writes a section heading with a rule under it; keep is the room
// the section's first content needs on the same page.
func (d *pdfDoc) heading(s string, keep float64) {
	d.ensure(14 + keep)
	y := d.f.GetY() + 4
	d.font("B", 13, colInk)
	d.text(pageMargin, y+4.5, "L", s)
	d.draw(colLine)
	d.f.SetLineWidth(0.3)
	d.f.Line(pageMargin, y+7, pageMargin+contentWidth, y+7)
	d.f.SetY(y + 10)
}

// paragraph writes wrapped text over the content width.
func (d *pdfDoc) paragraph(s string, size float64, c rgb) {
	d.font("", size, c)
	lh := size * 0.45
	for _, l := range d.lines(s, contentWidth) {
		d.ensure(lh)
		d.f.SetX(pageMargin)
		d.f.CellFormat(contentWidth, lh, l, "", 1, "L", false, 0, "")
	}
	d.f.Ln(1.5)
}

// footer writes the page footer.
func (d *pdfDoc) footer() {
	_, pageH := d.f.GetPageSize()
	y := pageH - 10
	d.draw(colLine)
	d.f.SetLineWidth(0.2)
	d.f.Line(pageMargin, y-4, pageMargin+contentWidth, y-4)
	d.font("", 7.5, colMuted)
	d.text(pageMargin, y, "L", fmt.Sprintf("%s · %s · %s", d.res.Customer, monthTitle(d.res.Month), d.res.Timezone))
	d.text(pageMargin+contentWidth, y, "R", fmt.Sprintf("Page %d of {nb}", d.f.PageNo()))
}

// The sections.

func (d *pdfDoc) titleBlock() {
	res := d.res
	y := pageMargin
	d.font("B", 8.5, colMuted)
	d.text(pageMargin, y+3, "L", "SERVICE LEVEL REPORT")
	d.font("B", 20, colInk)
	ty := y + 12
	for _, l := range d.lines(res.Customer, contentWidth) {
		d.f.Text(pageMargin, ty, l)
		ty += 8
	}
	d.font("", 12, colInk)
	d.text(pageMargin, ty, "L", monthTitle(res.Month)+" · time zone "+res.Timezone)
	d.font("", 9, colMuted)
	d.text(pageMargin, ty+5.5, "L", "Period "+periodText(res))
	d.f.SetY(ty + 9)
}

func (d *pdfDoc) summaryBox() {
	res := d.res
	y := d.f.GetY() + 2
	const h = 27.0
	d.fill(colSoft)
	d.draw(colLine)
	d.f.SetLineWidth(0.3)
	d.f.RoundedRect(pageMargin, y, contentWidth, h, 2.5, "1234", "FD")
	avail := optPercent(res.AvailabilityPPM)
	if res.Availability != nil {
		avail = *res.Availability
	}
	statusColour := colMuted
	if res.Met != nil {
		statusColour = colDown
		if *res.Met {
			statusColour = colUp
		}
	}
	cols := []struct {
		label, value string
		w, size      float64
		colour       rgb
		note         string
	}{
		{"Availability", avail, 52, 22, colInk, "up / (up + down) minutes"},
		{"Target", targetPercent(res.TargetPPM), 36, 15, colInk, ""},
		{"Target met", metText(res.Met), 40, 15, statusColour, ""},
		{"Service credit", creditShort(res.CreditPercent), 46, 15, colInk, creditNote(res.CreditPercent)},
	}
	x := pageMargin + 5
	for i, c := range cols {
		if i > 0 {
			d.draw(colLine)
			d.f.Line(x-4, y+4, x-4, y+h-4)
		}
		d.font("", 8, colMuted)
		d.text(x, y+6.5, "L", c.label)
		d.font("B", c.size, c.colour)
		d.text(x, y+16, "L", c.value)
		if c.note != "" {
			d.font("", 7.5, colMuted)
			d.text(x, y+22, "L", c.note)
		}
		x += c.w
	}
	m := res.Minutes
	d.font("", 9, colMuted)
	d.f.SetY(y + h + 2)
	d.paragraph(fmt.Sprintf("Minutes in the period: %s · up %s · down %s · excluded (planned maintenance) %s · unmonitored %s",
		count(m.Total), count(m.Up), count(m.Down), count(m.Excluded), count(m.Unmonitored)), 9, colMuted)
}

func (d *pdfDoc) dailySection() {
	d.heading("Daily availability", 78)
	if len(d.res.Daily) == 0 {
		d.paragraph("No days in the period.", 9.5, colMuted)
		return
	}
	c := newDailyChart(d.res)
	y := d.f.GetY()
	d.drawDailyChart(c, y)
	d.f.SetY(y + dailyChartHeight)
	d.paragraph(fmt.Sprintf("Each bar is one day (%s), on an axis from %s to 100%%: green up to the day's availability, red for the share that was down; orange bars are below the target (dashed line). A blue mark under a day means planned maintenance was excluded; a dashed outline is a day without data.",
		d.res.Timezone, targetPercent(c.FloorPPM)), 8, colMuted)
}

func (d *pdfDoc) screensSection() {
	d.heading("Key screens", 17+latencyChartHeight)
	if len(d.res.Screens) == 0 {
		d.paragraph("No key screens in this agreement.", 9.5, colMuted)
		return
	}
	for i, s := range d.res.Screens {
		if i > 0 {
			d.ensure(17 + latencyChartHeight)
		}
		d.screen(s)
	}
}

// screen draws one key screen's figures and latency distribution.
func (d *pdfDoc) screen(s sla.ScreenReport) {
	y := d.f.GetY() + 1
	d.font("B", 11.5, colInk)
	d.text(pageMargin, y+4, "L", s.Check)
	compliance := optPercent(s.CompliancePPM)
	if s.Compliance != nil {
		compliance = *s.Compliance
	}
	statusColour := colMuted
	if s.Met != nil {
		statusColour = colDown
		if *s.Met {
			statusColour = colUp
		}
	}
	d.font("B", 11.5, statusColour)
	d.text(pageMargin+contentWidth, y+4, "R", metText(s.Met))
	d.font("", 9.5, colInk)
	d.text(pageMargin, y+9.5, "L", fmt.Sprintf("%s within %s (%s of %s observations) · target %s",
		compliance, millis(s.ThresholdMS), count(s.Good), count(s.Total), targetPercent(s.TargetPPM)))
	c := newLatencyChart(s)
	figures := fmt.Sprintf("p50 %s · p95 %s · p99 %s", optMillis(s.P50MS), optMillis(s.P95MS), optMillis(s.P99MS))
	if c != nil {
		figures += fmt.Sprintf(" · timeouts %s", count(c.Timeouts))
	}
	d.font("", 9, colMuted)
	d.text(pageMargin, y+14.5, "L", figures)
	if c != nil {
		d.drawLatencyLegend(y + 14.5)
	}
	d.f.SetY(y + 17)
	if c == nil {
		d.paragraph("No successful observations, so no latency distribution.", 9, colMuted)
		return
	}
	top := d.f.GetY()
	d.drawLatencyChart(c, top, s.ThresholdMS)
	d.f.SetY(top + latencyChartHeight + 3)
}

func (d *pdfDoc) maintenanceSection() {
	d.heading("Maintenance", 20)
	if len(d.res.Maintenance) == 0 {
		d.paragraph("No maintenance in the period.", 9.5, colMuted)
		return
	}
	cols := []pdfColumn{
		{"Window", 24, "L"}, {"Components", 20, "L"}, {"Scheduled", 40, "L"}, {"Announced", 26, "L"},
		{"Notice", 12, "R"}, {"Planned?", 36, "L"}, {"Excluded", 16, "R"},
	}
	var rows []pdfRow
	for _, w := range d.res.Maintenance {
		sched := timeRange(w.Start, w.End)
		if w.ActualEnd != nil {
			sched += "; ended " + timeAfter(w.Start, *w.ActualEnd)
		}
		colour := colUp
		if !w.Planned {
			colour = colDown
		}
		rows = append(rows, pdfRow{cells: []string{w.ID, strings.Join(w.Components, ", "), sched, localTime(w.AnnouncedAt),
			hours(w.NoticeHours), plannedText(w), count(w.ExcludedMinutes) + " min"}, colour: map[int]rgb{5: colour}})
	}
	d.table(cols, rows)
}

func (d *pdfDoc) incidentsSection() {
	d.heading("Incidents", 20)
	if len(d.res.Incidents) == 0 {
		d.paragraph("No incidents in the period.", 9.5, colMuted)
		return
	}
	cols := []pdfColumn{
		{"Incident", 24, "L"}, {"Title", 42, "L"}, {"Start", 26, "L"}, {"End", 26, "L"},
		{"Duration", 18, "R"}, {"Components", 20, "L"}, {"Counted down", 18, "R"},
	}
	var rows []pdfRow
	for _, inc := range d.res.Incidents {
		end := "ongoing"
		if inc.End != nil {
			end = localTime(*inc.End)
		}
		rows = append(rows, pdfRow{cells: []string{inc.ID, inc.Title, localTime(inc.Start), end,
			duration(inc.DurationSeconds), strings.Join(inc.Components, ", "), count(inc.CountedMinutes) + " min"}})
	}
	d.table(cols, rows)
}

func (d *pdfDoc) footnotes() {
	d.heading("How these figures are computed", 20)
	for i, n := range footnotes {
		d.paragraph(fmt.Sprintf("%d. %s", i+1, n), 8, colMuted)
	}
}
