package resultsdb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

// benchResult is the i-th result of a fleet of checks × locations probed
// every interval: HTTP checks with phases, a failure now and then.
func benchResult(i, checks, locations int, interval time.Duration) probe.Result {
	series := i % (checks * locations)
	step := i / (checks * locations)
	res := probe.Result{
		Check:    fmt.Sprintf("check-%03d", series%checks),
		Location: fmt.Sprintf("loc-%d", series/checks),
		Start:    t0.Add(time.Duration(step)*interval + time.Duration(series)*time.Millisecond),
		Duration: time.Duration(100+i%900) * time.Millisecond,
		Interval: interval,
		OK:       i%97 != 0,
		Status:   200,
		Phases: &probe.Phases{DNS: time.Millisecond, Connect: 5 * time.Millisecond,
			TLS: 10 * time.Millisecond, TTFB: time.Duration(80+i%800) * time.Millisecond, Transfer: 4 * time.Millisecond},
	}
	if !res.OK {
		res.Reason, res.Status = probe.ReasonStatus, 503
	}
	return res
}

// BenchmarkWrite measures sustained writes: b.N results through Write until
// all of them are committed, with the default commit interval and batch.
func BenchmarkWrite(b *testing.B) {
	r, err := Open(b.TempDir(), Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		if err := r.Write(ctx, benchResult(i, 100, 3, 30*time.Second)); err != nil {
			b.Fatal(err)
		}
	}
	waitCommitted(b, r, uint64(b.N))
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "results/s")
}

// BenchmarkQuery measures reading back 100 checks × 10,000 results (one
// location, every minute: about a week, mostly in compacted blocks).
func BenchmarkQuery(b *testing.B) {
	const checks, perCheck = 100, 10_000
	r, err := Open(b.TempDir(), Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	for i := range checks * perCheck {
		if err := r.Write(ctx, benchResult(i, checks, 1, time.Minute)); err != nil {
			b.Fatal(err)
		}
	}
	waitCommitted(b, r, checks*perCheck)
	// Compact the head now, as the daemon will have long before a monthly
	// report, rather than in the background of the measurement.
	if err := r.db.Compact(ctx); err != nil {
		b.Fatal(err)
	}
	for _, q := range []Query{{}, {NoDetails: true}} {
		name := "all"
		if q.NoDetails {
			name = "no-details"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			start := time.Now()
			read := 0
			for b.Loop() {
				n := 0
				if err := r.Query(ctx, q, func(probe.Result) error { n++; return nil }); err != nil {
					b.Fatal(err)
				}
				if n != checks*perCheck {
					b.Fatalf("read %d results, want %d", n, checks*perCheck)
				}
				read += n
			}
			b.ReportMetric(float64(read)/time.Since(start).Seconds(), "results/s")
		})
	}
}
