package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/selfmetrics"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store"
	"github.com/vigilmon/vigil/store/remotewrite/vmtest"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// monthResults are October 2026 (and the evening before) of the
// slaConfig checks at two locations every minute: testResults' home and
// screen (outages, slow screens, timeouts), and other-home, whose
// interval doubles mid-month and which fails for 90 minutes on the 20th.
func monthResults() []probe.Result {
	from, to := time.Date(2026, 9, 30, 20, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	out := testResults(from, to)
	outage := time.Date(2026, 10, 20, 12, 0, 0, 0, time.UTC)
	for i, m := 0, from; m.Before(to); i, m = i+1, m.Add(time.Minute) {
		interval := time.Minute
		if m.Day() >= 15 && m.Month() == time.October {
			if i%2 == 1 {
				continue
			}
			interval = 2 * time.Minute
		}
		for _, loc := range []string{"ams", "fra"} {
			r := probe.Result{Check: "other-home", Location: loc, Start: m.Add(5*time.Second + 250*time.Millisecond),
				Duration: time.Duration(80_000_000 + i%1000*1_003), Interval: interval, OK: true, Status: 200}
			if !m.Before(outage) && m.Before(outage.Add(90*time.Minute)) {
				r.OK, r.Reason, r.Status = false, probe.ReasonConnect, 0
			}
			out = append(out, r)
		}
	}
	// In time order, as a daemon writes them: Backfill then fills each
	// block once.
	slices.SortStableFunc(out, func(a, b probe.Result) int { return a.Start.Compare(b.Start) })
	return out
}

// A monthly SLA report read from VictoriaMetrics, where vigil remote-wrote
// the results, equals byte for byte the one read from the embedded
// results database that holds the same results.
func TestReportFromRemoteMatchesLocal(t *testing.T) {
	vm := vmtest.Start(t)
	ctx := context.Background()
	dir := t.TempDir()
	cfgPath := writeFile(t, dir, "c.yaml", slaConfig+fmt.Sprintf(`remote_write:
  - url: %s
    queue: {capacity: 2000000, max_samples_per_send: 10000, batch_send_deadline: 20ms}
remote_read:
  url: %s
`, vm.WriteURL(), vm.URL))
	results := monthResults()

	if _, err := resultsdb.Backfill(ctx, dir, slices.Values(results), resultsdb.BackfillOptions{BlockRange: 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	scheduleTestMaintenance(t, dir)

	cfg, err := loadConfig(cfgPath, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m := selfmetrics.New()
	writers, err := newRemoteWriters(cfg, m, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- writers.Run(runCtx) }()
	for _, r := range results {
		writers.Observe(r)
	}
	deadline := time.Now().Add(5 * time.Minute) // a guard against a hang, not a timing goal
	for writers[0].Stats().QueueSamples > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s := writers[0].Stats()
	if s.SamplesFailed != 0 || s.SamplesDropped != 0 || s.SamplesSent < uint64(3*len(results)) {
		t.Fatalf("remote write: %+v for %d results", s, len(results))
	}
	var metrics bytes.Buffer
	m.WritePrometheus(&metrics)
	if want := fmt.Sprintf("vigil_remote_write_samples_sent_total{remote=%q} %d\n", strings.TrimPrefix(vm.URL, "http://"), s.SamplesSent); !strings.Contains(metrics.String(), want) {
		t.Errorf("/metrics lacks %s", want)
	}
	vm.Flush(t)

	for _, customer := range []string{"acme", "globex"} {
		common := []string{"report", "-config", cfgPath, "-data-dir", dir, "-customer", customer, "-month", "2026-10", "-format", "json"}
		code, local, errOut := vigil(t, common...)
		if code != 0 {
			t.Fatalf("vigil report: exit %d\n%s", code, errOut)
		}
		code, remote, errOut := vigil(t, append(common, "-source", "remote")...)
		if code != 0 {
			t.Fatalf("vigil report -source remote: exit %d\n%s", code, errOut)
		}
		if remote != local {
			t.Errorf("%s: the reports differ:\n--- local\n%s\n--- remote\n%s", customer, local, remote)
		}
		if !strings.Contains(local, `"schema": "vigil.sla.v1"`) || !strings.Contains(local, `"down": `) {
			t.Errorf("%s: not a report:\n%s", customer, local)
		}
	}
}

// scheduleTestMaintenance puts a planned window, completed early, and a
// short-notice one for acme's app into the state database in dir.
func scheduleTestMaintenance(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	state, err := store.OpenState(dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer state.Close()
	addTestMaintenance(t, ctx, state)
}

// addTestMaintenance records the SLA tests' two windows on app: a
// database upgrade announced 11 days ahead (21:00-23:00 Amsterdam on
// 1 October, completed at 22:30; returned) and one at short notice
// (12:00-12:30, announced the day before).
func addTestMaintenance(t *testing.T, ctx context.Context, state *store.State) store.Maintenance {
	t.Helper()
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	planned, err := state.ScheduleMaintenance(ctx, store.Maintenance{Title: "Database upgrade", Components: []string{"app"},
		Start: time.Date(2026, 10, 1, 21, 0, 0, 0, ams), End: time.Date(2026, 10, 1, 23, 0, 0, 0, ams)},
		time.Date(2026, 9, 20, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := state.CompleteMaintenance(ctx, planned.ID, time.Date(2026, 10, 1, 22, 30, 0, 0, ams)); err != nil {
		t.Fatal(err)
	}
	if _, err := state.ScheduleMaintenance(ctx, store.Maintenance{Title: "Short notice", Components: []string{"app"},
		Start: time.Date(2026, 10, 1, 12, 0, 0, 0, ams), End: time.Date(2026, 10, 1, 12, 30, 0, 0, ams)},
		time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return planned
}

// The daemon's writers send every result to every endpoint and expose
// their counters.
func TestRemoteWritersFanOut(t *testing.T) {
	var mu sync.Mutex
	got := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.URL.Path+" "+r.Header.Get("Authorization")]++
		mu.Unlock()
	}))
	defer srv.Close()
	t.Setenv("VIGIL_TEST_REMOTE_TOKEN", "token-for-b")
	dir := t.TempDir()
	cfg, err := loadConfig(writeFile(t, dir, "c.yaml", fmt.Sprintf(`remote_write:
  - url: %[1]s/a
    name: a
    queue: {batch_send_deadline: 1ms}
  - url: %[1]s/b
    name: b
    bearer_token: ${VIGIL_TEST_REMOTE_TOKEN}
    queue: {batch_send_deadline: 1ms}
`, srv.URL)), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m := selfmetrics.New()
	writers, err := newRemoteWriters(cfg, m, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- writers.Run(ctx) }()
	writers.Observe(probe.Result{Check: "home", Location: "ams", Start: time.Now(), Interval: time.Minute, OK: true})
	for writers[0].Stats().SamplesSent == 0 || writers[1].Stats().SamplesSent == 0 {
		time.Sleep(time.Millisecond)
	}
	stop()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if got["/a "] != 1 || got["/b Bearer token-for-b"] != 1 || len(got) != 2 {
		t.Fatalf("requests: %v", got)
	}
	var out bytes.Buffer
	m.WritePrometheus(&out)
	for _, want := range []string{`vigil_remote_write_samples_sent_total{remote="a"} 3`, `vigil_remote_write_samples_sent_total{remote="b"} 3`,
		`vigil_remote_write_queue_capacity_samples{remote="a"} 100000`} {
		if !strings.Contains(out.String(), want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestReportSourceErrors(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeFile(t, dir, "c.yaml", slaConfig)
	base := []string{"report", "-config", cfgPath, "-data-dir", dir, "-customer", "acme", "-month", "2026-10"}
	code, _, errOut := vigil(t, append(base, "-source", "remote")...)
	if code != 2 || !strings.Contains(errOut, "-source remote needs remote_read.url in the config") {
		t.Errorf("-source remote without remote_read: exit %d %s", code, errOut)
	}
	code, _, errOut = vigil(t, append(base, "-source", "cluster")...)
	if code != 2 || !strings.Contains(errOut, "-source cluster is not supported; use local") {
		t.Errorf("-source cluster: exit %d %s", code, errOut)
	}
}
