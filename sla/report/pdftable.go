package report

// pdfColumn is a table column: its heading, width in mm and alignment
// ("L" or "R").
type pdfColumn struct {
	title string
	w     float64
	align string
}

// pdfRow is a table row: its cells and the text colour of some of them.
type pdfRow struct {
	cells  []string
	colour map[int]rgb
}

// Table text metrics in mm.
const (
	tableSize  = 8.0 // pt
	tableLine  = 3.6
	tablePad   = 1.4
	tableInset = 1.0 // left and right, inside each cell
)

// table draws rows under a heading row, wrapping cells in their column and
// repeating the heading on each new page.
func (d *pdfDoc) table(cols []pdfColumn, rows []pdfRow) {
	d.tableHead(cols)
	for i, r := range rows {
		d.font("", tableSize, colInk)
		wrapped := make([][]string, len(cols))
		n := 1
		for c, col := range cols {
			wrapped[c] = d.lines(r.cells[c], col.w-2*tableInset)
			n = max(n, len(wrapped[c]))
		}
		h := float64(n)*tableLine + 2*tablePad
		_, pageH := d.f.GetPageSize()
		if d.f.GetY()+h > pageH-bottomMargin {
			d.f.AddPage()
			d.tableHead(cols)
		}
		y := d.f.GetY()
		if i%2 == 1 {
			d.fill(colSoft)
			d.f.Rect(pageMargin, y, contentWidth, h, "F")
		}
		x := pageMargin
		for c, col := range cols {
			colour := colInk
			if rc, ok := r.colour[c]; ok {
				colour = rc
			}
			d.font("", tableSize, colour)
			for j, l := range wrapped[c] {
				d.f.SetXY(x+tableInset, y+tablePad+float64(j)*tableLine)
				d.f.CellFormat(col.w-2*tableInset, tableLine, l, "", 0, col.align, false, 0, "")
			}
			x += col.w
		}
		d.draw(colLine)
		d.f.SetLineWidth(0.2)
		d.f.Line(pageMargin, y+h, pageMargin+contentWidth, y+h)
		d.f.SetXY(pageMargin, y+h)
	}
	d.f.Ln(3)
}

// tableHead draws the heading row.
func (d *pdfDoc) tableHead(cols []pdfColumn) {
	d.font("B", 7.5, colMuted)
	n := 1
	wrapped := make([][]string, len(cols))
	for c, col := range cols {
		wrapped[c] = d.lines(col.title, col.w-2*tableInset)
		n = max(n, len(wrapped[c]))
	}
	h := float64(n)*tableLine + 2*tablePad
	y := d.f.GetY()
	d.fill(colSoft)
	d.f.Rect(pageMargin, y, contentWidth, h, "F")
	x := pageMargin
	for c, col := range cols {
		for j, l := range wrapped[c] {
			d.f.SetXY(x+tableInset, y+tablePad+float64(j)*tableLine)
			d.f.CellFormat(col.w-2*tableInset, tableLine, l, "", 0, col.align, false, 0, "")
		}
		x += col.w
	}
	d.draw(colLine)
	d.f.SetLineWidth(0.3)
	d.f.Line(pageMargin, y+h, pageMargin+contentWidth, y+h)
	d.f.SetXY(pageMargin, y+h)
}
