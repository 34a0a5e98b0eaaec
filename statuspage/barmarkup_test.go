package statuspage

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestBarsFollowPastDays: the bar markup kept between renderings never
// outlives a day's figures. A past day reclassified (a window recorded
// late turns minutes up into maintenance) shows its new figure, the
// day change shifts every bar, and each time the home page is the one a
// page rendering from scratch serves, with no more bars kept than shown.
func TestBarsFollowPastDays(t *testing.T) {
	f := scenario()
	p, clk := testPage(t, f, scenarioNow, "https://status.example.com", false)
	poll(p)
	check := func(when, want string) {
		t.Helper()
		home := get(p.Handler(), http.MethodGet, "/", nil).Body.String()
		if !strings.Contains(home, want) {
			t.Errorf("%s: the home page lacks %q", when, want)
		}
		fresh, _ := testPage(t, f, clk.Now(), "https://status.example.com", false)
		poll(fresh)
		if get(fresh.Handler(), http.MethodGet, "/", nil).Body.String() != home {
			t.Errorf("%s: the home page differs from a fresh page's", when)
		}
		if n := len(p.bars.kept); n > len(f.components)*barDays {
			t.Errorf("%s: %d bars kept, more than shown", when, n)
		}
	}
	// A day of the database, never down: its 90-day figure stays 100%.
	day := dayStarts(scenarioNow.In(p.o.Location), barDays)[60]
	check("first", day.Format("Mon 2 Jan 2006")+": 100.000% available<")

	f.mu.Lock()
	f.daily["database"][day.Format(time.DateOnly)] = DayMinutes{Up: 1380, Excluded: 60}
	f.mu.Unlock()
	clk.Advance(time.Minute)
	rendered := p.renders.Load()
	poll(p)
	if p.renders.Load() != rendered+1 {
		t.Fatal("a past day's new figures were not rendered")
	}
	check("reclassified", day.Format("Mon 2 Jan 2006")+": 100.000% available, maintenance 1 h<")

	clk.Advance(24 * time.Hour)
	poll(p)
	check("next day", "Thu 15 Oct 2026 (today so far): no data")
}
