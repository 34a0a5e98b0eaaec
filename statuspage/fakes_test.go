package statuspage

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

// fakeSources is every source of the page, held in memory; tests change
// it between polls.
type fakeSources struct {
	mu         sync.Mutex
	components []Component
	latest     map[string]Result
	incidents  []Incident
	maint      []Maintenance
	// daily answers Daily: per component, the minutes of a day by its
	// date; days not listed have no data.
	daily   map[string]map[string]DayMinutes
	timings map[string][]Timing
	failing error // every source answers this error while set

	dailyCalls int
}

func newFakeSources() *fakeSources {
	return &fakeSources{latest: map[string]Result{}, daily: map[string]map[string]DayMinutes{}, timings: map[string][]Timing{}}
}

func (f *fakeSources) Components() []Component {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.components)
}

func (f *fakeSources) Latest(check string) (Result, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.latest[check]
	return r, ok
}

func (f *fakeSources) setLatest(check string, r Result) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latest[check] = r
}

func (f *fakeSources) Incidents(_ context.Context, from, to time.Time) ([]Incident, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing != nil {
		return nil, f.failing
	}
	var out []Incident
	for _, inc := range f.incidents {
		if inc.OpenedAt.Before(to) && (inc.ResolvedAt == nil || inc.ResolvedAt.After(from)) {
			out = append(out, inc)
		}
	}
	return out, nil
}

func (f *fakeSources) Maintenance(_ context.Context, from, to time.Time) ([]Maintenance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing != nil {
		return nil, f.failing
	}
	var out []Maintenance
	for _, m := range f.maint {
		if m.Start.Before(to) && effectiveEnd(&m).After(from) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (f *fakeSources) Daily(_ context.Context, days []time.Time, _ time.Time) (map[string][]DayMinutes, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dailyCalls++
	if f.failing != nil {
		return nil, f.failing
	}
	out := map[string][]DayMinutes{}
	for _, c := range f.components {
		ms := make([]DayMinutes, len(days))
		for i, d := range days {
			ms[i] = f.daily[c.ID][d.Format(time.DateOnly)]
		}
		out[c.ID] = ms
	}
	return out, nil
}

func (f *fakeSources) Timings(_ context.Context, check string, from, to time.Time) ([]Timing, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing != nil {
		return nil, f.failing
	}
	var out []Timing
	for _, t := range f.timings[check] {
		if !t.Start.Before(from) && t.Start.Before(to) {
			out = append(out, t)
		}
	}
	return out, nil
}

// testPage returns a page over f with a fake clock at now, in Amsterdam.
func testPage(t testing.TB, f *fakeSources, now time.Time, publicURL string, subscribe bool) (*Page, *clock.Fake) {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(now)
	o := Options{
		Title: "Acme", PublicURL: publicURL, Location: loc,
		Catalog: f, Latest: f, Incidents: f, Maintenances: f, Availability: f, Latency: f,
		Clock: clk,
	}
	if subscribe {
		o.Subscribe = stubSubscribe{}
	}
	p, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return p, clk
}

// poll runs one slow and one fast poll, as Run's first round does.
func poll(p *Page) {
	p.pollSlow(context.Background())
	p.refresh(context.Background())
}
