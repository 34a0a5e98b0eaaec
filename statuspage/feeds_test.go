package statuspage

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// atomDoc reads a feed as a feed reader does.
type atomDoc struct {
	XMLName xml.Name      `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string        `xml:"id"`
	Title   string        `xml:"title"`
	Updated string        `xml:"updated"`
	Links   []atomDocLink `xml:"link"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []atomDocEntry `xml:"entry"`
}

type atomDocLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

type atomDocEntry struct {
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Published string      `xml:"published"`
	Updated   string      `xml:"updated"`
	Link      atomDocLink `xml:"link"`
	Content   struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	} `xml:"content"`
}

func readAtom(t *testing.T, h http.Handler) atomDoc {
	t.Helper()
	body := get(h, http.MethodGet, "/history.atom", nil).Body.Bytes()
	var f atomDoc
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("the feed is not well-formed Atom: %v\n%s", err, body)
	}
	return f
}

var tagURI = regexp.MustCompile(`^tag:status\.example\.com,\d{4}-\d{2}-\d{2}:[a-z0-9-]+$`)

func TestAtomFeed(t *testing.T) {
	f := scenario()
	p, clk := testPage(t, f, scenarioNow, "https://status.example.com", false)
	poll(p)
	feed := readAtom(t, p.Handler())
	if feed.ID != "https://status.example.com/history.atom" || feed.Title == "" || feed.Author.Name != "Acme" {
		t.Errorf("feed head: id %q, title %q, author %q", feed.ID, feed.Title, feed.Author.Name)
	}
	if _, err := time.Parse(time.RFC3339, feed.Updated); err != nil {
		t.Errorf("feed updated %q: %v", feed.Updated, err)
	}
	if !slices.Contains(feed.Links, atomDocLink{Rel: "self", Href: "https://status.example.com/history.atom"}) {
		t.Errorf("no rel=self link: %+v", feed.Links)
	}
	titles := map[string]string{}
	ids := map[string]string{}
	var last time.Time
	for i, e := range feed.Entries {
		if !tagURI.MatchString(e.ID) || e.Title == "" || e.Content.Type != "html" || e.Content.Body == "" ||
			!strings.HasPrefix(e.Link.Href, "https://status.example.com/incidents/") {
			t.Errorf("entry %d = %+v", i, e)
		}
		up, err := time.Parse(time.RFC3339, e.Updated)
		if _, perr := time.Parse(time.RFC3339, e.Published); err != nil || perr != nil {
			t.Errorf("entry %d: updated %q, published %q", i, e.Updated, e.Published)
		}
		if i > 0 && up.After(last) {
			t.Errorf("entry %d is newer than the one before it", i)
		}
		last = up
		key := strings.TrimPrefix(e.Link.Href, "https://status.example.com/incidents/")
		titles[key], ids[key] = e.Title, e.ID
	}
	want := map[string]string{
		"inc-open0001": "Profit unavailable",
		"inc-done0001": "Public API unavailable",
		"mw-active01":  "Maintenance: Database upgrade",
		"mw-next0001":  "Maintenance: Network switch replacement; short interruptions, possible",
		"mw-cancel01":  "Cancelled maintenance: Website move",
		"mw-done0001":  "Maintenance: Profit release 26.10",
	}
	if len(titles) != len(want) {
		t.Errorf("entries %v, want %v (the muted incident left out)", titles, want)
	}
	for k, w := range want {
		if titles[k] != w {
			t.Errorf("entry %s titled %q, want %q", k, titles[k], w)
		}
	}
	open := feed.Entries[slices.IndexFunc(feed.Entries, func(e atomDocEntry) bool { return strings.HasSuffix(e.Link.Href, "inc-open0001") })]
	if !strings.Contains(open.Content.Body, "<strong>Identified</strong> - A storage failure") || strings.Contains(open.Content.Body, "db01") {
		t.Errorf("open incident's content = %q", open.Content.Body)
	}

	// A new update changes the entry's updated time, never its id.
	f.mu.Lock()
	f.incidents[0].Updates = append(f.incidents[0].Updates, Update{Seq: 4, At: at(5 * time.Minute), Status: "monitoring", Message: "Restored; watching.", Notify: true})
	f.incidents[0].Status = "monitoring"
	f.mu.Unlock()
	clk.Advance(10 * time.Minute)
	poll(p)
	later := readAtom(t, p.Handler())
	for _, e := range later.Entries {
		key := strings.TrimPrefix(e.Link.Href, "https://status.example.com/incidents/")
		if ids[key] != e.ID {
			t.Errorf("entry %s changed its id from %q to %q", key, ids[key], e.ID)
		}
	}
	if later.Entries[0].Link.Href != "https://status.example.com/incidents/inc-open0001" || later.Entries[0].Updated != at(5*time.Minute).Format(time.RFC3339) {
		t.Errorf("the updated incident is not first with its new time: %+v", later.Entries[0])
	}
}

// unfold undoes RFC 5545 line folding and splits the content lines.
func unfold(t *testing.T, ics string) []string {
	t.Helper()
	if !strings.HasSuffix(ics, "\r\n") {
		t.Error("the calendar does not end with CRLF")
	}
	raw := strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n")
	var lines []string
	for i, l := range raw {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, over 75: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d is cut inside a UTF-8 sequence: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	return lines
}

func TestICalFeed(t *testing.T) {
	f := scenario()
	f.maint[1].Title = "Netzwerk-Umbau: Switches ersetzen; kurze Unterbrechungen, möglich — bitte Geduld, danke schön für das Verständnis"
	p, clk := testPage(t, f, scenarioNow, "https://status.example.com:8443", false)
	poll(p)
	ics := get(p.Handler(), http.MethodGet, "/maintenance.ics", nil).Body.String()
	lines := unfold(t, ics)
	if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" ||
		!slices.Contains(lines, "VERSION:2.0") || !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "PRODID:") }) {
		t.Fatalf("calendar head or tail wrong:\n%s", ics)
	}
	events := map[string]map[string]string{}
	var cur map[string]string
	for _, l := range lines {
		switch {
		case l == "BEGIN:VEVENT":
			cur = map[string]string{}
		case l == "END:VEVENT":
			events[cur["UID"]] = cur
			cur = nil
		case cur != nil:
			k, v, _ := strings.Cut(l, ":")
			cur[k] = v
		}
	}
	if len(events) != 4 {
		t.Fatalf("%d events, want every window (the cancelled one too): %v", len(events), events)
	}
	utc := regexp.MustCompile(`^\d{8}T\d{6}Z$`)
	for uid, e := range events {
		if !strings.HasSuffix(uid, "@status.example.com") {
			t.Errorf("UID %q is not scoped to the page's host", uid)
		}
		for _, k := range []string{"DTSTAMP", "DTSTART", "DTEND"} {
			if !utc.MatchString(e[k]) {
				t.Errorf("%s %s = %q, want a UTC date-time", uid, k, e[k])
			}
		}
	}
	next := events["mw-next0001@status.example.com"]
	if next["DTSTART"] != "20261016T200000Z" || next["DTEND"] != "20261016T220000Z" || next["STATUS"] != "CONFIRMED" {
		t.Errorf("upcoming window = %v", next)
	}
	if want := `Maintenance: Netzwerk-Umbau: Switches ersetzen\; kurze Unterbrechungen\, möglich — bitte Geduld\, danke schön für das Verständnis`; next["SUMMARY"] != want {
		t.Errorf("SUMMARY = %q, want %q", next["SUMMARY"], want)
	}
	if want := `Components: Public API\, Website\nhttps://status.example.com:8443/incidents/mw-next0001`; next["DESCRIPTION"] != want {
		t.Errorf("DESCRIPTION = %q, want %q", next["DESCRIPTION"], want)
	}
	if c := events["mw-cancel01@status.example.com"]; c["STATUS"] != "CANCELLED" {
		t.Errorf("cancelled window = %v, want STATUS:CANCELLED", c)
	}
	if d := events["mw-done0001@status.example.com"]; d["DTEND"] != at(-7*24*time.Hour+90*time.Minute).UTC().Format(icalStamp) {
		t.Errorf("window closed early ends at %s, want its actual end", d["DTEND"])
	}

	// UIDs stay when the calendar is rendered again after a change.
	f.mu.Lock()
	f.maint[0].ActualEnd = tp(at(20 * time.Minute))
	f.mu.Unlock()
	clk.Advance(30 * time.Minute)
	poll(p)
	again := unfold(t, get(p.Handler(), http.MethodGet, "/maintenance.ics", nil).Body.String())
	var uids []string
	for _, l := range again {
		if strings.HasPrefix(l, "UID:") {
			uids = append(uids, strings.TrimPrefix(l, "UID:"))
		}
	}
	slices.Sort(uids)
	var before []string
	for uid := range events {
		before = append(before, uid)
	}
	slices.Sort(before)
	if !slices.Equal(uids, before) {
		t.Errorf("UIDs changed: %v, were %v", uids, before)
	}
}

func TestICalFolding(t *testing.T) {
	var w icalWriter
	long := "DESCRIPTION:" + strings.Repeat("ä", 60) + strings.Repeat("x", 40)
	w.line(long)
	out := w.sb.String()
	var joined strings.Builder
	for i, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("folded line %d: %d octets, valid UTF-8 %v", i, len(l), utf8.ValidString(l))
		}
		if i > 0 {
			if !strings.HasPrefix(l, " ") {
				t.Errorf("continuation line %d does not start with a space", i)
			}
			l = l[1:]
		}
		joined.WriteString(l)
	}
	if joined.String() != long {
		t.Error("unfolding does not give the line back")
	}
	if got := icalEscape("a\\b;c,d\ne\r\nf"); got != `a\\b\;c\,d\ne\nf` {
		t.Errorf("icalEscape = %q", got)
	}
}
