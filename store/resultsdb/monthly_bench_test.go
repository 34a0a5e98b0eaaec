package resultsdb_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// benchMonthVersion names the cached benchmark database: change it whenever
// the generated data or the store's layout changes, and the next run
// regenerates the cache under os.TempDir()/vigil-bench-month-<version>
// (about 1 GB; delete it to reclaim the space).
const benchMonthVersion = "v2"

// benchBlockRange is the block size of the cached database: the largest
// block the daemon's compactor makes with the default retention (the
// leveled ranges 2h·3^k up to a tenth of the retention, at most 31 days),
// which is what a month-old period is stored in.
const benchBlockRange = 486 * time.Hour

// benchMonth is the figure: 1,000 checks at one location, one
// result per minute, October 2026 in Amsterdam (44,700 minutes) from five
// minutes before, about one failure in 333 results, three key screens.
func benchMonth(tb testing.TB) monthData {
	p := october2026(tb)
	return monthData{checks: 1000, locations: 1, interval: time.Minute,
		from: p.Start.Add(-5 * time.Minute), to: p.End, latency: 3, failPer: 333}
}

// monthTerms are SLA terms over every check of d: 100 components of
// checks, all in scope, a 99.9% target, the key screens' latency
// objectives (2 s, 95%) and the usual credit tiers.
func monthTerms(tb testing.TB, d monthData) sla.Terms {
	t := sla.Terms{
		Customer: "bench", Location: amsterdam(tb), AvailabilityTargetPPM: 999_000,
		CheckComponents: map[string]string{},
		Credits: []sla.Tier{{BelowPPM: 999_000, CreditPercent: 10},
			{BelowPPM: 990_000, CreditPercent: 25}, {BelowPPM: 950_000, CreditPercent: 100}},
	}
	for i := range d.checks {
		comp := fmt.Sprintf("comp-%03d", i%100)
		if i < 100 {
			t.Components = append(t.Components, comp)
		}
		t.CheckComponents[d.checkName(i)] = comp
	}
	for i := range d.latency {
		t.Latency = append(t.Latency, sla.LatencyObjective{Check: d.checkName(i), ThresholdMS: 2000, TargetPPM: 950_000})
	}
	return t
}

// observationsQuery selects d's checks over the period with the SLA's
// coverage look-back, details for the key screens.
func observationsQuery(d monthData, terms sla.Terms, p sla.Period) resultsdb.ObservationsQuery {
	q := resultsdb.ObservationsQuery{From: p.Start.Add(-d.interval), To: p.End}
	for i := range d.checks {
		q.Checks = append(q.Checks, d.checkName(i))
	}
	for _, o := range terms.Latency {
		q.Details = append(q.Details, o.Check)
	}
	return q
}

// report computes the SLA of terms from the store's fast path, returning
// the result and the number of observations read.
func report(ctx context.Context, r *resultsdb.Results, terms sla.Terms, q resultsdb.ObservationsQuery) (*sla.Result, int, error) {
	c, err := sla.NewCalculator(terms, 2026, time.October, nil)
	if err != nil {
		return nil, 0, err
	}
	n := 0
	err = r.Observations(ctx, q, func(b *resultsdb.ObservationBatch) error {
		if err := c.AddBatch(b.Check, b.Location, b.Observations); err != nil {
			return err
		}
		n += len(b.Observations)
		return nil
	})
	if err != nil {
		return nil, n, err
	}
	res, err := c.Result()
	return res, n, err
}

// BenchmarkMonthlyReport is the figure: a monthly report for 1,000
// checks at one observation per minute (about 44.7 million observations)
// read from the embedded TSDB and fed through the SLA calculator. The
// database is generated once with Backfill and cached (see
// benchMonthVersion); it is opened once, outside the timer, as the daemon
// has it open. Run it with
//
//	go test -run '^$' -bench MonthlyReport -benchtime 5x ./store/resultsdb/
func BenchmarkMonthlyReport(b *testing.B) {
	d := benchMonth(b)
	dir := d.cachedMonth(b, benchMonthVersion, benchBlockRange)
	r, err := resultsdb.Open(dir, resultsdb.Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	terms := monthTerms(b, d)
	q := observationsQuery(d, terms, october2026(b))
	ctx := context.Background()
	runtime.GC()
	resetPeakRSS()
	heap := startHeapSampler()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	total := 0
	for b.Loop() {
		res, n, err := report(ctx, r, terms, q)
		if err != nil {
			b.Fatal(err)
		}
		if res.Minutes.Total != 44_700 || n < 44_600_000 {
			b.Fatalf("minutes %+v from %d observations", res.Minutes, n)
		}
		total += n
	}
	b.StopTimer()
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/report")
	elapsed := b.Elapsed().Seconds()
	b.ReportMetric(float64(total)/elapsed, "obs/s")
	b.ReportMetric(elapsed/float64(b.N), "s/report")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MB")
	b.ReportMetric(float64(heap.stop())/(1<<20), "peak-heap-MB")
}

// cpuTime is the CPU time (user and system) the process has used: on a
// shared machine, the wall time depends on the neighbours, this does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS resets the process's peak resident set size (VmHWM), so that
// it measures the reports, not the generation or the open; Linux only,
// best effort.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS is VmHWM from /proc/self/status in bytes (0 where unavailable).
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// heapSampler records the peak of the Go heap's live and not yet swept
// objects, sampled every 10 ms through runtime/metrics (which, unlike
// runtime.ReadMemStats, does not stop the world).
type heapSampler struct {
	peak atomic.Uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{done: make(chan struct{})}
	h.wg.Go(func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > h.peak.Load() {
				h.peak.Store(v)
			}
			select {
			case <-h.done:
				return
			case <-tick.C:
			}
		}
	})
	return h
}

// stop ends the sampling and returns the peak in bytes.
func (h *heapSampler) stop() uint64 {
	close(h.done)
	h.wg.Wait()
	return h.peak.Load()
}
