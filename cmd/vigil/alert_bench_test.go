package main

import (
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify/twiliofake"
)

// BenchmarkDetectionLatency measures, through the whole daemon, the time
// from the first failing probe to the on-call SMS request at the fake
// Twilio, with interval 1 s and failures_to_open 3: the bound is
// failures_to_open × interval + 1 s = 4 s. Each iteration starts a
// daemon on a fresh data dir and breaks its target.
func BenchmarkDetectionLatency(b *testing.B) {
	const bound = 4 * time.Second
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	var total, worst time.Duration
	for i := 0; b.Loop(); i++ {
		app, web := newTarget(b), newTarget(b)
		addr := freeAddr(b)
		d := startServe(b, alertConfig(app.URL, web.URL, fake.URL(), addr, "{failures_to_open: 3, successes_to_resolve: 2}"), addr)
		time.Sleep(1500 * time.Millisecond) // a few passing results first
		before := len(to(fake, onCallA))
		app.setDown(true)
		waitTB(b, "the on-call SMS", 20*time.Second, func() bool { return len(to(fake, onCallA)) > before })
		lat := to(fake, onCallA)[before].Accepted.Sub(app.failedAt())
		total += lat
		worst = max(worst, lat)
		if lat > bound {
			b.Errorf("iteration %d: detection took %s, more than %s", i, lat, bound)
		}
		d.stop()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "detect-s/op")
	b.ReportMetric(worst.Seconds(), "worst-detect-s")
}
