package statuspage

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestHistoryPagination(t *testing.T) {
	f := scenario()
	for i := range 23 {
		opened := at(-time.Duration(i+2) * 24 * time.Hour)
		resolved := opened.Add(20 * time.Minute)
		f.incidents = append(f.incidents, Incident{
			ID: fmt.Sprintf("inc-old%05d", i), Title: fmt.Sprintf("Old incident %d", i), Components: []string{"website"},
			Status: "resolved", OpenedAt: opened, ResolvedAt: &resolved,
			Updates: []Update{
				{Seq: 1, At: opened, Status: "investigating", Message: "Looking.", Notify: true},
				{Seq: 2, At: resolved, Status: "resolved", Message: "Fixed.", Notify: true},
			},
		})
	}
	p, _ := testPage(t, f, scenarioNow, "https://status.example.com", false)
	poll(p)
	h := p.Handler()
	// 25 public incidents: pages of 10, 10 and 5, the latest first.
	pages := []struct {
		target     string
		first      string
		count      int
		prev, next string
	}{
		{"/history", "Profit unavailable", 10, "", "/history?page=2"},
		{"/history?page=2", "Old incident 8", 10, `href="/history"`, "/history?page=3"},
		{"/history?page=3", "Old incident 18", 5, `href="/history?page=2"`, ""},
	}
	articles := regexp.MustCompile(`<article class="incident`)
	for _, pg := range pages {
		body := get(h, http.MethodGet, pg.target, nil).Body.String()
		if n := len(articles.FindAllString(body, -1)); n != pg.count {
			t.Errorf("%s: %d incidents, want %d", pg.target, n, pg.count)
		}
		if i := strings.Index(body, "<article"); i < 0 || !strings.Contains(body[i:i+400], pg.first) {
			t.Errorf("%s does not start with %q", pg.target, pg.first)
		}
		if pg.prev != "" && !strings.Contains(body, `rel="prev" `+pg.prev) {
			t.Errorf("%s lacks the link to the newer page %s", pg.target, pg.prev)
		}
		if pg.next != "" && !strings.Contains(body, `rel="next" href="`+pg.next+`"`) {
			t.Errorf("%s lacks the link to the older page %s", pg.target, pg.next)
		}
		if pg.next == "" && strings.Contains(body, `rel="next"`) {
			t.Errorf("%s links to a page after the last", pg.target)
		}
	}
	if w := get(h, http.MethodGet, "/history?page=4", nil); w.Code != http.StatusNotFound {
		t.Errorf("page 4 of 3: %d", w.Code)
	}
	// The home page keeps to the last 7 days.
	home := get(h, http.MethodGet, "/", nil).Body.String()
	if !strings.Contains(home, "Old incident 5<") || strings.Contains(home, "Old incident 6<") { // resolved 6d23h40m and 7d23h40m ago
		t.Error("the home page's past incidents are not those of the last 7 days")
	}
}

func TestHTMLEscapesAndStructure(t *testing.T) {
	f := scenario()
	f.incidents[0].Title = `<script>alert("x")</script>`
	f.incidents[0].Updates[2].Message = `<img src=x onerror=alert(1)> & more`
	f.components[3].Name = `Web "site" <b>`
	p, _ := testPage(t, f, scenarioNow, "https://status.example.com", true)
	poll(p)
	for _, path := range []string{"/", "/incidents/inc-open0001", "/history"} {
		body := get(p.Handler(), http.MethodGet, path, nil).Body.String()
		for _, raw := range []string{`<script>`, `<img src=x`, `<b>`} {
			if strings.Contains(body, raw) {
				t.Errorf("%s holds %q unescaped", path, raw)
			}
		}
		for _, want := range []string{`<html lang="en">`, `<main id="main"`, `<a class="skip" href="#main">`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %s", path, want)
			}
		}
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("%s has %d h1 headings, want 1", path, n)
		}
	}
	home := get(p.Handler(), http.MethodGet, "/", nil).Body.String()
	if !strings.Contains(home, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Error("the escaped title is not on the page")
	}
	// Every bar list is labelled, and every bar carries its text.
	if lists, tips := strings.Count(home, `<ol class="bars" aria-label="Availability of `), strings.Count(home, `<span class="tip">`); lists != 4 || tips != 4*barDays {
		t.Errorf("%d labelled bar lists with %d day texts, want 4 and %d", lists, tips, 4*barDays)
	}
	atom := get(p.Handler(), http.MethodGet, "/history.atom", nil).Body.String()
	if strings.Contains(atom, "<script>") || strings.Contains(atom, "<img src=x") {
		t.Error("the feed carries markup unescaped")
	}
}
