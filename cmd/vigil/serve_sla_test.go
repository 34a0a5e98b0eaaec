package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The daemon serves the maintenance and report APIs from its own stores,
// and the maintenance CLI works on the same state database meanwhile.
func TestServeSLAWiring(t *testing.T) {
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	cfgPath := writeFile(t, dir, "c.yaml", `server: {admin_token: "admin-0123456789abcdef", report_token: "report-0123456789abcdef"}
`+slaConfig)
	addr := freeAddr(t)
	base := "http://" + addr
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-config", cfgPath, "-listen", addr, "-data-dir", dataDir}, io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	}()
	waitFor(t, "healthz", func() bool {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	do := func(method, path, token, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	start := time.Now().Truncate(time.Minute).Add(24 * time.Hour)
	code, body := do("POST", "/api/v1/maintenances", "admin-0123456789abcdef",
		`{"title":"Upgrade","components":["app"],"start":"`+start.Format(time.RFC3339)+`","end":"`+start.Add(time.Hour).Format(time.RFC3339)+`"}`)
	var m struct {
		ID       string
		Warnings []struct{ Customer, Message string }
	}
	if err := json.Unmarshal([]byte(body), &m); code != http.StatusCreated || err != nil || len(m.Warnings) != 1 || m.Warnings[0].Customer != "acme" {
		t.Fatalf("schedule through the API: %d %s", code, body)
	}
	if code, out, errOut := vigil(t, "maintenance", "list", "-config", cfgPath, "-data-dir", dataDir); code != 0 || !strings.Contains(out, m.ID) {
		t.Errorf("maintenance list while serving: exit %d\n%s%s", code, out, errOut)
	}
	if code, body := do("GET", "/api/v1/maintenances", "report-0123456789abcdef", ""); code != http.StatusUnauthorized {
		t.Errorf("report token on the admin API: %d %s", code, body)
	}
	code, body = do("GET", "/api/v1/reports/acme/2026-10.json", "report-0123456789abcdef", "")
	if code != http.StatusOK || !strings.Contains(body, `"schema": "vigil.sla.v1"`) || !strings.Contains(body, `"customer": "acme"`) {
		t.Errorf("report through the API: %d %s", code, body)
	}
	if code, _, errOut := vigil(t, "report", "-config", cfgPath, "-data-dir", dataDir, "-customer", "acme", "-month", "2026-10"); code != 1 ||
		!strings.Contains(errOut, "vigil serve is running") {
		t.Errorf("vigil report while serving: exit %d %s", code, errOut)
	}
}
