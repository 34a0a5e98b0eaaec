package report

import (
	"github.com/go-pdf/fpdf"

	"github.com/vigilmon/vigil/sla"
)

// The PDF charts, drawn with fpdf primitives from the shared geometry.

// The charts' frames in mm.
const (
	dailyChartHeight   = 63.0 // plot, day labels, maintenance marks and legend
	dailyPlotHeight    = 46.0
	chartAxisWidth     = 12.0 // y labels left of the plot
	dailyTargetLabel   = 13.0 // room right of the plot for "target"
	latencyChartHeight = 48.0
	latencyPlotHeight  = 28.0
)

// drawDailyChart draws c with its top at y.
func (d *pdfDoc) drawDailyChart(c *dailyChart, y float64) {
	f := d.f
	x0 := pageMargin + chartAxisWidth
	plotW := contentWidth - chartAxisWidth - dailyTargetLabel
	bottom := y + 2 + dailyPlotHeight
	top := bottom - dailyPlotHeight
	yAt := func(h float64) float64 { return bottom - h*dailyPlotHeight }
	slot := plotW / float64(len(c.Days))

	// the grid and its labels
	d.draw(colGrid)
	f.SetLineWidth(0.2)
	d.font("", 6.5, colMuted)
	for _, t := range c.Ticks {
		f.Line(x0, yAt(t.At), x0+plotW, yAt(t.At))
		d.text(x0-1.5, yAt(t.At)+1.1, "R", t.Label)
	}

	// the bars, day labels and maintenance marks
	for i, day := range c.Days {
		bw := slot * 0.72
		bx := x0 + float64(i)*slot + (slot-bw)/2
		if day.NoData {
			d.draw(colNoData)
			f.SetLineWidth(0.25)
			f.SetDashPattern([]float64{0.8, 0.6}, 0)
			f.Rect(bx, top, bw, dailyPlotHeight, "D")
			f.SetDashPattern(nil, 0)
		} else {
			up := colUp
			if day.Below {
				up = colBelow
			}
			d.fill(up)
			f.Rect(bx, yAt(day.Up), bw, day.Up*dailyPlotHeight, "F")
			if day.Up < 1 {
				d.fill(colDown)
				f.Rect(bx, top, bw, (1-day.Up)*dailyPlotHeight, "F")
			}
		}
		d.font("", 6, colMuted)
		d.text(bx+bw/2, bottom+3.2, "C", day.Label)
		if day.Maintenance {
			d.fill(colMaint)
			f.Rect(bx, bottom+4.6, bw, 1.6, "F")
		}
	}
	d.draw(colMuted)
	f.SetLineWidth(0.25)
	f.Line(x0, bottom, x0+plotW, bottom)

	// the target line
	d.draw(colInk)
	f.SetLineWidth(0.4)
	f.SetDashPattern([]float64{1.6, 0.9}, 0)
	f.Line(x0, yAt(c.Target), x0+plotW, yAt(c.Target))
	f.SetDashPattern(nil, 0)
	d.font("B", 6.5, colInk)
	d.text(x0+plotW+1.2, yAt(c.Target)+1.1, "L", "target")
	d.text(x0+plotW+1.2, yAt(c.Target)+4.1, "L", targetPercent(d.res.TargetPPM))

	// the legend
	lx, ly := x0, bottom+11
	d.font("", 7, colInk)
	for _, item := range []struct {
		colour rgb
		label  string
		dashed bool
	}{
		{colUp, "available", false}, {colBelow, "below target", false}, {colDown, "down", false},
		{colMaint, "planned maintenance", false}, {colNoData, "no data", true},
	} {
		if item.dashed {
			d.draw(item.colour)
			f.SetLineWidth(0.25)
			f.SetDashPattern([]float64{0.8, 0.6}, 0)
			f.Rect(lx, ly-2.4, 2.8, 2.8, "D")
			f.SetDashPattern(nil, 0)
		} else {
			d.fill(item.colour)
			f.Rect(lx, ly-2.4, 2.8, 2.8, "F")
		}
		d.text(lx+4, ly, "L", item.label)
		lx += 8 + f.GetStringWidth(item.label)
	}
}

// drawLatencyLegend writes the latency chart's legend right-aligned with its
// baseline at y.
func (d *pdfDoc) drawLatencyLegend(y float64) {
	d.font("", 7, colInk)
	x := pageMargin + contentWidth
	for _, item := range []struct {
		colour rgb
		label  string
	}{{colSlow, "beyond the threshold"}, {colGood, "within the threshold"}} {
		x -= d.f.GetStringWidth(item.label)
		d.text(x, y, "L", item.label)
		x -= 4
		d.fill(item.colour)
		d.f.Rect(x, y-2.4, 2.8, 2.8, "F")
		x -= 5
	}
}

// drawLatencyChart draws c with its top at y.
func (d *pdfDoc) drawLatencyChart(c *latencyChart, y float64, thresholdMS int64) {
	f := d.f
	x0 := pageMargin + chartAxisWidth
	plotW := contentWidth - chartAxisWidth - 2
	top := y + 5
	bottom := top + latencyPlotHeight
	xAt := func(at float64) float64 { return x0 + at*plotW }

	// y axis: the highest count
	d.font("", 6.5, colMuted)
	d.text(x0-1.5, top+1.1, "R", count(c.MaxCount))
	d.text(x0-1.5, bottom+1.1, "R", "0")
	d.draw(colGrid)
	f.SetLineWidth(0.2)
	f.Line(x0, top, x0+plotW, top)

	bar := func(b latencyBar) {
		if b.Height == 0 {
			return
		}
		colour := colGood
		if b.Slow {
			colour = colSlow
		}
		d.fill(colour)
		f.Rect(xAt(b.X)+0.1, bottom-b.Height*latencyPlotHeight, b.W*plotW-0.2, b.Height*latencyPlotHeight, "F")
	}
	for _, b := range c.Bars {
		bar(b)
	}
	d.draw(colMuted)
	f.SetLineWidth(0.25)
	f.Line(x0, bottom, xAt(float64(len(c.Bars))*c.Bars[0].W), bottom)
	d.font("", 6.5, colMuted)
	for _, t := range c.Ticks {
		f.Line(xAt(t.At), bottom, xAt(t.At), bottom+1)
		d.text(xAt(t.At), bottom+3.8, "C", t.Label)
	}
	if o := c.Overflow; o != nil {
		bar(*o)
		f.Line(xAt(o.X), bottom, xAt(o.X+o.W), bottom)
		d.text(xAt(o.X+o.W/2), bottom+3.8, "C", "> "+secondsLabel(sla.BucketLimitMS))
	}

	// the threshold line and the p95 marker
	tx := xAt(c.Threshold)
	d.draw(colInk)
	f.SetLineWidth(0.4)
	f.SetDashPattern([]float64{1.4, 0.8}, 0)
	f.Line(tx, top-3, tx, bottom)
	f.SetDashPattern(nil, 0)
	d.font("B", 6.5, colInk)
	d.text(tx+1, top-1, "L", "threshold "+millis(thresholdMS))
	if c.P95 != nil {
		px := xAt(*c.P95)
		d.fill(colP95)
		f.Polygon([]fpdf.PointType{{X: px - 1.5, Y: bottom + 9}, {X: px + 1.5, Y: bottom + 9}, {X: px, Y: bottom + 5.6}}, "F")
		d.font("B", 6.5, colP95)
		d.text(px, bottom+12, "C", "p95 "+millis(c.P95MS))
	}

}
