package main

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigilmon/vigil/agent"
	"github.com/vigilmon/vigil/agent/spool"
	"github.com/vigilmon/vigil/agent/wire"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// catchUpConfig has agents ams and fra probing home and login once a
// minute; the server (hq) probes nothing. The tests feed the agents
// results of their own making.
const catchUpConfig = `location: hq
server: {admin_token: "admin-0123456789abcdef", report_token: "report-0123456789abcdef"}
agents:
  - {location: ams, token: "ams-agent-0123456789abcdef"}
  - {location: fra, token: "fra-agent-0123456789abcdef"}
components: [{id: app, name: App}]
checks:
  - {name: home, component: app, interval: 60s, locations: [ams, fra], http: {url: "http://127.0.0.1:1/"}}
  - {name: login, component: app, interval: 60s, locations: [ams, fra], http: {url: "http://127.0.0.1:1/"}}
slas:
  - {customer: acme, timezone: UTC, components: [app], availability_target: 99.9%}
`

// catchUpResults are three hours of results up to now, per location, in
// time order. home fails at ams in minutes 30-44 and at fra in 40-59 (down
// 40-44: both locations), at both in 150-159 (down, within the last hour);
// login fails at fra alone in 100-109 (one of two: not down). So the
// SLA counts 15 down minutes.
func catchUpResults(now time.Time, location string) []probe.Result {
	first := now.Truncate(time.Minute).Add(-180 * time.Minute)
	fails := func(check string, m int) bool {
		switch {
		case check == "home" && location == "ams":
			return m >= 30 && m < 45 || m >= 150 && m < 160
		case check == "home" && location == "fra":
			return m >= 40 && m < 60 || m >= 150 && m < 160
		case check == "login" && location == "fra":
			return m >= 100 && m < 110
		}
		return false
	}
	var out []probe.Result
	for m := range 180 {
		for i, check := range []string{"home", "login"} {
			r := probe.Result{Check: check, Location: location, Start: first.Add(time.Duration(m)*time.Minute + time.Duration(7+12*i)*time.Second),
				Duration: time.Duration(50+(m*37)%900) * time.Millisecond, Interval: time.Minute, OK: true, Status: 200,
				Phases: &probe.Phases{Connect: time.Millisecond, TTFB: 40 * time.Millisecond}}
			if fails(check, m) {
				r.OK, r.Reason, r.Status, r.Message = false, probe.ReasonStatus, 503, "status 503, expected 200"
			}
			out = append(out, r)
		}
	}
	return out
}

// gate stands between an agent and the server: closed, it drops every
// connection, as a broken network does; open, it passes requests on.
type gate struct {
	*httptest.Server
	open atomic.Bool
}

func newGate(t testing.TB, to string) *gate {
	u, err := url.Parse(to)
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{}
	proxy := httputil.NewSingleHostReverseProxy(u)
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.open.Load() {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(g.Close)
	return g
}

// shippingAgent runs an agent of location on its own spool until the test
// ends; it ships what the test emits.
func shippingAgent(t testing.TB, server, location, token string, maxBatch int) *agent.Agent {
	t.Helper()
	sp, err := spool.Open(t.TempDir(), spool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := agent.New(agent.Options{Server: server, Token: token, Location: location, Spool: sp,
		MaxBatch: maxBatch, FlushEvery: 10 * time.Millisecond, MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("agent %s: %v", location, err)
		}
		a.Close()
		sp.Close()
	})
	return a
}

// metric reads one value from the daemon's /metrics.
func metric(t *testing.T, d *daemon, name string) float64 {
	t.Helper()
	_, body := d.do(t, "GET", "/metrics", "", "")
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return f
		}
	}
	t.Fatalf("/metrics has no %s", name)
	return 0
}

// An agent cut off from the server for three hours spools its results;
// when the network is back they all arrive, in order, most of them far
// older than the results database's default out-of-order window (1h),
// they survive a restart of the server, and the SLA report from the store
// is exactly the report of what the agents measured.
func TestAgentCatchUpKeepsTheSLA(t *testing.T) {
	now := time.Now().UTC()
	addr := freeAddr(t)
	d := startServe(t, catchUpConfig, addr)
	dataDir := filepath.Join(filepath.Dir(d.cfgPath), "data")

	fraResults, amsResults := catchUpResults(now, "fra"), catchUpResults(now, "ams")
	fra := shippingAgent(t, d.base, "fra", "fra-agent-0123456789abcdef", 100)
	for _, r := range fraResults {
		fra.Emit(r)
	}
	g := newGate(t, d.base)
	ams := shippingAgent(t, g.URL, "ams", "ams-agent-0123456789abcdef", 100)
	for _, r := range amsResults {
		ams.Emit(r)
	}
	n := uint64(len(amsResults))
	waitTB(t, "fra shipped", 20*time.Second, func() bool { return fra.Stats().Shipped == n })
	waitTB(t, "ams spooled, trying", 20*time.Second, func() bool { st := ams.Stats(); return st.Spooled == n && st.Failures >= 3 })
	if st := ams.Stats(); st.Shipped != 0 || st.Spool.Pending != n {
		t.Fatalf("ams behind a broken network: %+v", st)
	}

	g.open.Store(true)
	waitTB(t, "ams caught up", 30*time.Second, func() bool { return ams.Stats().Shipped == n })
	if got := metric(t, d, "vigil_ingest_results_stored_total"); got != float64(2*n) {
		t.Errorf("%v results stored, want %d", got, 2*n)
	}
	d.stop()

	// No result lost, none changed.
	want := slices.Concat(fraResults, amsResults)
	results, err := resultsdb.Open(dataDir, resultsdb.Options{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]probe.Result{}
	err = results.Query(context.Background(), resultsdb.Query{From: now.Add(-4 * time.Hour), To: now.Add(time.Minute)}, func(r probe.Result) error {
		stored[r.Check+"/"+r.Location+"/"+r.Start.Format(time.RFC3339Nano)] = r
		return nil
	})
	results.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(want) {
		t.Errorf("the store holds %d results, the agents measured %d", len(stored), len(want))
	}
	for _, w := range want {
		got, ok := stored[w.Check+"/"+w.Location+"/"+w.Start.Format(time.RFC3339Nano)]
		if !ok || got.OK != w.OK || got.Duration != w.Duration || got.Reason != w.Reason || got.Status != w.Status || got.Interval != w.Interval {
			t.Fatalf("result %s %s %s stored as %+v (found %t), want %+v", w.Check, w.Location, w.Start, got, ok, w)
		}
	}

	// The report from the store is the report of what was measured, month
	// by month (three hours may span two).
	dir := t.TempDir()
	obs := writeFile(t, dir, "obs.csv", obsCSV(observationsOf(want)))
	mw := writeFile(t, dir, "mw.yaml", "[]\n")
	down := 0
	for _, month := range slices.Compact([]string{now.Add(-3 * time.Hour).Format("2006-01"), now.Format("2006-01")}) {
		common := []string{"-config", d.cfgPath, "-customer", "acme", "-month", month, "-format", "json"}
		code, fromStore, errOut := vigil(t, append([]string{"report", "-data-dir", dataDir}, common...)...)
		if code != 0 {
			t.Fatalf("vigil report: exit %d\n%s", code, errOut)
		}
		code, measured, errOut := vigil(t, append([]string{"sla", "-observations", obs, "-maintenance", mw}, common...)...)
		if code != 0 {
			t.Fatalf("vigil sla: exit %d\n%s", code, errOut)
		}
		if fromStore != measured {
			t.Errorf("%s: the report after the catch-up differs from the report of what the agents measured:\n--- store\n%s\n--- measured\n%s", month, fromStore, measured)
		}
		m := regexp.MustCompile(`"down": (\d+)`).FindStringSubmatch(fromStore)
		if m == nil {
			t.Fatalf("no down minutes in %s", fromStore)
		}
		n, _ := strconv.Atoi(m[1])
		down += n
	}
	if down != 15 {
		t.Errorf("%d down minutes, want 15 (home failing at both locations)", down)
	}
}

// The same batch posted twice is stored once; a wrong token stores
// nothing.
func TestIngestStoresABatchOnceAndOnlyWithItsToken(t *testing.T) {
	now := time.Now().UTC()
	d := startServe(t, catchUpConfig, freeAddr(t))
	rs := catchUpResults(now, "ams")[300:]
	body := rawBatch(rs)
	id := fmt.Sprintf("%s:1+%d", strings.Repeat("ab", 16), len(rs))

	code, answer := postBatch(t, d.base, "fra-agent-0123456789abcdeX", id, body)
	if code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d %s", code, answer)
	}
	code, answer = postBatch(t, d.base, "fra-agent-0123456789abcdef", id, body)
	if code != http.StatusForbidden {
		t.Fatalf("fra's token for ams's results: %d %s", code, answer)
	}
	// The ingest commits before it answers: anything stored would show now.
	if all, _ := resultsByLocation(t, d, "home", now.Add(-4*time.Hour)); len(all) != 0 {
		t.Fatalf("refused batches stored %v", all)
	}

	for try := range 2 {
		code, answer = postBatch(t, d.base, "ams-agent-0123456789abcdef", id, body)
		if code != http.StatusOK {
			t.Fatalf("try %d: %d %s", try, code, answer)
		}
	}
	if !strings.Contains(answer, `"stored": 0`) || !strings.Contains(answer, fmt.Sprintf(`"duplicates": %d`, len(rs))) {
		t.Errorf("second try: %s", answer)
	}
	all, _ := resultsByLocation(t, d, "home", now.Add(-4*time.Hour))
	wantHome := 0
	for _, r := range rs {
		if r.Check == "home" {
			wantHome++
		}
	}
	if all["ams"] != wantHome {
		t.Errorf("home has %d results at ams after the batch was posted twice, want %d", all["ams"], wantHome)
	}
}

// rawBatch is the uncompressed body of a batch of rs.
func rawBatch(rs []probe.Result) []byte {
	recs := make([][]byte, len(rs))
	for i := range rs {
		recs[i] = wire.AppendResult(nil, &rs[i])
	}
	return wire.AppendBody(nil, recs)
}
