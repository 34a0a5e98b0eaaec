package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/vigilmon/vigil/store"
)

// The report lists the incidents of the SLA's components from the state
// database, with the minutes the calculator counted down.
func TestReportListsIncidents(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfgPath := writeFile(t, dir, "c.yaml", slaConfig)
	// home (component app) fails from 10:00 to 10:30 UTC on 1 October.
	state := storeTestResults(t, dir, time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC), time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC))
	at := func(h, m int) time.Time { return time.Date(2026, 10, 1, h, m, 0, 0, time.UTC) }
	resolved := func(tm time.Time) *time.Time { return &tm }
	for _, inc := range []store.Incident{
		{ID: "inc-appdown1", Title: "App unavailable", Components: []string{"app"}, Status: "resolved", OpenedAt: at(10, 2),
			ResolvedAt: resolved(at(10, 31)), Version: 2, Updates: []store.IncidentUpdate{
				{Seq: 1, At: at(10, 2), Status: "investigating", Message: "App is not working as expected."},
				{Seq: 2, At: at(10, 31), Status: "resolved", Message: "App is working normally again."}}},
		{ID: "inc-otherxx1", Title: "Other unavailable", Components: []string{"other"}, Status: "resolved", OpenedAt: at(11, 0),
			ResolvedAt: resolved(at(11, 5)), Version: 2, Updates: []store.IncidentUpdate{
				{Seq: 1, At: at(11, 0), Status: "investigating", Message: "Other is not working as expected."},
				{Seq: 2, At: at(11, 5), Status: "resolved", Message: "Other is working normally again."}}},
	} {
		if err := state.SaveIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
	}
	if err := state.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := vigil(t, "report", "-config", cfgPath, "-data-dir", dir, "-customer", "acme", "-month", "2026-10", "-format", "json")
	if code != 0 {
		t.Fatalf("vigil report: exit %d %s", code, errOut)
	}
	var rep struct {
		Incidents []struct {
			ID             string
			CountedMinutes int64 `json:"counted_minutes"`
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rep.Incidents) != 1 || rep.Incidents[0].ID != "inc-appdown1" || rep.Incidents[0].CountedMinutes != 28 {
		t.Fatalf("incidents in the report: %+v, want inc-appdown1 with 28 counted minutes (10:02-10:30)", rep.Incidents)
	}
}
