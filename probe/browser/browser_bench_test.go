package browser

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/cpusteal"
)

// The benchmarks run the login-and-open-the-screen flow of the test site
// (site_test.go) in real Chromium: a form login, then a click whose fetch
// the server answers after a known delay, then the wait until the
// JavaScript-rendered screen shows. Run them one at a time, e.g.
//
//	go test ./probe/browser -run '^$' -bench BrowserDelay -benchtime 40x
//	go test ./probe/browser -run '^$' -bench BrowserRunResources -benchtime 20x
//	go test ./probe/browser -run '^$' -bench BrowserThroughput -benchtime 1x
//
// Each reports the CPU time stolen from this VM by its host while it ran
// (steal-%), because that noise moves every timing figure.

// BenchmarkBrowserDelay: the screen's data takes a known D server-side;
// the span measured from the click to the visible screen minus D is what
// the browser, the page and the measuring add. The target is a
// median within ±50 ms.
func BenchmarkBrowserDelay(b *testing.B) {
	const delay = 300 * time.Millisecond
	s := newSite(b, delay)
	r := newTestRunner(b, Options{})
	p := newProber(b, r, browserCheck("delay", screenSpan, s.loginSteps()...), "")
	steal := cpusteal.Now()
	over := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		res := probeWithin(p, 30*time.Second)
		if !res.OK {
			b.Fatalf("run failed: %s: %s", res.Reason, res.Message)
		}
		over = append(over, res.Duration-delay)
	}
	b.StopTimer()
	slices.Sort(over)
	b.ReportMetric(ms(rank(over, 50)), "median-over-D-ms")
	b.ReportMetric(ms(rank(over, 99)), "p99-over-D-ms")
	b.ReportMetric(ms(over[0]), "min-over-D-ms")
	b.ReportMetric(cpusteal.Since(steal), "steal-%")
}

// BenchmarkBrowserRunResources: CPU time per run of the whole browser
// (every process of its tree, the ones that ended during the runs
// included, and its crash handler) and of this test process (vigil's
// side: chromedp, the test server), and the peak of the browser's summed
// resident memory while runs go on one after another.
func BenchmarkBrowserRunResources(b *testing.B) {
	s := newSite(b, 50*time.Millisecond)
	r := newTestRunner(b, Options{})
	p := newProber(b, r, browserCheck("resources", screenSpan, s.loginSteps()...), "")
	if res := probeWithin(p, 30*time.Second); !res.OK { // the first run's one-off costs stay out
		b.Fatalf("warm-up run: %s: %s", res.Reason, res.Message)
	}
	browser := newBrowserProcs(r.current())

	// The sampler's own reading of /proc counts as vigil's CPU: it reads
	// only stat files, ten times a second.
	var peakKiB atomic.Int64
	ctx, stop := context.WithCancel(context.Background())
	var sampler sync.WaitGroup
	sampler.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			var sum int64
			for _, pr := range browser.procs() {
				if pr.state != 'Z' {
					sum += rssKiB(pr.pid)
				}
			}
			if sum > peakKiB.Load() {
				peakKiB.Store(sum)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	})

	steal := cpusteal.Now()
	browserBefore, selfBefore := cpuTicks(browser.procs()), selfTicks(b)
	b.ResetTimer()
	for range b.N {
		if res := probeWithin(p, 30*time.Second); !res.OK {
			b.Fatalf("run failed: %s: %s", res.Reason, res.Message)
		}
	}
	b.StopTimer()
	browserCPU := float64(cpuTicks(browser.procs())-browserBefore) / clockTicks / float64(b.N)
	selfCPU := float64(selfTicks(b)-selfBefore) / clockTicks / float64(b.N)
	stop()
	sampler.Wait()
	b.ReportMetric(browserCPU, "browser-cpu-s/run")
	b.ReportMetric(selfCPU, "vigil-cpu-s/run")
	b.ReportMetric(browserCPU+selfCPU, "total-cpu-s/run")
	b.ReportMetric(float64(peakKiB.Load())/1024, "browser-peak-rss-MiB")
	b.ReportMetric(float64(rssKiB(os.Getpid()))/1024, "vigil-rss-MiB")
	b.ReportMetric(cpusteal.Since(steal), "steal-%")
}

// BenchmarkBrowserThroughput: how many runs of the flow a minute this
// machine sustains with the browser shared by concurrent checks, for a
// few slot counts (MaxRuns; the default is GOMAXPROCS). Twice as many
// checks as slots keep every slot busy for a fixed window.
func BenchmarkBrowserThroughput(b *testing.B) {
	const window = 30 * time.Second
	for _, slots := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("slots=%d", slots), func(b *testing.B) {
			s := newSite(b, 50*time.Millisecond)
			r := newTestRunner(b, Options{MaxRuns: slots})
			p := newProber(b, r, browserCheck("throughput", screenSpan, s.loginSteps()...), "")
			steal := cpusteal.Now()
			var ok, failed atomic.Int64
			var spans []time.Duration
			var mu sync.Mutex
			b.ResetTimer()
			for range b.N {
				end := time.Now().Add(window)
				var wg sync.WaitGroup
				for range 2 * slots {
					wg.Go(func() {
						for time.Now().Before(end) {
							res := probeWithin(p, 20*time.Second)
							if !res.OK {
								failed.Add(1)
								b.Logf("failed run: %s: %s", res.Reason, res.Message)
								continue
							}
							ok.Add(1)
							mu.Lock()
							spans = append(spans, res.Duration)
							mu.Unlock()
						}
					})
				}
				wg.Wait()
			}
			b.StopTimer()
			minutes := (window * time.Duration(b.N)).Minutes()
			slices.Sort(spans)
			b.ReportMetric(float64(ok.Load())/minutes, "runs/min")
			b.ReportMetric(float64(failed.Load()), "errors")
			if len(spans) > 0 {
				b.ReportMetric(ms(rank(spans, 50)), "median-span-ms")
				b.ReportMetric(ms(rank(spans, 95)), "p95-span-ms")
			}
			b.ReportMetric(cpusteal.Since(steal), "steal-%")
		})
	}
}

// browserProcs finds the processes of one browser: its tree, and the
// daemons outside it that name its private config directory (the crash
// handler), which live as long as the browser and are found once.
type browserProcs struct {
	pid     int
	daemons []int
}

func newBrowserProcs(p *process) browserProcs {
	bp := browserProcs{pid: p.pid}
	for _, pr := range allProcs() {
		if strings.Contains(pr.cmdline, p.configDir) && pr.ppid != p.pid {
			bp.daemons = append(bp.daemons, pr.pid)
		}
	}
	return bp
}

// procs reads the browser's processes now, ended ones not yet waited
// for included.
func (bp browserProcs) procs() []procInfo {
	stats := allStats()
	out := treeWithZombies(stats, bp.pid)
	for _, pid := range bp.daemons {
		if p, ok := stats[pid]; ok {
			out = append(out, p)
		}
	}
	return out
}

// cpuTicks sums the CPU time of procs and of their children that ended.
func cpuTicks(procs []procInfo) uint64 {
	var n uint64
	for _, p := range procs {
		n += p.cpuTicks + p.childTicks
	}
	return n
}

// selfTicks is this process's CPU time.
func selfTicks(b *testing.B) uint64 {
	p, err := readStat(os.Getpid())
	if err != nil {
		b.Fatal(err)
	}
	return p.cpuTicks
}

// rank is the nearest-rank percentile of sorted values.
func rank(sorted []time.Duration, pct int) time.Duration {
	i := (pct*len(sorted)+99)/100 - 1
	return sorted[max(i, 0)]
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
