package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestHeartbeatEndToEnd pings a heartbeat check through the daemon's API:
// a wrong token records nothing, a ping is stored and shown, a missed
// period becomes a heartbeat_missed result, and after a restart the
// deadline continues from the stored results rather than starting afresh.
func TestHeartbeatEndToEnd(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") }))
	defer srv.Close()
	dir := t.TempDir()
	const token = "backup-token-0123456789"
	t.Setenv("VIGIL_TEST_HEARTBEAT_TOKEN", token)
	cfgPath := writeFile(t, dir, "c.yaml", targetConfig(srv.URL, `  - name: nightly-backup
    component: app
    heartbeat: {period: 2s, grace: 1s, token: "${VIGIL_TEST_HEARTBEAT_TOKEN}"}
`))
	addr := freeAddr(t)
	base := "http://" + addr
	start := func() (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		var logs bytes.Buffer
		go func() {
			done <- run(ctx, []string{"serve", "-config", cfgPath, "-listen", addr, "-data-dir", filepath.Join(dir, "data")}, io.Discard, &syncWriter{w: &logs})
		}()
		waitFor(t, "healthz", func() bool {
			resp, err := http.Get(base + "/healthz")
			if err == nil {
				resp.Body.Close()
			}
			return err == nil && resp.StatusCode == 200
		})
		return func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v\n%s", err, logs.String())
			}
		}
	}
	ping := func(tok, query string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/heartbeats/nightly-backup"+query, strings.NewReader("backup done"))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	type latest struct {
		OK     bool   `json:"ok"`
		Reason string `json:"reason"`
	}
	var check struct {
		Kind   string  `json:"kind"`
		Latest *latest `json:"latest"`
	}
	stop := start()
	if code := ping("wrong-token-0123456789", ""); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d, want 401", code)
	}
	getJSON(t, base+"/api/v1/checks/nightly-backup", &check)
	if check.Kind != "heartbeat" || check.Latest != nil {
		t.Fatalf("after a rejected ping: %+v, want a heartbeat without results", check)
	}
	if code := ping(token, ""); code != http.StatusOK {
		t.Fatalf("ping: %d, want 200", code)
	}
	getJSON(t, base+"/api/v1/checks/nightly-backup", &check)
	if check.Latest == nil || !check.Latest.OK {
		t.Fatalf("after a ping: %+v, want ok", check.Latest)
	}
	waitFor(t, "a missed heartbeat (period 2s + grace 1s)", func() bool {
		getJSON(t, base+"/api/v1/checks/nightly-backup", &check)
		return check.Latest != nil && check.Latest.Reason == "heartbeat_missed"
	})
	if code := ping(token, "?status=fail"); code != http.StatusOK {
		t.Fatalf("failure ping: %d, want 200", code)
	}
	getJSON(t, base+"/api/v1/checks/nightly-backup", &check)
	if check.Latest == nil || check.Latest.Reason != "heartbeat_failed" {
		t.Fatalf("after status=fail: %+v, want heartbeat_failed", check.Latest)
	}
	stop()

	// The restarted daemon shows the stored failure at once and keeps the
	// deadline: missed again within period + grace of that ping.
	stop = start()
	defer stop()
	getJSON(t, base+"/api/v1/checks/nightly-backup", &check)
	if check.Latest == nil || check.Latest.Reason != "heartbeat_failed" {
		t.Fatalf("after restart: %+v, want the stored heartbeat_failed", check.Latest)
	}
	waitFor(t, "a missed heartbeat after the restart", func() bool {
		getJSON(t, base+"/api/v1/checks/nightly-backup", &check)
		return check.Latest != nil && check.Latest.Reason == "heartbeat_missed"
	})
	// Results are committed within a second.
	var res struct{ Count int }
	waitFor(t, "ping, missed, failed and missed stored", func() bool {
		getJSON(t, base+"/api/v1/checks/nightly-backup/results", &res)
		return res.Count >= 4
	})
}
