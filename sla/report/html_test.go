package report

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/vigilmon/vigil/sla"
)

// voidElements have no end tag in HTML.
var voidElements = map[string]bool{"meta": true, "br": true, "hr": true, "img": true, "input": true, "link": true, "wbr": true}

// checkWellFormed walks the page's tokens and fails on an end tag that does
// not close the innermost open element, or on elements left open.
func checkWellFormed(t *testing.T, page []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(page))
	var stack []string
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatalf("tokenize: %v", z.Err())
			}
			if len(stack) > 0 {
				t.Fatalf("elements left open: %v", stack)
			}
			return
		case html.StartTagToken:
			name, _ := z.TagName()
			if !voidElements[string(name)] {
				stack = append(stack, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(stack) == 0 || stack[len(stack)-1] != string(name) {
				t.Fatalf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// pageText returns the page's text as a reader sees it (and a screen reader
// reads it: titles included), whitespace collapsed.
func pageText(t *testing.T, page []byte) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode && (n.Parent == nil || n.Parent.Data != "style") {
			b.WriteString(n.Data + " ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestHTMLContents(t *testing.T) {
	res := testResult(t)
	page := render(t, HTML)
	checkWellFormed(t, page)
	text := pageText(t, page)
	want := []string{
		"Zorggroep Café Noorderlicht B.V. — October 2026",
		"Period 2026-10-01 00:00 CEST to 2026-11-01 00:00 CET · time zone Europe/Amsterdam",
		"Availability " + *res.Availability, "Target 99.9%", "Not met", "Service credit 10% of the monthly fee",
		"Minutes in the period: 44,700", "Down: 70", "Unmonitored: 39",
		"Cliëntdossier openen", "Roosterplanning (één week)", *res.Screens[0].Compliance, "1,808 ms",
		"upgrade-42", "Planned: excluded", "209 h", "Not planned: notice 4h < 120h; outside allowed hours: Wed 13:00",
		"INC-2026-031", "Inloggen mislukt (login errors)", "53 min 40 s", "2026-10-14 09:58:30 CEST",
		"39 minutes of the period had no data",
		"excluded by planned maintenance leave the denominator", "truncated, never rounded up",
		// every day's figure, as the bars' titles and in the table
		"Wed 14 Oct 2026: 96.527% available, 50 min down",
		"Sun 25 Oct 2026: 100.000% available, 0 min down, 0 min excluded (planned maintenance), 0 min unmonitored",
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if n := strings.Count(string(page), `<g class="day" role="img"><title>`); n != len(res.Daily) {
		t.Errorf("%d day bars with a title, want %d", n, len(res.Daily))
	}
}

// TestHTMLSelfContained checks that the page runs no script and fetches
// nothing: no script element, no event handler, no external URL.
func TestHTMLSelfContained(t *testing.T) {
	page := string(render(t, HTML))
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)<script`), regexp.MustCompile(`(?i)\son[a-z]+=`), regexp.MustCompile(`(?i)<(link|img|iframe|object)\b`),
		regexp.MustCompile(`(?i)url\(`), regexp.MustCompile(`(?i)(src|href)=`), regexp.MustCompile(`(?i)@import`),
	} {
		if loc := bad.FindStringIndex(page); loc != nil {
			t.Errorf("page holds %q", page[loc[0]:min(loc[1]+40, len(page))])
		}
	}
	// The only URL is the SVG namespace, which is never fetched.
	for _, u := range regexp.MustCompile(`https?://[^"]*`).FindAllString(page, -1) {
		if u != "http://www.w3.org/2000/svg" {
			t.Errorf("URL %q", u)
		}
	}
}

// TestHTMLEscapes renders a customer, check and incident whose names hold
// markup: it appears as text, never as elements.
func TestHTMLEscapes(t *testing.T) {
	r := *testResult(t)
	r.Customer = `Evil <script>alert("x")</script> & Co`
	r.Screens = append([]sla.ScreenReport{}, r.Screens...)
	r.Screens[0].Check = `<img src=x onerror=alert(1)>`
	r.Incidents = []sla.Incident{{ID: "i1", Title: `</td><script>bad()</script>`, Start: r.PeriodStart}}
	var buf bytes.Buffer
	if err := Write(&buf, HTML, &r); err != nil {
		t.Fatal(err)
	}
	page := buf.Bytes()
	checkWellFormed(t, page)
	if bytes.Contains(page, []byte("<script")) || bytes.Contains(page, []byte("<img")) {
		t.Fatal("markup from the data reached the page unescaped")
	}
	text := pageText(t, page)
	for _, w := range []string{`Evil <script>alert("x")</script> & Co`, `<img src=x onerror=alert(1)>`, `</td><script>bad()</script>`} {
		if !strings.Contains(text, w) {
			t.Errorf("page text lacks %q", w)
		}
	}
	if !bytes.Contains(page, []byte("Evil &lt;script&gt;")) {
		t.Error("customer not escaped as expected")
	}
}

// TestHTMLNoData renders a result without data or sections.
func TestHTMLNoData(t *testing.T) {
	res := &sla.Result{Schema: sla.Schema, Customer: "acme", Month: "2026-10", TargetPPM: 999_000}
	var buf bytes.Buffer
	if err := Write(&buf, HTML, res); err != nil {
		t.Fatal(err)
	}
	checkWellFormed(t, buf.Bytes())
	text := pageText(t, buf.Bytes())
	for _, w := range []string{"Availability n/a", "No data", "No key screens", "No maintenance", "No incidents", "No days"} {
		if !strings.Contains(text, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}
