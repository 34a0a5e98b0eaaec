package statuspage

import (
	"context"
	"testing"
	"time"
)

// BenchmarkRender measures what one state change costs the poll loop
// (derive, hash, render, compress) on the load of BenchmarkServeUnderLoad:
// 20 components of 50 checks, 90 days of bars. Each round one check flips,
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
