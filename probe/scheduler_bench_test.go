//go:build linux

package probe_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/cpusteal"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// The spine's benchmark: 10,000 HTTP checks at a 10 s interval (1,000
// probes/s) against a local server that answers after a known delay, through
// the whole path a result takes in `vigil serve` (scheduler, HTTP probe,
// TSDB store). The target runs in a child process so that the CPU figure is
// vigil's own.
//
// The duration error (dur-err) is each measured duration less the target's
// own time for that request, from the request's arrival (the kernel's
// stamp) to its answer going out, as the target records it. The target
// sleeps benchDelay in nanosleep, but on a loaded or stolen CPU it still
// answers late now and then; that lateness is its own and is reported apart
// (target-late), as is the machine's CPU steal.
//
//	go test -run '^$' -bench SchedulerHTTP -benchtime 1x ./probe/
//
// VIGIL_BENCH_CHECKS and VIGIL_BENCH_SECONDS shorten it (defaults 10000, 60).
const benchDelay = 20 * time.Millisecond

func BenchmarkSchedulerHTTP(b *testing.B) {
	checks := envInt("VIGIL_BENCH_CHECKS", 10_000)
	seconds := envInt("VIGIL_BENCH_SECONDS", 60)
	interval := 10 * time.Second
	addrs := startTarget(b)

	for b.Loop() {
		runSchedulerBench(b, addrs, checks, interval, time.Duration(seconds)*time.Second)
	}
}

func runSchedulerBench(b *testing.B, addrs []string, n int, interval, runFor time.Duration) {
	results, err := resultsdb.Open(b.TempDir(), resultsdb.Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer results.Close()

	jobs := make([]probe.Job, n)
	for i := range jobs {
		name := fmt.Sprintf("check-%05d", i)
		c := configs.Check{Name: name, HTTP: &configs.HTTPProbe{
			URL:    "http://" + addrs[i%len(addrs)] + "/" + name,
			Method: http.MethodGet, MaxBodyBytes: 1 << 20,
		}}
		p, err := probe.New(c)
		if err != nil {
			b.Fatal(err)
		}
		jobs[i] = probe.Job{Name: name, Interval: interval, Timeout: 5 * time.Second, Prober: p}
	}

	var (
		mu       sync.Mutex
		lags     []time.Duration
		ok       []measured // successful, in the window
		executed int
		failed   int
		reasons  = map[probe.Reason]int{}
	)
	// Measure over whole intervals after the first one (warm-up: every
	// check has fired once, connections and series exist).
	t0 := time.Now()
	from := t0.Add(interval)
	to := t0.Add(runFor)
	if runFor <= interval {
		from = t0.Add(time.Second)
	}
	ctx, cancel := context.WithDeadline(context.Background(), to.Add(6*time.Second))
	defer cancel()
	sched := probe.NewScheduler(probe.SchedulerOptions{
		Location: "bench",
		OnLag: func(_ string, lag time.Duration) {
			now := time.Now()
			if now.After(from) && now.Before(to) {
				mu.Lock()
				lags = append(lags, lag)
				mu.Unlock()
			}
		},
		Emit: func(r probe.Result) {
			if err := results.Write(ctx, r); err != nil {
				b.Errorf("write: %v", err)
			}
			if r.Start.Before(from) || !r.Start.Before(to) {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			executed++
			if !r.OK {
				failed++
				reasons[r.Reason]++
				return
			}
			ok = append(ok, measured{r.Check, r.Start, r.Duration})
		},
	})
	var before, after syscall.Rusage
	var gcBefore, gcAfter runtime.MemStats
	runtime.ReadMemStats(&gcBefore)
	steal := cpusteal.Now()
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	sched.Run(ctx, jobs)
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	stealPct := cpusteal.Since(steal)
	runtime.ReadMemStats(&gcAfter)

	scheduled := 0
	for _, j := range jobs {
		off := probe.Offset(j.Name, interval)
		for t := probe.NextTick(from, interval, off); t.Before(to); t = t.Add(interval) {
			scheduled++
		}
	}
	cpu := cpuSeconds(after) - cpuSeconds(before)
	total := executed // results in the window; CPU covers the whole run incl. warm-up
	allRuns := float64(n) * (time.Since(t0).Seconds() / interval.Seconds())

	b.ReportMetric(100*float64(executed)/float64(scheduled), "%run")
	b.ReportMetric(float64(failed), "failed")
	b.ReportMetric(pct(lags, 50).Seconds()*1000, "lag-p50-ms")
	b.ReportMetric(pct(lags, 99).Seconds()*1000, "lag-p99-ms")
	// The error is the measured duration less the target's own time for
	// that request (from the request's arrival to its answer going out);
	// the target's lateness beyond benchDelay is reported apart.
	log := servedLog(b, addrs[0])
	var errs, late, overDelay []time.Duration
	for _, r := range ok {
		overDelay = append(overDelay, r.duration-benchDelay) // target's lateness included
		if took, found := serverTime(log, r); found {
			errs = append(errs, r.duration-took)
			late = append(late, took-benchDelay)
		}
	}
	b.ReportMetric(100*float64(len(errs))/float64(max(len(ok), 1)), "%matched")
	if len(errs) < len(ok)*99/100 {
		b.Errorf("only %d of %d results matched the target's record of their request", len(errs), len(ok))
	}
	b.ReportMetric(pct(errs, 50).Seconds()*1000, "dur-err-p50-ms")
	b.ReportMetric(pct(errs, 99).Seconds()*1000, "dur-err-p99-ms")
	b.ReportMetric(pct(late, 50).Seconds()*1000, "target-late-p50-ms")
	b.ReportMetric(pct(late, 99).Seconds()*1000, "target-late-p99-ms")
	b.ReportMetric(pct(overDelay, 99).Seconds()*1000, "dur-over-delay-p99-ms")
	b.ReportMetric(cpu/allRuns*1000, "cpu-s/1000probes")
	b.ReportMetric(float64(rssKB("VmHWM"))/1024, "peak-rss-MiB")
	b.ReportMetric(float64(gcAfter.NumGC-gcBefore.NumGC), "gc-cycles")
	// The machine's CPU steal during the run: on a shared VM it, not the
	// probe, decides the tail of the latency figures.
	b.ReportMetric(stealPct, "steal-%")
	b.Logf("checks=%d interval=%v window=%v scheduled=%d executed=%d failed=%d reasons=%v stats=%+v",
		n, interval, to.Sub(from), scheduled, total, failed, reasons, results.Stats())
}

// pct is the nearest-rank percentile.
func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := (p*len(s) + 99) / 100
	return s[max(i-1, 0)]
}

func cpuSeconds(r syscall.Rusage) float64 {
	return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
}

func rssKB(field string) int {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil && v > 0 {
		return v
	}
	return def
}

// startTarget runs TestBenchTarget in a child process and returns the
// addresses it listens on (several loopback addresses, so that 1,000 new
// connections a second do not run one address pair out of ports).
func startTarget(b *testing.B) []string {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestBenchTarget$")
	cmd.Env = append(os.Environ(), "VIGIL_BENCH_TARGET=1")
	cmd.Dir = filepath.Dir(exe)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("target did not start: %v", err)
	}
	addrs, ok := strings.CutPrefix(strings.TrimSpace(line), "LISTEN ")
	if !ok {
		b.Fatalf("target said %q", line)
	}
	return strings.Fields(addrs)
}

// TestBenchTarget is the benchmark's target server when run as its child;
// otherwise it skips. It keeps, for each request, when it arrived (the
// kernel's stamp) and how long the server really took until its answer went
// out: the reference each measured duration is compared with. GET /_log
// hands the records over.
func TestBenchTarget(t *testing.T) {
	if os.Getenv("VIGIL_BENCH_TARGET") != "1" {
		t.Skip("only runs as the benchmark's child process")
	}
	var (
		mu      sync.Mutex
		arrived = map[net.Conn]served{} // by connection, until it closes
		log     []served
	)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_log" {
			mu.Lock()
			defer mu.Unlock()
			bw := bufio.NewWriter(w)
			for _, s := range log {
				fmt.Fprintf(bw, "%s %d %d\n", s.path, s.arrived.UnixNano(), s.took)
			}
			_ = bw.Flush()
			return
		}
		c := r.Context().Value(connKey{}).(net.Conn)
		if at, ok := probe.ArrivalOf(c); ok {
			mu.Lock()
			arrived[c] = served{path: r.URL.Path, arrived: at}
			mu.Unlock()
		}
		preciseSleep(benchDelay)
		_, _ = io.WriteString(w, "ok")
	})
	var addrs []string
	for i := 1; i <= 8; i++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", i))
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{
			Handler: h, ReadHeaderTimeout: 5 * time.Second,
			ConnContext: func(ctx context.Context, c net.Conn) context.Context {
				return context.WithValue(ctx, connKey{}, c)
			},
			ConnState: func(c net.Conn, state http.ConnState) {
				if state != http.StateClosed {
					return
				}
				wrote, ok := probe.FirstWriteOf(c)
				mu.Lock()
				defer mu.Unlock()
				if s, known := arrived[c]; known && ok {
					s.took = wrote.Sub(s.arrived)
					log = append(log, s)
				}
				delete(arrived, c)
			},
		}
		go func() { _ = srv.Serve(stampingListener{ln}) }()
		addrs = append(addrs, ln.Addr().String())
	}
	fmt.Printf("LISTEN %s\n", strings.Join(addrs, " "))
	_, _ = io.Copy(io.Discard, os.Stdin) // until the parent closes stdin
}

type connKey struct{}

// served is one request as the target saw it.
type served struct {
	path    string
	arrived time.Time
	took    time.Duration
}

// stampingListener hands out connections with kernel receive stamps.
type stampingListener struct{ net.Listener }

func (l stampingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return probe.StampAccepted(c), nil
}

// servedLog fetches the target's records, by path, in arrival order.
func servedLog(b *testing.B, addr string) map[string][]served {
	resp, err := http.Get("http://" + addr + "/_log")
	if err != nil {
		b.Fatalf("target log: %v", err)
	}
	defer resp.Body.Close()
	out := map[string][]served{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		var s served
		var ns int64
		if _, err := fmt.Sscan(sc.Text(), &s.path, &ns, &s.took); err != nil {
			b.Fatalf("target log line %q: %v", sc.Text(), err)
		}
		s.arrived = time.Unix(0, ns)
		out[s.path] = append(out[s.path], s)
	}
	return out
}

// measured is what the benchmark keeps of a successful result.
type measured struct {
	check    string
	start    time.Time
	duration time.Duration
}

// serverTime finds the target's record of the request r made: the one on
// its path that arrived within r's timeout.
func serverTime(log map[string][]served, r measured) (time.Duration, bool) {
	for _, s := range log["/"+r.check] {
		if !s.arrived.Before(r.start) && s.arrived.Before(r.start.Add(5*time.Second)) {
			return s.took, true
		}
	}
	return 0, false
}

// preciseSleep sleeps d in nanosleep on the goroutine's thread: the Go
// runtime's timers wake up to 1 ms late on Linux (epoll_wait counts in
// milliseconds), which would be the target's error, not the probe's.
func preciseSleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}
