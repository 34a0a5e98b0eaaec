package remotewrite

import (
	"fmt"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store/remotewrite/vmtest"
)

// benchResults are one minute of checks probes at two locations, shifted
// by round minutes so that every round writes new samples: a tenth of the
// checks with phases and a status (http), one in fifty failing.
func benchResults(checks, round int) []probe.Result {
	out := make([]probe.Result, 0, 2*checks)
	start := t0.Add(time.Duration(round) * time.Minute)
	for c := range checks {
		for _, loc := range []string{"ams", "fra"} {
			r := probe.Result{Check: fmt.Sprintf("check-%04d", c), Location: loc, Start: start.Add(time.Duration(c) * time.Millisecond),
				Duration: time.Duration(50+c%900) * time.Millisecond, Interval: time.Minute, OK: true}
			if c%10 == 0 {
				r.Status = 200
				r.Phases = &probe.Phases{DNS: time.Millisecond, Connect: 3 * time.Millisecond, TLS: 9 * time.Millisecond, TTFB: r.Duration / 2, Transfer: time.Millisecond}
			}
			if (c+round)%50 == 0 {
				r.OK, r.Reason = false, probe.ReasonTimeout
			}
			out = append(out, r)
		}
	}
	return out
}

// BenchmarkRemoteWriteVictoriaMetrics measures remote-write throughput
// into a real VictoriaMetrics on this machine: each round queues one
// minute of 5,000 checks at two locations (about 40,000 samples) and
// waits until the backend has accepted all of it.
func BenchmarkRemoteWriteVictoriaMetrics(b *testing.B) {
	for _, perSend := range []int{DefaultMaxSamplesPerSend, 10_000} {
		b.Run(fmt.Sprintf("max_samples_per_send=%d", perSend), func(b *testing.B) {
			vm := vmtest.Start(b)
			w, err := New(Config{URL: vm.WriteURL(), Queue: QueueConfig{Capacity: 200_000, MaxSamplesPerSend: perSend,
				BatchSendDeadline: 5 * time.Millisecond, RetryFor: time.Minute}}, Options{Clock: clock.Real{}})
			if err != nil {
				b.Fatal(err)
			}
			startWriter(b, w)
			var total uint64
			round := 0
			b.ResetTimer()
			for b.Loop() {
				results := benchResults(5000, round)
				round++
				for i := range results {
					total += uint64(sampleCount(&results[i]))
					w.Observe(results[i])
				}
				for w.Stats().SamplesSent+w.Stats().SamplesFailed < total {
					time.Sleep(100 * time.Microsecond)
				}
			}
			b.StopTimer()
			if s := w.Stats(); s.SamplesFailed != 0 || s.SamplesDropped != 0 {
				b.Fatalf("stats: %+v", s)
			}
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// BenchmarkEncode measures building and compressing requests alone.
func BenchmarkEncode(b *testing.B) {
	results := benchResults(250, 0) // about 2,000 samples: one default request
	n := 0
	for i := range results {
		n += sampleCount(&results[i])
	}
	e := newEncoder()
	bytes := 0
	for b.Loop() {
		bytes = len(e.encode(results))
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
	b.ReportMetric(float64(bytes)/float64(n), "bytes/sample")
}
