package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// targetConfig is a config probing a local test server.
func targetConfig(target string, extra string) string {
	return fmt.Sprintf(`location: test
components: [{id: app, name: App}]
checks:
  - name: home
    component: app
    interval: 1s
    timeout: 900ms
    http: {url: "%s/", expect: {status: [200], body_contains: "hello"}}
%s`, target, extra)
}

func TestRunUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := exitCode(run(context.Background(), nil, &out, &errOut), &errOut); code != 2 {
		t.Fatalf("no command: exit %d, want 2", code)
	}
	errOut.Reset()
	if code := exitCode(run(context.Background(), []string{"frobnicate"}, &out, &errOut), &errOut); code != 2 || !strings.Contains(errOut.String(), `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: exit %d, %q", code, errOut.String())
	}
	out.Reset()
	if code := exitCode(run(context.Background(), []string{"version"}, &out, &errOut), &errOut); code != 0 || !strings.HasPrefix(out.String(), "vigil ") {
		t.Fatalf("version: exit %d, %q", code, out.String())
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.yaml", targetConfig("http://127.0.0.1:1", ""))
	bad := writeFile(t, dir, "bad.yaml", `components: [{id: app}]
checks:
  - name: a
    component: nope
    http: {urll: "http://x/"}
  - name: b
    component: app
    interval: 500ms
    tcp: {address: "nohost"}
`)
	var out, errOut bytes.Buffer
	if code := exitCode(run(context.Background(), []string{"validate", "-config", good}, &out, &errOut), &errOut); code != 0 {
		t.Fatalf("good config: exit %d: %s", code, errOut.String())
	}
	errOut.Reset()
	code := exitCode(run(context.Background(), []string{"validate", "-config", bad}, &out, &errOut), &errOut)
	if code != 1 {
		t.Fatalf("bad config: exit %d, want 1", code)
	}
	// Every problem is reported at once, each at FILE:LINE.
	for _, want := range []string{bad + ":4:", bad + ":5:", bad + ":8:", bad + ":9:"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("missing %q in:\n%s", want, errOut.String())
		}
	}
	if code := exitCode(run(context.Background(), []string{"validate"}, &out, &errOut), &errOut); code != 2 {
		t.Fatalf("validate without -config: exit %d, want 2", code)
	}
}

func TestProbeOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "hello")
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := writeFile(t, dir, "c.yaml", targetConfig(srv.URL, `  - name: broken
    component: app
    http: {url: "`+srv.URL+`/down"}
`))
	var out, errOut bytes.Buffer
	code := exitCode(run(context.Background(), []string{"probe", "-config", cfg, "-check", "home"}, &out, &errOut), &errOut)
	if code != 0 {
		t.Fatalf("probe home: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	for _, col := range []string{"CHECK", "DNS", "CONNECT", "TTFB", "TRANSFER", "TOTAL", "home", "200"} {
		if !strings.Contains(out.String(), col) {
			t.Errorf("table lacks %q:\n%s", col, out.String())
		}
	}
	out.Reset()
	code = exitCode(run(context.Background(), []string{"probe", "-config", cfg}, &out, &errOut), &errOut)
	if code != 1 || !strings.Contains(out.String(), "status") || !strings.Contains(errOut.String(), "1 of 2 checks failed") {
		t.Fatalf("probe with a failing check: exit %d\n%s%s", code, out.String(), errOut.String())
	}
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
	}
	return resp.StatusCode
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestServeEndToEnd(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") }))
	defer srv.Close()
	dir := t.TempDir()
	cfgPath := writeFile(t, dir, "c.yaml", targetConfig(srv.URL, ""))
	addr := freeAddr(t)
	base := "http://" + addr

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

	var checks struct {
		Checks []struct {
			Name   string
			Latest *struct {
				OK     bool
				Status int
			}
		}
	}
	waitFor(t, "a first result", func() bool {
		getJSON(t, base+"/api/v1/checks", &checks)
		return len(checks.Checks) == 1 && checks.Checks[0].Latest != nil
	})
	if !checks.Checks[0].Latest.OK || checks.Checks[0].Latest.Status != 200 {
		t.Fatalf("latest result %+v", checks.Checks[0].Latest)
	}

	// Results reach the store and come back through the API.
	var res struct {
		Results []struct {
			Check string
			OK    bool
		}
		Count int
	}
	waitFor(t, "stored results", func() bool {
		getJSON(t, base+"/api/v1/checks/home/results", &res)
		return res.Count >= 2
	})
	if code := getJSON(t, base+"/api/v1/checks/nope/results", nil); code != 404 {
		t.Fatalf("unknown check: %d", code)
	}
	if code := getJSON(t, base+"/api/v1/checks/home/results?from=yesterday", nil); code != 400 {
		t.Fatalf("bad from: %d", code)
	}

	// SIGHUP reloads: a new check appears, the old one keeps running.
	writeFile(t, dir, "c.yaml", targetConfig(srv.URL, `  - {name: port, component: app, interval: 1s, timeout: 500ms, tcp: {address: "`+strings.TrimPrefix(srv.URL, "http://")+`"}}
`))
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the reloaded check", func() bool {
		getJSON(t, base+"/api/v1/checks", &checks)
		return len(checks.Checks) == 2 && checks.Checks[1].Latest != nil
	})

	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, m := range []string{`vigil_probes_total{check="home",outcome="ok"}`, `vigil_check_duration_seconds_bucket{check="home",le="2"}`, "vigil_scheduler_lag_seconds_bucket", "vigil_results_written_total", "process_resident_memory_bytes"} {
		if !bytes.Contains(body, []byte(m)) {
			t.Errorf("/metrics lacks %s", m)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}

	// After a restart the latest results come back from the store at once,
	// not at each check's next tick (an hour away here).
	writeFile(t, dir, "c.yaml", strings.Replace(targetConfig(srv.URL, ""), "interval: 1s", "interval: 1h", 1))
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	go func() {
		done <- run(ctx2, []string{"serve", "-config", cfgPath, "-listen", addr, "-data-dir", filepath.Join(dir, "data")}, io.Discard, io.Discard)
	}()
	waitFor(t, "the restored latest result", func() bool {
		resp, err := http.Get(base + "/api/v1/checks")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		checks.Checks = nil
		_ = json.NewDecoder(resp.Body).Decode(&checks)
		return len(checks.Checks) == 1 && checks.Checks[0].Latest != nil
	})
	cancel2()
	<-done
}

func TestServeRefusesLockedDataDir(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeFile(t, dir, "c.yaml", targetConfig("http://127.0.0.1:1", ""))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := freeAddr(t)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-config", cfgPath, "-listen", addr, "-data-dir", filepath.Join(dir, "data")}, io.Discard, io.Discard)
	}()
	waitFor(t, "first vigil", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	err := run(context.Background(), []string{"serve", "-config", cfgPath, "-listen", freeAddr(t), "-data-dir", filepath.Join(dir, "data")}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "in use by another vigil") {
		t.Fatalf("second vigil on the same data dir: %v", err)
	}
	cancel()
	<-done
}

// syncWriter makes a bytes.Buffer safe for the logger's goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// Every command's -h prints its usage and succeeds; a wrong flag is a
// usage error (exit 2).
func TestHelpFlagSucceeds(t *testing.T) {
	for _, cmd := range [][]string{{"serve"}, {"probe"}, {"agent"}, {"validate"}, {"report"}, {"sla"}, {"healthcheck"},
		{"maintenance", "schedule"}, {"maintenance", "list"}, {"maintenance", "complete"}, {"incident", "list"}, {"incident", "resolve"}} {
		var stderr bytes.Buffer
		if err := run(context.Background(), append(cmd, "-h"), io.Discard, &stderr); err != nil {
			t.Errorf("vigil %s -h: %v", strings.Join(cmd, " "), err)
		}
		if want := "Usage of vigil " + strings.Join(cmd, " ") + ":"; !strings.Contains(stderr.String(), want) {
			t.Errorf("vigil %s -h printed no usage: %q", strings.Join(cmd, " "), stderr.String())
		}
		err := run(context.Background(), append(cmd, "-no-such-flag"), io.Discard, io.Discard)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("vigil %s -no-such-flag: %v, want a usage error", strings.Join(cmd, " "), err)
		}
	}
}
