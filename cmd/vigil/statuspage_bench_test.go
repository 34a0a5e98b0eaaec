package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/cpusteal"
	"github.com/vigilmon/vigil/internal/gcfloor"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// Shape of the status page benchmark's daemon.
const (
	loadComponents = 20
	loadPerComp    = 50 // checks per component: 1,000 in all
	loadInterval   = 15 * time.Second
	loadHistory    = 90 * 24 * time.Hour // the page's bars
)

// BenchmarkStatusPageUnderLoad is the status page's figure, measured on the
// daemon as it runs: vigil serve (a child process) with 1,000 HTTP checks
// every 15 s against a local target that fails one answer in 200, so
// components change status and the page re-renders during the run, as in
// an incident; 90 days of history behind the bars. wrk (-t2 -c64, gzip
// accepted like any browser) loads / and /api/v2/summary.json on the
// page's own listener, and, in the same rounds, a trivial Go server in
// this process (with the daemon's GC floor) that answers from memory with
// the response the page gave just before, headers and body: the ratio is
// the cost of the page's own code. Each round runs wrk for VIGIL_WRK_DURATION (default 10s)
// against both, in alternating order; VIGIL_WRK_ROUNDS rounds (default 3)
// per path. Reported per path: the median and worst p99 over the rounds,
// the median req/s, the ratio of the page's to the trivial server's median
// req/s, and the CPU steal meanwhile. Two modes:
//
//   - shared: daemon, trivial server and wrk may use both cores and take
//     turns on them;
//   - split (metrics prefixed split-): wrk pinned to the last CPU this
//     process may use, the daemon and the trivial server to the others
//     (on 2 cores one each, the servers with GOMAXPROCS=1), as a load test
//     keeps its generator off the server's cores.
//
// It needs wrk (Debian package wrk), taskset (util-linux) for the split
// mode, and takes some 5 minutes:
//
//	go test -run '^$' -bench StatusPageUnderLoad -benchtime 1x ./cmd/vigil/
func BenchmarkStatusPageUnderLoad(b *testing.B) {
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		b.Skip("wrk is not installed: apt-get install -y wrk")
	}
	duration, rounds := wrkDuration(b), wrkRounds(b)
	target := newFlakyTarget(b, 200)
	dir := b.TempDir()
	pageAddr := freeAddr(b)
	cfgPath := writeFileTB(b, dir, "load.yaml", pageLoadConfig(target.URL, pageAddr))
	dataDir := filepath.Join(dir, "data")
	began := time.Now()
	backfillLoadHistory(b, dataDir, time.Now())
	b.Logf("90 days of history for %d checks written in %v", loadComponents*loadPerComp, time.Since(began).Round(time.Millisecond))

	// This process runs the trivial server and the checks' target: the
	// daemon's collector policy for it too.
	defer gcfloor.Start(gcfloor.DefaultFloor).Stop()
	cpus := affinity(b)
	for _, split := range []bool{false, true} {
		prefix, wrkCmd := "", []string{wrk}
		if split {
			if len(cpus) < 2 {
				b.Log("split: needs taskset (util-linux) and 2 cores; skipped")
				continue
			}
			last := cpus[len(cpus)-1]
			prefix, wrkCmd = "split-", []string{"taskset", "-c", strconv.Itoa(last), wrk}
			// The servers on the other cores: this process and the
			// daemon, which inherits the affinity and sizes GOMAXPROCS by it.
			setAffinity(b, cpuList(cpus[:len(cpus)-1]))
		}
		func() {
			if split {
				defer setAffinity(b, cpuList(cpus))
				defer runtime.SetDefaultGOMAXPROCS()
				runtime.GOMAXPROCS(len(cpus) - 1)
			}
			d := startServeChild(b, "vigil serve", cfgPath, dataDir)
			defer d.stop() // before the next daemon opens the data dir
			pageURL := "http://" + pageAddr
			waitPageReady(b, pageURL, target)
			trivial := newTrivialServer()
			defer trivial.Close()
			for _, c := range []struct{ name, path string }{{"home", "/"}, {"summary", "/api/v2/summary.json"}} {
				name := prefix + c.name
				rendered := d.renders(b)
				steal := cpusteal.Now()
				trivial.copyFrom(b, pageURL+c.path)
				// Warm-ups, not counted: fresh connections and goroutine stacks.
				runWrk(b, wrkCmd, time.Second, pageURL+c.path)
				runWrk(b, wrkCmd, time.Second, trivial.URL+c.path)
				var page, base wrkRuns
				for i := range rounds {
					trivial.copyFrom(b, pageURL+c.path)
					if i%2 == 0 {
						page = append(page, runWrk(b, wrkCmd, duration, pageURL+c.path))
						base = append(base, runWrk(b, wrkCmd, duration, trivial.URL+c.path))
					} else {
						base = append(base, runWrk(b, wrkCmd, duration, trivial.URL+c.path))
						page = append(page, runWrk(b, wrkCmd, duration, pageURL+c.path))
					}
				}
				stealPct := cpusteal.Since(steal)
				ratio := page.medianRPS() / base.medianRPS()
				b.ReportMetric(stealPct, name+"-steal-%")
				b.ReportMetric(page.medianRPS(), name+"-req/s")
				b.ReportMetric(page.medianP99(), name+"-p99-ms")
				b.ReportMetric(page.worstP99(), name+"-worst-p99-ms")
				b.ReportMetric(base.medianRPS(), name+"-trivial-req/s")
				b.ReportMetric(base.medianP99(), name+"-trivial-p99-ms")
				b.ReportMetric(base.worstP99(), name+"-trivial-worst-p99-ms")
				b.ReportMetric(ratio, name+"-ratio")
				b.Logf("%s (%d bytes gzip, %d renders meanwhile, CPU steal %.0f %%): page p99 %s at %s req/s; trivial p99 %s at %s req/s; ratio %.2f",
					name, len(trivial.resp.Load().body), d.renders(b)-rendered, stealPct, page.p99s(), page.rates(), base.p99s(), base.rates(), ratio)
				if n := page.errors(); n > 0 {
					b.Errorf("%s: wrk saw %d errors or non-2xx answers", name, n)
				}
			}
		}()
	}
}

// pageLoadConfig is the benchmark's daemon: loadComponents components of
// loadPerComp HTTP checks each, the first of each a key screen.
func pageLoadConfig(targetURL, pageAddr string) string {
	var sb strings.Builder
	sb.WriteString("location: bench\ncomponents:\n")
	for i := range loadComponents {
		fmt.Fprintf(&sb, "  - {id: comp-%02d, name: Service %02d, group: Region %d}\n", i, i, i/5)
	}
	fmt.Fprintf(&sb, "checks:\n")
	for i := range loadComponents {
		for j := range loadPerComp {
			objective := ""
			if j == 0 {
				objective = ", objective: {threshold: 2s, target: 95%}"
			}
			fmt.Fprintf(&sb, "  - {name: %s, component: comp-%02d, interval: %s, timeout: 5s%s, http: {url: \"%s/c/%d-%d\"}}\n",
				loadCheck(i, j), i, loadInterval, objective, targetURL, i, j)
		}
	}
	fmt.Fprintf(&sb, "status_page:\n  listen: %s\n  title: Load\n  public_url: http://%s\n", pageAddr, pageAddr)
	return sb.String()
}

func loadCheck(comp, n int) string { return fmt.Sprintf("comp-%02d-check-%02d", comp, n) }

// backfillLoadHistory writes an hourly result per check for the 90 days
// before now (to the last whole hour but one: the daemon's own results
// follow): every ninth day one check of each component was down for an
// hour, and every tenth opening of a key screen was slow.
func backfillLoadHistory(b *testing.B, dataDir string, now time.Time) {
	end := now.UTC().Truncate(time.Hour).Add(-time.Hour)
	results := func(yield func(probe.Result) bool) {
		for h, t := 0, end.Add(-loadHistory); t.Before(end); h, t = h+1, t.Add(time.Hour) {
			day := h / 24
			for i := range loadComponents {
				for j := range loadPerComp {
					r := probe.Result{Check: loadCheck(i, j), Location: "bench", Start: t.Add(time.Duration(j) * time.Second),
						Duration: 120 * time.Millisecond, Interval: time.Hour, OK: true, Status: 200}
					if j == 1 && (day+i)%9 == 0 && h%24 == 3 {
						r.OK, r.Reason, r.Status = false, probe.ReasonStatus, 503
					}
					if j == 0 && h%10 == 0 {
						r.Duration = 2500 * time.Millisecond
					}
					if !yield(r) {
						return
					}
				}
			}
		}
	}
	if _, err := resultsdb.Backfill(context.Background(), dataDir, results, resultsdb.BackfillOptions{BlockRange: 486 * time.Hour}); err != nil {
		b.Fatal(err)
	}
}

// flakyTarget answers the checks' probes, failing one in failEvery.
type flakyTarget struct {
	*httptest.Server
	probes atomic.Int64
}

func newFlakyTarget(b *testing.B, failEvery int) *flakyTarget {
	tg := &flakyTarget{}
	tg.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tg.probes.Add(1)
		if rand.IntN(failEvery) == 0 {
			http.Error(w, "broken", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	b.Cleanup(tg.Close)
	return tg
}

// waitPageReady waits until every check has run once and the page answers
// with its bars.
func waitPageReady(b *testing.B, pageURL string, target *flakyTarget) {
	before := target.probes.Load()
	waitTB(b, "a round of probes", 3*loadInterval, func() bool {
		return target.probes.Load()-before >= loadComponents*loadPerComp
	})
	waitTB(b, "the page", 30*time.Second, func() bool {
		resp, err := http.Get(pageURL + "/")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode == 200 && strings.Contains(string(body), "Service 19")
	})
}

// affinity is the CPUs this process may run on (taskset -p), nil when
// taskset is missing.
func affinity(b *testing.B) []int {
	out, err := exec.Command("taskset", "-c", "-p", strconv.Itoa(os.Getpid())).Output()
	if err != nil {
		return nil
	}
	_, list, ok := strings.Cut(strings.TrimSpace(string(out)), "affinity list: ")
	if !ok {
		b.Fatalf("taskset -c -p: unexpected output %q", out)
	}
	var cpus []int
	for part := range strings.SplitSeq(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		first, err1 := strconv.Atoi(lo)
		last, err2 := first, error(nil)
		if isRange {
			last, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil {
			b.Fatalf("taskset -c -p: unexpected CPU list %q", list)
		}
		for c := first; c <= last; c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus
}

func cpuList(cpus []int) string {
	parts := make([]string, len(cpus))
	for i, c := range cpus {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

// setAffinity sets the CPUs of every thread of this process (threads and
// children made later inherit them).
func setAffinity(b *testing.B, cpus string) {
	out, err := exec.Command("taskset", "-a", "-c", "-p", cpus, strconv.Itoa(os.Getpid())).CombinedOutput()
	if err != nil {
		b.Fatalf("taskset -a -c -p %s: %v\n%s", cpus, err, out)
	}
}

// renders reads how many snapshots the page has rendered from the
// daemon's metrics.
func (in *childDaemon) renders(b *testing.B) int {
	resp, err := http.Get(in.base + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	for line := range strings.Lines(string(text)) {
		if v, ok := strings.CutPrefix(line, "vigil_status_page_renders_total "); ok {
			n, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return int(n)
		}
	}
	b.Fatal("no vigil_status_page_renders_total in /metrics")
	return 0
}

// trivialServer answers every request with one response from memory,
// the page's own bytes, headers included: the least a Go HTTP server can
// do to send them.
type trivialServer struct {
	*httptest.Server
	resp atomic.Pointer[copiedResponse]
}

type copiedResponse struct {
	header http.Header // without Date, which net/http writes
	body   []byte      // gzip
}

// newTrivialServer serves on a free loopback port with the timeouts of
// vigil's own listeners.
func newTrivialServer() *trivialServer {
	s := &trivialServer{}
	s.resp.Store(&copiedResponse{header: http.Header{}})
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp := s.resp.Load()
		h := w.Header()
		for k, v := range resp.header {
			h[k] = v
		}
		_, _ = w.Write(resp.body)
	}))
	s.Config.ReadHeaderTimeout, s.Config.ReadTimeout = 5*time.Second, 30*time.Second
	s.Config.WriteTimeout, s.Config.IdleTimeout = 120*time.Second, 120*time.Second
	s.Start()
	return s
}

// copyFrom takes the response the page gives at url now.
func (s *trivialServer) copyFrom(b *testing.B, url string) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", "gzip") // set by hand: the transport leaves the body compressed
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
		b.Fatalf("GET %s: %d %q, %v", url, resp.StatusCode, resp.Header.Get("Content-Encoding"), err)
	}
	resp.Header.Del("Date")
	s.resp.Store(&copiedResponse{header: resp.Header, body: body})
}

func wrkDuration(b *testing.B) time.Duration {
	v := os.Getenv("VIGIL_WRK_DURATION")
	if v == "" {
		return 10 * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Second {
		b.Fatalf("VIGIL_WRK_DURATION=%q: want a duration of 1s or more", v)
	}
	return d
}

func wrkRounds(b *testing.B) int {
	v := os.Getenv("VIGIL_WRK_ROUNDS")
	if v == "" {
		return 3
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("VIGIL_WRK_ROUNDS=%q: want a whole number of 1 or more", v)
	}
	return n
}
