package sla

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestResultJSONGolden pins the JSON shape (vigil.sla.v1) of a small but
// complete result: two components, three windows (planned, unannounced, over
// the budget), a key screen and an incident.
func TestResultJSONGolden(t *testing.T) {
	terms := screenTerms(DailyWindow{From: 0, To: 120})
	terms.Components = []string{"app", "api"}
	terms.CheckComponents["rest"] = "api"
	terms.AllowedHours = weeknightHours()
	terms.MonthlyBudget = 90 * time.Minute
	from, to := at("2026-10-06 20:00"), at("2026-10-07 03:00")
	hotfix := win("hotfix-7", at("2026-10-06 23:00"), at("2026-10-06 23:20"), 2)
	long := win("db-migration", at("2026-10-07 00:00"), at("2026-10-07 02:00"), 168, "api")
	long.ActualEnd = ptr(at("2026-10-07 01:45"))
	ws := []Window{
		win("upgrade-41", at("2026-10-06 21:00"), at("2026-10-06 21:30"), 130, "app", "api"),
		hotfix, long,
	}
	var obs []Observation
	// web (app): down 22:00-22:10 and during the hotfix.
	for m := from; m.Before(to); m = m.Add(time.Minute) {
		bad := (!m.Before(at("2026-10-06 22:00")) && m.Before(at("2026-10-06 22:10"))) ||
			(!m.Before(at("2026-10-06 23:05")) && m.Before(at("2026-10-06 23:15")))
		obs = append(obs, ob("web", "ams", m, !bad), ob("web", "fra", m, !bad))
	}
	// rest (api): down during its migration, beyond the budget too.
	for m := from; m.Before(to); m = m.Add(time.Minute) {
		bad := !m.Before(at("2026-10-07 00:30")) && m.Before(at("2026-10-07 01:50"))
		obs = append(obs, ob("rest", "ams", m, !bad))
	}
	// screen: every 5 minutes, slower at night, one timeout.
	for i, m := 0, from; m.Before(to); i, m = i+1, m.Add(5*time.Minute) {
		d := int64(400 + 37*i)
		if i == 20 {
			obs = append(obs, lat(m, false, 0, "timeout"))
			continue
		}
		obs = append(obs, lat(m, true, d, ""))
	}
	// Add series by series, each in time order.
	var series []Observation
	for _, key := range [][2]string{{"web", "ams"}, {"web", "fra"}, {"rest", "ams"}, {"screen", "ams"}} {
		for _, o := range obs {
			if o.Check == key[0] && o.Location == key[1] {
				series = append(series, o)
			}
		}
	}
	r := run(t, terms, from, to, ws, series...)
	r.AddIncidents(Incident{ID: "inc-3", Title: "Login errors", Start: at("2026-10-06 21:58:12"),
		End: ptr(at("2026-10-06 22:11:40")), Components: []string{"app"}})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // reasons hold "<"
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	path := filepath.Join("testdata", "result.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./sla -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("JSON differs from %s (go test ./sla -run Golden -update rewrites it):\n%s", path, got)
	}
}
