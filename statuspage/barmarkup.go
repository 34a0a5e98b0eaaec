package statuspage

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"
)

// barMarkup renders the components' bars for the home page and keeps each
// day's markup for the next rendering: a state change moves no bar, and an
// availability poll moves only today's, so rendering 90 days of every
// component again was most of a rendering's work. A bar's markup follows
// from its barView alone (the date in the page's zone, the minutes, whether
// it is today), so the value is its own key: a past day's figures that
// change (a window or an incident that reclassified its minutes) make a new
// key, and no entry can go stale. Entries a rendering did not use go with
// it. Owned by the poll loop, like the rest of the rendering.
type barMarkup struct {
	tmpl *template.Template // "bar" of partials.html
	kept map[barView]template.HTML
}

func newBarMarkup(ts *templates) (*barMarkup, error) {
	t := ts.index.Lookup("bar")
	if t == nil {
		return nil, errors.New("template bar is not defined")
	}
	return &barMarkup{tmpl: t}, nil
}

// render returns the markup of the bars of each of c's components, by index.
func (m *barMarkup) render(c *content) ([]template.HTML, error) {
	used := make(map[barView]template.HTML, len(m.kept))
	out := make([]template.HTML, len(c.Components))
	var buf bytes.Buffer
	var sb strings.Builder
	for i, cv := range c.Components {
		yield()
		sb.Reset()
		for _, b := range cv.Bars {
			h, ok := used[b]
			if !ok {
				if h, ok = m.kept[b]; !ok {
					buf.Reset()
					if err := m.tmpl.Execute(&buf, b); err != nil {
						return nil, fmt.Errorf("render bar: %w", err)
					}
					h = template.HTML(buf.String())
				}
				used[b] = h
			}
			sb.WriteString(string(h))
		}
		out[i] = template.HTML(sb.String())
	}
	m.kept = used
	return out, nil
}
