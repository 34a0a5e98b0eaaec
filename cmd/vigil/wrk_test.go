package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// wrkResult is what one wrk run measured.
type wrkResult struct {
	rps    float64
	p99    time.Duration
	errors int
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
			d, err := time.ParseDuration(fields[1]) // wrk writes us, ms, s: Go reads them all
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

// wrkRuns are the rounds of one server on one path.
type wrkRuns []wrkResult

func (rs wrkRuns) medianRPS() float64 {
	return median(rs, func(r wrkResult) float64 { return r.rps })
}

func (rs wrkRuns) medianP99() float64 {
	return median(rs, func(r wrkResult) float64 { return r.p99.Seconds() * 1000 })
}

func (rs wrkRuns) worstP99() float64 {
	worst := 0.0
	for _, r := range rs {
		worst = max(worst, r.p99.Seconds()*1000)
	}
	return worst
}

func (rs wrkRuns) errors() (n int) {
	for _, r := range rs {
		n += r.errors
	}
	return n
}

func (rs wrkRuns) p99s() string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.p99.Round(10*time.Microsecond).String())
	}
	return strings.Join(parts, ", ")
}

func (rs wrkRuns) rates() string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, strconv.Itoa(int(r.rps)))
	}
	return strings.Join(parts, ", ")
}

func median(rs wrkRuns, f func(wrkResult) float64) float64 {
	vs := make([]float64, len(rs))
	for i, r := range rs {
		vs[i] = f(r)
	}
	slices.Sort(vs)
	if n := len(vs); n%2 == 0 {
		return (vs[n/2-1] + vs[n/2]) / 2
	}
	return vs[len(vs)/2]
}
