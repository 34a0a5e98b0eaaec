package report

import (
	"fmt"
	"strings"

	"github.com/vigilmon/vigil/sla"
)

// The inline SVG charts of the HTML page, drawn server-side from the shared
// chart geometry. The shapes are data for the template, which writes the
// elements (so html/template escapes every value).

// svgChart is one chart: a viewBox and groups of shapes.
type svgChart struct {
	W, H   int
	Title  string // the accessible name
	Desc   string // the accessible description
	Groups []svgGroup
}

// svgGroup is shapes with a shared class and an optional title (a tooltip
// and the text a screen reader finds for the shapes).
type svgGroup struct {
	Class  string
	Title  string
	Shapes []svgShape
}

// svgShape is a rect, line, text or polygon element.
type svgShape struct {
	El             string // "rect", "line", "text" or "polygon"
	X, Y, W, H     string // rect; text uses X, Y
	X1, Y1, X2, Y2 string // line
	Points         string // polygon
	Class, Anchor  string
	Text           string
}

// num formats a coordinate with one decimal, stable across platforms.
func num(v float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0")
}

func svgRect(x, y, w, h float64, class string) svgShape {
	return svgShape{El: "rect", X: num(x), Y: num(y), W: num(w), H: num(h), Class: class}
}

func svgLine(x1, y1, x2, y2 float64, class string) svgShape {
	return svgShape{El: "line", X1: num(x1), Y1: num(y1), X2: num(x2), Y2: num(y2), Class: class}
}

func svgText(x, y float64, anchor, class, s string) svgShape {
	return svgShape{El: "text", X: num(x), Y: num(y), Anchor: anchor, Class: class, Text: s}
}

// The daily chart's frame in SVG units.
const (
	dailyW, dailyH          = 720, 250
	dailyLeft, dailyRight   = 52, 60
	dailyTop, dailyBottom   = 14, 200  // the plot's top and bottom
	dailyLabelY, dailyMarkY = 214, 222 // day labels, maintenance marks
)

// dailySVG draws c: per day the available part (green) up to the day's
// figure and the down part (red) above it, a blue mark under days with
// planned maintenance, a grey outline for days without data, and the target
// as a dashed line.
func dailySVG(c *dailyChart, title, targetLabel string) *svgChart {
	s := &svgChart{W: dailyW, H: dailyH, Title: title}
	plotW := float64(dailyW - dailyLeft - dailyRight)
	plotH := float64(dailyBottom - dailyTop)
	y := func(h float64) float64 { return dailyBottom - h*plotH }
	axis := svgGroup{Class: "axis"}
	for _, t := range c.Ticks {
		axis.Shapes = append(axis.Shapes,
			svgLine(dailyLeft, y(t.At), dailyLeft+plotW, y(t.At), "grid"),
			svgText(dailyLeft-6, y(t.At)+4, "end", "", t.Label))
	}
	s.Groups = append(s.Groups, axis)
	slot := plotW / float64(max(len(c.Days), 1))
	for i, d := range c.Days {
		x := dailyLeft + float64(i)*slot
		bw := slot * 0.72
		bx := x + (slot-bw)/2
		g := svgGroup{Class: "day", Title: d.Text}
		switch {
		case d.NoData:
			g.Shapes = append(g.Shapes, svgRect(bx, dailyTop, bw, plotH, "nodata"))
		default:
			class := "up"
			if d.Below {
				class = "up below"
			}
			g.Shapes = append(g.Shapes,
				svgRect(bx, y(d.Up), bw, d.Up*plotH, class),
				svgRect(bx, dailyTop, bw, (1-d.Up)*plotH, "down"))
		}
		g.Shapes = append(g.Shapes, svgText(x+slot/2, dailyLabelY, "middle", "label", d.Label))
		if d.Maintenance {
			g.Shapes = append(g.Shapes, svgRect(bx, dailyMarkY, bw, 5, "maint"))
		}
		s.Groups = append(s.Groups, g)
	}
	s.Groups = append(s.Groups, svgGroup{Class: "target-group", Shapes: []svgShape{
		svgLine(dailyLeft, y(c.Target), dailyLeft+plotW, y(c.Target), "target"),
		svgText(dailyLeft+plotW+4, y(c.Target)+4, "start", "target-label", "target"),
		svgText(dailyLeft+plotW+4, y(c.Target)+17, "start", "target-label", targetLabel),
	}})
	legend := svgGroup{Class: "legend"}
	lx := float64(dailyLeft)
	for _, item := range []struct{ class, label string }{
		{"up", "available"}, {"up below", "below target"}, {"down", "down"},
		{"maint", "planned maintenance"}, {"nodata", "no data"},
	} {
		legend.Shapes = append(legend.Shapes, svgRect(lx, 234, 10, 10, item.class), svgText(lx+14, 243, "start", "", item.label))
		lx += 28 + float64(len(item.label))*6.2
	}
	s.Groups = append(s.Groups, legend)
	return s
}

// The latency chart's frame in SVG units.
const (
	latW, latH        = 720, 210
	latLeft, latRight = 52, 16
	latTop, latBottom = 24, 170
	latLabelY         = 186
)

// latencySVG draws c: the successful durations per bucket (within the
// threshold teal, beyond it orange), the threshold as a dashed line and the
// p95 as a marker.
func latencySVG(c *latencyChart, title string, thresholdMS int64) *svgChart {
	s := &svgChart{W: latW, H: latH, Title: title}
	plotW := float64(latW - latLeft - latRight)
	plotH := float64(latBottom - latTop)
	x := func(at float64) float64 { return latLeft + at*plotW }
	axis := svgGroup{Class: "axis", Shapes: []svgShape{
		svgLine(latLeft, latBottom, latLeft+plotW, latBottom, "base"),
		svgText(latLeft-6, latTop+4, "end", "", count(c.MaxCount)),
		svgText(latLeft-6, latBottom, "end", "", "0"),
	}}
	for _, t := range c.Ticks {
		axis.Shapes = append(axis.Shapes, svgLine(x(t.At), latBottom, x(t.At), latBottom+4, "base"),
			svgText(x(t.At), latLabelY, "middle", "", t.Label))
	}
	bars := svgGroup{Class: "bars"}
	addBar := func(b latencyBar) {
		if b.Height == 0 {
			return
		}
		class := "good"
		if b.Slow {
			class = "slow"
		}
		bars.Shapes = append(bars.Shapes, svgRect(x(b.X), latBottom-b.Height*plotH, b.W*plotW, b.Height*plotH, class))
	}
	for _, b := range c.Bars {
		addBar(b)
	}
	if o := c.Overflow; o != nil {
		addBar(*o)
		axis.Shapes = append(axis.Shapes, svgText(x(o.X+o.W/2), latLabelY, "middle", "", "> "+secondsLabel(sla.BucketLimitMS)))
	}
	s.Groups = append(s.Groups, axis, bars)
	s.Groups = append(s.Groups, svgGroup{Class: "threshold-group", Shapes: []svgShape{
		svgLine(x(c.Threshold), latTop-8, x(c.Threshold), latBottom, "threshold"),
		svgText(x(c.Threshold)+4, latTop-2, "start", "threshold-label", "threshold "+millis(thresholdMS)),
	}})
	if c.P95 != nil {
		px := x(*c.P95)
		s.Groups = append(s.Groups, svgGroup{Class: "p95-group", Shapes: []svgShape{
			{El: "polygon", Points: fmt.Sprintf("%s,%s %s,%s %s,%s", num(px-5), num(latBottom+14), num(px+5), num(latBottom+14), num(px), num(latBottom+5)), Class: "p95"},
			svgText(px, latH-4, "middle", "p95-label", "p95 "+millis(c.P95MS)),
		}})
	}
	return s
}
