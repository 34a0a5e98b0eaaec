package resultsdb_test

import (
	"context"
	"fmt"
	"iter"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// monthData describes a generated month of results: checks probed from
// locations every interval, from a few intervals before the period (so that
// coverage look-back matters) to its end.
type monthData struct {
	checks, locations int
	interval          time.Duration
	from, to          time.Time // results start in [from, to)
	latency           int       // the first latency checks are key screens
	failPer           uint64    // about one failure per failPer results
}

// amsterdam is the SLA time zone of the generated months.
func amsterdam(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// october2026 is the period of the generated months, in Amsterdam time.
func october2026(tb testing.TB) sla.Period {
	tb.Helper()
	p, err := sla.MonthPeriod(amsterdam(tb), 2026, time.October)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func (d monthData) checkName(i int) string    { return fmt.Sprintf("check-%04d", i) }
func (d monthData) locationName(l int) string { return fmt.Sprintf("loc-%d", l) }

// splitmix is a tiny deterministic hash: the generator needs reproducible
// noise per (series, step), not a random stream.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// result is the result of series s (check*locations+location) at step n:
// started a few hundred ms after its slot, failing now and then (key
// screens time out, the others fail on status or connect), key screens with
// log-normal durations around 600 ms (some beyond 2 s), the others fast.
func (d monthData) result(s, n int) probe.Result {
	h := splitmix(uint64(s)<<32 | uint64(n))
	check := s / d.locations
	// Checks are spread over the interval, as the scheduler does.
	spread := time.Duration(s) * (d.interval / time.Duration(d.checks*d.locations))
	start := d.from.Add(time.Duration(n)*d.interval + spread + time.Duration(h%300)*time.Millisecond)
	res := probe.Result{
		Check: d.checkName(check), Location: d.locationName(s % d.locations),
		Start: start, Interval: d.interval, OK: true,
		Duration: time.Duration(80+h>>20%200) * time.Millisecond,
	}
	if check < d.latency {
		u1 := float64(h>>11)/(1<<53) + 1e-12
		u2 := float64(splitmix(h)>>11) / (1 << 53)
		z := math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
		res.Duration = time.Duration(math.Exp(math.Log(0.6)+0.55*z) * float64(time.Second))
	}
	if splitmix(h^0xfeed)%d.failPer == 0 {
		res.OK = false
		switch {
		case check < d.latency:
			res.Reason, res.Duration = probe.ReasonTimeout, 10*time.Second
		case h%2 == 0:
			res.Reason = probe.ReasonStatus
		default:
			res.Reason = probe.ReasonConnect
		}
	}
	return res
}

// steps is the number of results per series.
func (d monthData) steps() int { return int((d.to.Sub(d.from) + d.interval - 1) / d.interval) }

// results yields the results with start in [from, to), slot by slot (every
// series' n-th result, then the n+1-th): in time order per series.
func (d monthData) results(from, to time.Time) iter.Seq[probe.Result] {
	return func(yield func(probe.Result) bool) {
		first := max(0, int(from.Sub(d.from)/d.interval)-1)
		for n := first; n < d.steps(); n++ {
			later := 0 // results of this step at or after to
			for s := range d.checks * d.locations {
				res := d.result(s, n)
				if !res.Start.Before(to) || !res.Start.Before(d.to) {
					later++
					continue
				}
				if res.Start.Before(from) {
					continue
				}
				if !yield(res) {
					return
				}
			}
			if later == d.checks*d.locations {
				return
			}
		}
	}
}

// backfill writes the month into dir as blocks of blockRange, one block
// range per goroutine, as many at a time as there are CPUs.
func (d monthData) backfill(tb testing.TB, dir string, blockRange time.Duration) {
	tb.Helper()
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	errs := make(chan error, 64)
	for start := d.from.Truncate(blockRange); start.Before(d.to); start = start.Add(blockRange) {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, err := resultsdb.Backfill(context.Background(), dir, d.results(start, start.Add(blockRange)),
				resultsdb.BackfillOptions{BlockRange: blockRange})
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
}

// cachedMonth returns the directory of the month's results database under
// os.TempDir()/vigil-bench-month-<version>, generating it first if it is
// missing. Generation happens in a sibling directory renamed into place
// when complete, so an interrupted run never leaves a partial cache.
func (d monthData) cachedMonth(tb testing.TB, version string, blockRange time.Duration) string {
	tb.Helper()
	dir := filepath.Join(os.TempDir(), "vigil-bench-month-"+version)
	if _, err := os.Stat(filepath.Join(dir, "tsdb")); err == nil {
		return dir
	}
	tmp, err := os.MkdirTemp(os.TempDir(), "vigil-bench-month-"+version+".tmp-")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	began := time.Now()
	d.backfill(tb, tmp, blockRange)
	if err := os.Rename(tmp, dir); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("generated %s in %v", dir, time.Since(began).Round(time.Second))
	return dir
}
