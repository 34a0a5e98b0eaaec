package statuspage

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/cpusteal"
)

// BenchmarkServeUnderLoad measures the page the way a spike of visitors
// meets it: wrk (-t2 -c64, gzip accepted like any browser) on / and on
// /api/v2/summary.json while 1,000 checks feed results, some failing, so
// that the page re-renders during the run. The same wrk runs against a
// trivial Go server that returns the same bytes from memory, for the ratio.
// Each gets VIGIL_WRK_DURATION (default 10s) per path, in two halves run
// page, trivial, trivial, page. It reports req/s and the worse p99 of the
// halves; it needs wrk (Debian package wrk) and takes about 8 × the
// duration, as it runs it all twice:
//
//   - shared: the server may use every core and so may wrk. On a 2-core
//     machine the two then take turns on the CPUs, and the tail is the
//     kernel's scheduling (a trivial server's p99 is 20-30 ms here);
//
//   - split (metrics prefixed split-): wrk pinned to the last core
//     (taskset), the server on one P (GOMAXPROCS=1), as a load test keeps
//     its generator off the server's cores. Visitors' browsers are not on
//     the status page's machine either.
//
//     go test -run '^$' -bench ServeUnderLoad -benchtime 1x ./statuspage/
func BenchmarkServeUnderLoad(b *testing.B) {
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		b.Skip("wrk is not installed: apt-get install -y wrk")
	}
	duration := 10 * time.Second
	if v := os.Getenv("VIGIL_WRK_DURATION"); v != "" {
		if duration, err = time.ParseDuration(v); err != nil {
			b.Fatalf("VIGIL_WRK_DURATION: %v", err)
		}
	}
	half := duration / 2
	f, checks := loadSources(20, 50)
	p, err := New(Options{
		Title: "Load", PublicURL: "http://127.0.0.1", Location: time.UTC,
		Catalog: f, Latest: f, Incidents: f, Maintenances: f, Availability: f,
		PollEvery: time.Second,
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = p.Run(ctx) }()
	go feedChecks(ctx, f, checks)
	for p.snap.Load() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	pageURL := serveBench(b, p.Handler())

	snap := p.snap.Load()
	trivial := map[string][]byte{}
	for _, path := range []string{"/", "/api/v2/summary.json"} {
		trivial[path] = snap.assets[path].gz
	}
	trivialURL := serveBench(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := trivial[r.URL.Path]
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))

	for _, split := range []bool{false, true} {
		prefix, wrkCmd := "", []string{wrk}
		if split {
			taskset, err := exec.LookPath("taskset")
			if err != nil || runtime.NumCPU() < 2 {
				b.Log("split: needs taskset (util-linux) and 2 cores; skipped")
				continue
			}
			prefix = "split-"
			wrkCmd = []string{taskset, "-c", strconv.Itoa(runtime.NumCPU() - 1), wrk}
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		}
		for _, c := range []struct{ name, path string }{{"home", "/"}, {"summary", "/api/v2/summary.json"}} {
			name := prefix + c.name
			rendersBefore := p.renders.Load()
			steal := cpusteal.Now()
			// A warm-up each, not counted (fresh connections, goroutine
			// stacks, a new GOMAXPROCS); then page, trivial, trivial,
			// page: drift in what else the machine runs falls on both alike.
			runWrk(b, wrkCmd, time.Second, pageURL+c.path)
			runWrk(b, wrkCmd, time.Second, trivialURL+c.path)
			page := runWrk(b, wrkCmd, half, pageURL+c.path)
			base := runWrk(b, wrkCmd, half, trivialURL+c.path)
			base = base.merge(runWrk(b, wrkCmd, half, trivialURL+c.path))
			page = page.merge(runWrk(b, wrkCmd, half, pageURL+c.path))
			rendered := p.renders.Load() - rendersBefore
			stealPct := cpusteal.Since(steal)
			b.ReportMetric(stealPct, name+"-steal-%")
			b.ReportMetric(page.rps, name+"-req/s")
			b.ReportMetric(page.p99.Seconds()*1000, name+"-p99-ms")
			b.ReportMetric(base.rps, name+"-trivial-req/s")
			b.ReportMetric(base.p99.Seconds()*1000, name+"-trivial-p99-ms")
			b.ReportMetric(page.rps/base.rps, name+"-ratio")
			b.Logf("%s: page %.0f req/s p99 %s (%d renders meanwhile, %d bytes gzip); trivial %.0f req/s p99 %s; ratio %.2f; CPU steal %.0f %%",
				name, page.rps, page.p99, rendered, len(trivial[c.path]), base.rps, base.p99, page.rps/base.rps, stealPct)
			if page.errors > 0 {
				b.Errorf("%s: wrk saw %d errors or non-2xx answers", name, page.errors)
			}
		}
	}
}

// loadSources builds a catalog of comps components with perComp checks
// each (one key screen per component), 90 days of bars, all passing.
func loadSources(comps, perComp int) (*fakeSources, []string) {
	f := newFakeSources()
	now := time.Now()
	days := dayStarts(now.UTC(), barDays)
	var checks []string
	for i := range comps {
		c := Component{ID: fmt.Sprintf("comp-%02d", i), Name: fmt.Sprintf("Service %02d", i), Group: fmt.Sprintf("Region %d", i/5)}
		f.daily[c.ID] = map[string]DayMinutes{}
		for j := range perComp {
			ch := Check{Name: fmt.Sprintf("%s-check-%02d", c.ID, j), Interval: 15 * time.Second}
			if j == 0 {
				ch.Threshold = 2 * time.Second
			}
			c.Checks = append(c.Checks, ch)
			checks = append(checks, ch.Name)
			f.latest[ch.Name] = Result{Start: now, OK: true, Duration: 200 * time.Millisecond}
		}
		for d, day := range days {
			f.daily[c.ID][day.Format(time.DateOnly)] = DayMinutes{Up: 1440 - int64(d%3), Down: int64(d % 3)}
		}
		f.components = append(f.components, c)
	}
	return f, checks
}

// feedChecks plays 1,000 checks every 15 s: each tick a share of them gets
// a new result, and one in 200 fails, so components change status now and
// then and the page renders during the benchmark, as during an incident.
func feedChecks(ctx context.Context, f *fakeSources, checks []string) {
	const tick = 100 * time.Millisecond
	perTick := len(checks) * int(tick) / int(15*time.Second)
	t := time.NewTicker(tick)
	defer t.Stop()
	next := 0
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			for range perTick {
				f.setLatest(checks[next], Result{Start: now, OK: rand.IntN(200) != 0, Duration: time.Duration(100+rand.IntN(400)) * time.Millisecond})
				next = (next + 1) % len(checks)
			}
		}
	}
}

// serveBench serves h on a free loopback port with the timeouts of vigil's
// own listeners and returns its base URL.
func serveBench(b *testing.B, h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

type wrkResult struct {
	rps    float64
	p99    time.Duration
	errors int
}

// merge combines two runs of equal length: their mean rate, the worse
// p99, all errors.
func (r wrkResult) merge(o wrkResult) wrkResult {
	return wrkResult{rps: (r.rps + o.rps) / 2, p99: max(r.p99, o.p99), errors: r.errors + o.errors}
}

// runWrk runs wrk (cmd: its path, after any taskset and its arguments).
func runWrk(b *testing.B, cmd []string, d time.Duration, url string) wrkResult {
	secs := strconv.Itoa(max(1, int(d.Round(time.Second)/time.Second))) + "s"
	args := append(cmd[1:len(cmd):len(cmd)], "-t2", "-c64", "-d"+secs, "--latency", "-H", "Accept-Encoding: gzip", url)
	out, err := exec.Command(cmd[0], args...).CombinedOutput()
	if err != nil {
		b.Fatalf("wrk %s: %v\n%s", url, err, out)
	}
	r, err := parseWrk(out)
	if err != nil {
		b.Fatalf("wrk %s: %v\n%s", url, err, out)
	}
	return r
}

// parseWrk reads req/s, the 99th percentile latency and the errors from
// wrk --latency output.
func parseWrk(out []byte) (wrkResult, error) {
	var r wrkResult
	var haveRPS, haveP99 bool
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) == 2 && fields[0] == "Requests/sec:":
			v, err := strconv.ParseFloat(fields[1], 64)
			if err != nil {
				return r, fmt.Errorf("requests/sec %q: %w", fields[1], err)
			}
			r.rps, haveRPS = v, true
		case len(fields) == 2 && fields[0] == "99%":
			d, err := time.ParseDuration(strings.Replace(fields[1], "us", "µs", 1))
			if err != nil {
				return r, fmt.Errorf("99th percentile %q: %w", fields[1], err)
			}
			r.p99, haveP99 = d, true
		case len(fields) >= 4 && fields[0] == "Non-2xx":
			n, _ := strconv.Atoi(fields[len(fields)-1])
			r.errors += n
		case len(fields) > 2 && fields[0] == "Socket" && fields[1] == "errors:":
			for _, part := range strings.Split(strings.Join(fields[2:], " "), ",") {
				if kv := strings.Fields(part); len(kv) == 2 {
					n, _ := strconv.Atoi(kv[1])
					r.errors += n
				}
			}
		}
	}
	if !haveRPS || !haveP99 {
		return r, errors.New("no Requests/sec or 99% line: was --latency given?")
	}
	return r, nil
}

func TestParseWrk(t *testing.T) {
	out := `Running 10s test @ http://127.0.0.1:40000/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    1.02ms  31.20ms   80.00%
    Req/Sec    15.60k     1.10k   18.20k    70.00%
  Latency Distribution
     50%    1.90ms
     75%    2.50ms
     90%    3.20ms
     99%  850.00us
  310000 requests in 10.00s, 3.10GB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  31000.50
Transfer/sec:    310.00MB
`
	r, err := parseWrk([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if r.rps != 31000.50 || r.p99 != 850*time.Microsecond || r.errors != 7 {
		t.Errorf("parsed %+v, want 31000.5 req/s, p99 850µs, 7 errors", r)
	}
	if _, err := parseWrk([]byte("Requests/sec: 1\n")); err == nil {
		t.Error("output without --latency parsed")
	}
}
