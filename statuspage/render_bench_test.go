package statuspage

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkRender measures what one state change costs the poll loop
// (derive, hash, render, compress) on the load of cmd/vigil's
// BenchmarkStatusPageUnderLoad: 20 components of 50 checks, 90 days of
// bars. Each round one check flips,
// so its component's status changes and the page renders again. It
// reports the gzip size of the home page too:
//
//	go test -run '^$' -bench 'Render$' -benchtime 20x -benchmem ./statuspage/
func BenchmarkRender(b *testing.B) {
	f, checks := loadSources(20, 50)
	p, err := New(Options{
		Title: "Load", PublicURL: "http://127.0.0.1", Location: time.UTC,
		Catalog: f, Latest: f, Incidents: f, Maintenances: f, Availability: f,
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	poll(p)
	before := p.renders.Load()
	ok := true
	for b.Loop() {
		ok = !ok
		f.setLatest(checks[0], Result{Start: time.Now(), OK: ok, Duration: 200 * time.Millisecond})
		p.refresh(ctx)
	}
	if n := p.renders.Load() - before; n != int64(b.N) {
		b.Fatalf("%d renders in %d rounds", n, b.N)
	}
	b.ReportMetric(float64(len(p.snap.Load().assets["/"].gz)), "home-gz-bytes")
}

// loadSources builds a catalog of comps components with perComp checks
// each (one key screen per component), 90 days of bars, all passing.
func loadSources(comps, perComp int) (*fakeSources, []string) {
	f := newFakeSources()
	now := time.Now()
	days := dayStarts(now.UTC(), barDays)
	var checks []string
	for i := range comps {
		c := Component{ID: fmt.Sprintf("comp-%02d", i), Name: fmt.Sprintf("Service %02d", i), Group: fmt.Sprintf("Region %d", i/5)}
		f.daily[c.ID] = map[string]DayMinutes{}
		for j := range perComp {
			ch := Check{Name: fmt.Sprintf("%s-check-%02d", c.ID, j), Interval: 15 * time.Second}
			if j == 0 {
				ch.Threshold = 2 * time.Second
			}
			c.Checks = append(c.Checks, ch)
			checks = append(checks, ch.Name)
			f.latest[ch.Name] = Result{Start: now, OK: true, Duration: 200 * time.Millisecond}
		}
		for d, day := range days {
			f.daily[c.ID][day.Format(time.DateOnly)] = DayMinutes{Up: 1440 - int64(d%3), Down: int64(d % 3)}
		}
		f.components = append(f.components, c)
	}
	return f, checks
}
