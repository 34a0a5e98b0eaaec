package statuspage

import (
	"net/http"
	"reflect"
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

// The hash key of a bar changes with every field of it, so that a field
// added to barView or DayMinutes and left out of appendKey fails here
// rather than leaving the page stale.
func TestBarKeyCoversEveryField(t *testing.T) {
	base := barView{Date: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	key := string(base.appendKey(nil))
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		for i := range v.NumField() {
			f, name := v.Field(i), path+v.Type().Field(i).Name
			switch f.Kind() {
			case reflect.Struct:
				if f.Type() == reflect.TypeOf(time.Time{}) {
					changed := base
					changed.Date = changed.Date.Add(24 * time.Hour)
					if string(changed.appendKey(nil)) == key {
						t.Errorf("%s is not in the bar's key", name)
					}
					continue
				}
				walk(f, name+".")
			case reflect.Int64, reflect.Int:
				changed := base
				setByPath(reflect.ValueOf(&changed).Elem(), name, func(x reflect.Value) { x.SetInt(x.Int() + 1) })
				if string(changed.appendKey(nil)) == key {
					t.Errorf("%s is not in the bar's key", name)
				}
			case reflect.Bool:
				changed := base
				setByPath(reflect.ValueOf(&changed).Elem(), name, func(x reflect.Value) { x.SetBool(!x.Bool()) })
				if string(changed.appendKey(nil)) == key {
					t.Errorf("%s is not in the bar's key", name)
				}
			default:
				t.Errorf("%s: a %s field the key test does not know; add it to appendKey and here", name, f.Kind())
			}
		}
	}
	walk(reflect.ValueOf(base), "")
}

// setByPath applies set to the field of v named by a dotted path.
func setByPath(v reflect.Value, path string, set func(reflect.Value)) {
	for _, name := range strings.Split(path, ".") {
		v = v.FieldByName(name)
	}
	set(v)
}
