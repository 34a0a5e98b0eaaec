package statuspage

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Colors are the CSS colours (#rgb or #rrggbb) of the statuses and of
// links and buttons; an empty one takes the built-in colour.
type Colors struct {
	Operational, Degraded, Partial, Major, Maintenance, Accent string
}

// builtinColors are Statuspage's palette, which visitors read at a glance,
// with a darker accent for links.
var builtinColors = Colors{
	Operational: "#2fcc66",
	Degraded:    "#f1c40f",
	Partial:     "#e67e22",
	Major:       "#e74c3c",
	Maintenance: "#3498db",
	Accent:      "#1f5fa8",
}

// withDefaults fills the empty colours and checks the others.
func (c Colors) withDefaults() (Colors, error) {
	fields := []struct {
		name     string
		v        *string
		fallback string
	}{
		{"operational", &c.Operational, builtinColors.Operational},
		{"degraded", &c.Degraded, builtinColors.Degraded},
		{"partial_outage", &c.Partial, builtinColors.Partial},
		{"major_outage", &c.Major, builtinColors.Major},
		{"maintenance", &c.Maintenance, builtinColors.Maintenance},
		{"accent", &c.Accent, builtinColors.Accent},
	}
	for _, f := range fields {
		if *f.v == "" {
			*f.v = f.fallback
		}
		if _, ok := parseHex(*f.v); !ok {
			return c, fmt.Errorf("colour %s %q is not #rgb or #rrggbb", f.name, *f.v)
		}
	}
	return c, nil
}

// themeCSS writes the colours as CSS custom properties, each with the text
// colour (near black or white) that reads best on it, so that any colour
// an operator picks keeps the banner legible.
func themeCSS(c Colors) []byte {
	var sb strings.Builder
	sb.WriteString(":root {\n")
	for _, v := range []struct{ name, hex string }{
		{"operational", c.Operational},
		{"degraded", c.Degraded},
		{"partial", c.Partial},
		{"major", c.Major},
		{"maint", c.Maintenance},
		{"accent", c.Accent},
	} {
		fmt.Fprintf(&sb, "  --c-%s: %s;\n  --t-%s: %s;\n", v.name, v.hex, v.name, textOn(v.hex))
	}
	sb.WriteString("}\n")
	return []byte(sb.String())
}

// Text colours on a coloured background.
const (
	textDark  = "#111418"
	textLight = "#ffffff"
)

// textOn returns the text colour with the higher WCAG contrast on hex.
func textOn(hex string) string {
	bg, _ := parseHex(hex)
	dark, _ := parseHex(textDark)
	if contrast(bg, dark) >= contrast(bg, [3]float64{1, 1, 1}) {
		return textDark
	}
	return textLight
}

// parseHex reads #rgb or #rrggbb into 0..1 channels.
func parseHex(s string) ([3]float64, bool) {
	var rgb [3]float64
	if (len(s) != 4 && len(s) != 7) || s[0] != '#' {
		return rgb, false
	}
	digits := s[1:]
	if len(digits) == 3 {
		digits = string([]byte{digits[0], digits[0], digits[1], digits[1], digits[2], digits[2]})
	}
	for i := range 3 {
		v, err := strconv.ParseUint(digits[2*i:2*i+2], 16, 8)
		if err != nil {
			return rgb, false
		}
		rgb[i] = float64(v) / 255
	}
	return rgb, true
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(a, b [3]float64) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is the WCAG 2 relative luminance.
func luminance(c [3]float64) float64 {
	lin := func(v float64) float64 {
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}

// faviconSVG is a dot in the accent colour.
func faviconSVG(c Colors) []byte {
	return []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="` + c.Accent + `"/></svg>`)
}
