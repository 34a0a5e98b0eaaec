package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	amsAgentToken = "ams-agent-0123456789abcdef"
	fraAgentToken = "fra-agent-0123456789abcdef"
	nycAgentToken = "nyc-agent-0123456789abcdef"
)

// agentsConfig has three agents that run home against target every
// second; the server (hq) runs no check itself.
func agentsConfig(target string) string {
	return fmt.Sprintf(`location: hq
server: {admin_token: %q, report_token: %q}
agents:
  - {location: ams, token: %q}
  - {location: fra, token: %q}
  - {location: nyc, token: %q}
components: [{id: app, name: App}]
checks:
  - name: home
    component: app
    interval: 1s
    timeout: 900ms
    locations: [ams, fra, nyc]
    http: {url: "%s/", expect: {status: [200], body_contains: "hello"}}
slas:
  - {customer: acme, timezone: UTC, components: [app], availability_target: 99.9%%}
alerting:
  policy: {failures_to_open: 3, successes_to_resolve: 2}
  on_call: [{name: A, phone: "+31612345678"}]
`, e2eAdmin, e2eReport, amsAgentToken, fraAgentToken, nycAgentToken, target)
}

// startAgent runs `vigil agent` in-process until the test ends.
func startAgent(t *testing.T, cfgPath, server, location, token string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	logs := &syncWriter{w: &bytes.Buffer{}}
	go func() {
		done <- runAgent(ctx, agentSetup{configPath: cfgPath, server: server, location: location,
			spoolDir: t.TempDir(), spoolMax: 64 << 20, token: token}, logs)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("agent %s: %v", location, err)
		}
		if s := logs.w.(*bytes.Buffer).String(); strings.Contains(s, token) {
			t.Errorf("agent %s logs its token", location)
		}
	})
}

// resultsByLocation counts the stored results of check since from:
// results and failures per location.
func resultsByLocation(t *testing.T, d *daemon, check string, from time.Time) (all, failed map[string]int) {
	t.Helper()
	code, body := d.do(t, "GET", "/api/v1/checks/"+check+"/results?from="+url.QueryEscape(from.Format(time.RFC3339)), "", "")
	var out struct {
		Results []struct {
			Location string
			OK       bool
		}
	}
	if err := json.Unmarshal([]byte(body), &out); code != 200 || err != nil {
		t.Fatalf("results: %d %s", code, body)
	}
	all, failed = map[string]int{}, map[string]int{}
	for _, r := range out.Results {
		all[r.Location]++
		if !r.OK {
			failed[r.Location]++
		}
	}
	return all, failed
}

// Three locations, one of them cut off from the target: its probes fail,
// but one location of three is no majority (SLA.md section 2), so no
// incident opens, the SLA counts no down minute and the status page shows
// the component operational. When the target itself
// fails, every location sees it and the incident opens.
func TestThreeLocationsOneBrokenNetworkOpensNoIncident(t *testing.T) {
	target := newTarget(t)
	addr := freeAddr(t)
	d := startServe(t, agentsConfig(target.URL), addr)
	started := time.Now().UTC()
	dir := t.TempDir()
	good := writeFile(t, dir, "agent.yaml", agentsConfig(target.URL))
	// From ams the target is out of reach: a broken proxy on the way
	// answers 502, and late, so that ams's result is the newest one of
	// each round (whoever judges by the newest result alone gets it wrong).
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		http.Error(w, "bad gateway", http.StatusBadGateway)
	}))
	t.Cleanup(proxy.Close)
	broken := writeFile(t, dir, "agent-ams.yaml", agentsConfig(proxy.URL))
	startAgent(t, broken, d.base, "ams", amsAgentToken)
	startAgent(t, good, d.base, "fra", fraAgentToken)
	startAgent(t, good, d.base, "nyc", nycAgentToken)

	// Well past failures_to_open results of every location.
	waitTB(t, "results of every location", 20*time.Second, func() bool {
		all, failed := resultsByLocation(t, d, "home", started)
		return all["fra"] >= 6 && all["nyc"] >= 6 && failed["ams"] >= 6
	})
	all, failed := resultsByLocation(t, d, "home", started)
	if failed["fra"] != 0 || failed["nyc"] != 0 || failed["ams"] != all["ams"] {
		t.Fatalf("results %v, failed %v: want ams failing and the others passing", all, failed)
	}
	if incs := listIncidents(t, d); len(incs) != 0 {
		t.Fatalf("incident opened with one location of three failing: %+v", incs)
	}
	month := started.Format("2006-01")
	code, body := d.do(t, "GET", "/api/v1/reports/acme/"+month+".json", e2eReport, "")
	var report struct {
		Minutes struct{ Up, Down int }
	}
	if err := json.Unmarshal([]byte(body), &report); code != 200 || err != nil {
		t.Fatalf("report: %d %s", code, body)
	}
	if report.Minutes.Down != 0 || report.Minutes.Up == 0 {
		t.Errorf("report minutes %+v: want some up and none down", report.Minutes)
	}

	// The status page judges the current status by the same quorum, at
	// each of its refreshes (every 5 s) over a while.
	for end := time.Now().Add(6 * time.Second); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
		code, body := d.do(t, "GET", "/api/v2/components.json", "", "")
		var page struct {
			Components []struct{ Name, Status string }
		}
		if err := json.Unmarshal([]byte(body), &page); code != 200 || err != nil || len(page.Components) != 1 {
			t.Fatalf("status page: %d %s", code, body)
		}
		if s := page.Components[0].Status; s != "operational" {
			t.Fatalf("status page shows App %s with one location of three failing", s)
		}
	}

	// The target fails: a majority of locations sees it.
	target.setDown(true)
	waitTB(t, "an incident when every location fails", 20*time.Second, func() bool { return len(listIncidents(t, d)) == 1 })
	if inc := listIncidents(t, d)[0]; inc.Components[0] != "app" {
		t.Errorf("incident %+v", inc)
	}
}

// postBatch sends one batch as an agent would, with the token given.
func postBatch(t *testing.T, base, token, batchID string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/ingest", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Vigil-Batch-Id", batchID)
	req.Header.Set("Content-Type", "application/vnd.vigil.results.v1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
