package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/store"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// vigil report over the store and vigil sla over files exported from the
// same store give the same report, byte for byte.
func TestReportMatchesSLA(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfgPath := writeFile(t, dir, "c.yaml", slaConfig)
	logger := slog.New(slog.DiscardHandler)
	state := storeTestResults(t, dir, time.Date(2026, 9, 30, 20, 0, 0, 0, time.UTC), time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC))
	planned := addTestMaintenance(t, ctx, state)
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	called, err := state.ScheduleMaintenance(ctx, store.Maintenance{Title: "Called off", Components: []string{"app"},
		Start: time.Date(2026, 10, 2, 0, 0, 0, 0, ams), End: time.Date(2026, 10, 2, 1, 0, 0, 0, ams)},
		time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := state.CancelMaintenance(ctx, called.ID, time.Date(2026, 9, 2, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := state.Close(); err != nil {
		t.Fatal(err)
	}

	obsPath, mwPath := exportForAudit(t, dir, cfgPath)
	common := []string{"-config", cfgPath, "-customer", "acme", "-month", "2026-10", "-format", "json"}
	code, fromStore, errOut := vigil(t, append([]string{"report", "-data-dir", dir}, common...)...)
	if code != 0 {
		t.Fatalf("vigil report: exit %d\n%s", code, errOut)
	}
	code, fromFiles, errOut := vigil(t, append([]string{"sla", "-observations", obsPath, "-maintenance", mwPath}, common...)...)
	if code != 0 {
		t.Fatalf("vigil sla: exit %d\n%s", code, errOut)
	}
	if fromStore != fromFiles {
		t.Errorf("vigil report and vigil sla differ:\n--- report\n%s\n--- sla\n%s", fromStore, fromFiles)
	}
	for _, want := range []string{`"down": 30`, `"excluded": 90`, `"id": "` + planned.ID + `"`, `"planned": true`} {
		if !strings.Contains(fromStore, want) {
			t.Errorf("report lacks %s:\n%s", want, fromStore)
		}
	}
	if strings.Contains(fromStore, called.ID) {
		t.Errorf("the cancelled window %s is in the report", called.ID)
	}

	// While vigil serve holds the data dir, the report says where to go.
	held, err := resultsdb.Open(dir, resultsdb.Options{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, _, errOut = vigil(t, append([]string{"report", "-data-dir", dir}, common...)...)
	if code != 1 || !strings.Contains(errOut, "vigil serve is running on data dir") || !strings.Contains(errOut, "GET /api/v1/reports/acme/2026-10.json") {
		t.Errorf("report on a held data dir: exit %d %s", code, errOut)
	}
}

// exportForAudit writes the SLA's observations and windows of October 2026
// from the data dir as OBS.csv and MW.yaml, through the same readers the
// report uses.
func exportForAudit(t *testing.T, dir, cfgPath string) (obsPath, mwPath string) {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	cfg, err := loadConfig(cfgPath, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	terms, err := termsFor(cfg, "acme")
	if err != nil {
		t.Fatal(err)
	}
	p, err := sla.MonthPeriod(terms.Location, 2026, time.October)
	if err != nil {
		t.Fatal(err)
	}
	results, err := resultsdb.Open(dir, resultsdb.Options{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer results.Close()
	checks := slaChecks(cfg, terms)
	// Export through the store's other read path (Query, every detail), so
	// that the two commands share no code between the TSDB and the CSV.
	var rs []probe.Result
	for _, c := range checks {
		q := resultsdb.Query{Check: c, From: p.Start.Add(-lookBack(cfg, checks)), To: p.End}
		if err := results.Query(ctx, q, func(r probe.Result) error { rs = append(rs, r); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	obs := observationsOf(rs)
	if len(obs) == 0 {
		t.Fatal("no observations read back")
	}
	state, err := store.OpenState(dir, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer state.Close()
	ws, err := state.ListMaintenance(ctx, p.Start, p.End, false)
	if err != nil {
		t.Fatal(err)
	}
	var y strings.Builder
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
	for _, w := range ws {
		fmt.Fprintf(&y, "- id: %s\n  components: [%s]\n  start: %s\n  end: %s\n  announced_at: %s\n",
			w.ID, strings.Join(w.Components, ", "), ts(w.Start), ts(w.End), ts(w.AnnouncedAt))
		if w.ActualEnd != nil {
			fmt.Fprintf(&y, "  actual_end: %s\n", ts(*w.ActualEnd))
		}
	}
	return writeFile(t, dir, "obs.csv", obsCSV(obs)), writeFile(t, dir, "mw.yaml", y.String())
}

// storeTestResults writes testResults(from, to) into a results store in
// dir, closes it and opens the state database beside it.
func storeTestResults(t *testing.T, dir string, from, to time.Time) *store.State {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	results, err := resultsdb.Open(dir, resultsdb.Options{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range testResults(from, to) {
		if err := results.Write(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := results.Close(); err != nil {
		t.Fatal(err)
	}
	state, err := store.OpenState(dir, logger)
	if err != nil {
		t.Fatal(err)
	}
	return state
}
