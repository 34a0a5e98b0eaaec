package probe

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/configs"
)

// BenchmarkHTTPProbe measures how many HTTP probes per second one process
// sustains against a local server (each probe on a fresh connection, the
// server sharing the same CPUs), and the allocations per probe.
func BenchmarkHTTPProbe(b *testing.B) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"status":"ok"}`)
	}))
	defer ts.Close()
	for _, bc := range []struct {
		name   string
		expect configs.HTTPExpect
	}{
		{"status", configs.HTTPExpect{Status: []int{200}}},
		{"json", configs.HTTPExpect{JSON: map[string]any{"$.status": "ok"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := newHTTPProber(b, ts.URL, func(c *configs.HTTPProbe) { c.Expect = bc.expect })
			b.ReportAllocs()
			b.SetParallelism(8)
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if r := p.Probe(probeCtx(b, 10*time.Second)); !r.OK {
						b.Errorf("probe failed: %s %s", r.Reason, r.Message)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "probes/s")
		})
	}
}

// BenchmarkHTTPProbeAccuracy runs probes at 1,000 per second (the 10,000
// checks at 10 s target) against a server that answers after a known
// 50 ms, and reports how far the measured Duration is above that delay.
func BenchmarkHTTPProbeAccuracy(b *testing.B) {
	const (
		delay = 50 * time.Millisecond
		rate  = 1000
	)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(delay)
		fmt.Fprint(w, "ok")
	}))
	defer ts.Close()
	p := newHTTPProber(b, ts.URL, func(c *configs.HTTPProbe) { c.Expect.Status = []int{200} })

	over := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / rate)
	defer tick.Stop()
	b.ResetTimer()
	for i := range b.N {
		<-tick.C
		wg.Go(func() {
			r := p.Probe(probeCtx(b, 10*time.Second))
			if !r.OK {
				b.Errorf("probe failed: %s %s", r.Reason, r.Message)
			}
			over[i] = r.Duration - delay
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(over)
	pct := func(q float64) float64 { return float64(over[int(q*float64(len(over)-1))]) / 1e6 }
	b.ReportMetric(pct(0.50), "p50-over-ms")
	b.ReportMetric(pct(0.99), "p99-over-ms")
	b.ReportMetric(float64(over[0])/1e6, "min-over-ms")
}
