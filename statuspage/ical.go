package statuspage

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// icalStamp is the UTC date-time form of RFC 5545 (section 3.3.5, form 2).
const icalStamp = "20060102T150405Z"

// renderICal writes the maintenance calendar (RFC 5545): one VEVENT per
// window, UID stable per window, times in UTC, cancelled windows kept with
// STATUS:CANCELLED so that calendars that had them drop them. Lines end in
// CRLF and are folded at 75 octets.
func renderICal(s *site, c *content, at time.Time) []byte {
	w := &icalWriter{}
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:-//vigil//status page//EN")
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	w.prop("X-WR-CALNAME", s.title+" maintenance")
	w.prop("X-WR-TIMEZONE", s.loc.String())
	host := "localhost"
	if u, err := url.Parse(s.publicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	nameOf := c.componentNames()
	stamp := at.UTC().Format(icalStamp)
	for i := range c.Maintenance {
		m := &c.Maintenance[i]
		end := m.EffectiveEnd
		if m.Status == maintCancelled || !end.After(m.Start) {
			end = m.End // a cancelled window keeps the times it was announced with
		}
		w.line("BEGIN:VEVENT")
		w.line("UID:" + m.ID + "@" + host)
		w.line("DTSTAMP:" + stamp)
		w.line("DTSTART:" + m.Start.UTC().Format(icalStamp))
		w.line("DTEND:" + end.UTC().Format(icalStamp))
		w.line("CREATED:" + m.CreatedAt.UTC().Format(icalStamp))
		w.line("LAST-MODIFIED:" + m.UpdatedAt.UTC().Format(icalStamp))
		w.prop("SUMMARY", "Maintenance: "+m.Title)
		desc := "Components: " + componentNames(m.Components, nameOf) + "\n" + s.publicURL + "/incidents/" + m.ID
		w.prop("DESCRIPTION", desc)
		w.line("URL:" + s.publicURL + "/incidents/" + m.ID)
		if m.Status == maintCancelled {
			w.line("STATUS:CANCELLED")
		} else {
			w.line("STATUS:CONFIRMED")
		}
		w.line("TRANSP:TRANSPARENT")
		w.line("END:VEVENT")
	}
	w.line("END:VCALENDAR")
	return []byte(w.sb.String())
}

// icalWriter writes content lines.
type icalWriter struct{ sb strings.Builder }

// prop writes a property whose value is TEXT, escaped.
func (w *icalWriter) prop(name, text string) { w.line(name + ":" + icalEscape(text)) }

// line writes one content line, folded so that no line is longer than 75
// octets (the CRLF aside), never inside a UTF-8 sequence: a continuation
// line starts with one space.
func (w *icalWriter) line(l string) {
	limit := 75
	for len(l) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		w.sb.WriteString(l[:cut])
		w.sb.WriteString("\r\n ")
		l = l[cut:]
		limit = 74 // the leading space counts
	}
	w.sb.WriteString(l)
	w.sb.WriteString("\r\n")
}

// icalEscape escapes TEXT (RFC 5545 section 3.3.11): backslash, semicolon,
// comma and line breaks.
func icalEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}
