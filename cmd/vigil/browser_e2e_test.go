package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// needChromium skips without a browser, except in CI, which installs one.
func needChromium(t *testing.T) {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if _, err := exec.LookPath(name); err == nil {
			return
		}
	}
	if os.Getenv("VIGIL_CHROMIUM") != "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium installed; .ci/run installs the chromium package")
	}
	t.Skip("no Chromium installed (apt-get install chromium)")
}

// browserConfig is the demo application and one browser check that opens
// its employee screen the way a user does.
func browserConfig(demoAddr, waitFor string) string {
	return fmt.Sprintf(`location: test
demo: {enabled: true, listen: "%s"}
components: [{id: profit, name: Profit}]
checks:
  - name: employee-browser
    component: profit
    interval: 60s
    timeout: 30s
    objective: {threshold: 2s, target: 95%%}
    browser:
      steps:
        - navigate: http://%[1]s/login
        - fill: {selector: "#user", value: demo}
        - fill: {selector: "#password", value: demo}
        - click: "#login"
        - wait_visible: "#open-employee"
        - click: "#open-employee"
        - wait_visible: "%s"
      measure: {from: 5, to: 6}
`, demoAddr, waitFor)
}

// TestProbeBrowserDemo runs a browser check against the demo's
// JavaScript-rendered screen through `vigil probe`: it passes and lists
// its steps; one waiting for an element that never shows fails with
// reason timeout and keeps a screenshot the API serves.
func TestProbeBrowserDemo(t *testing.T) {
	needChromium(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")

	good := writeFile(t, dir, "good.yaml", browserConfig(freeAddr(t), "#employee-properties")+"server: {data_dir: "+data+"}\n")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"probe", "-config", good}, &out, &errOut); err != nil {
		t.Fatalf("probe: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	for _, want := range []string{"employee-browser", "browser", "ok", "measured", "not measured"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	bad := writeFile(t, dir, "bad.yaml", browserConfig(freeAddr(t), "#never-there")+"server: {data_dir: "+data+"}\n")
	out.Reset()
	errOut.Reset()
	if err := run(context.Background(), []string{"probe", "-config", bad}, &out, &errOut); err != errFailed {
		t.Fatalf("probe of a missing element: %v, want it to fail\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "timeout") {
		t.Errorf("want reason timeout:\n%s", out.String())
	}
	m := regexp.MustCompile(`screenshot (\S+\.png)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no screenshot named:\n%s", out.String())
	}
	png, err := os.ReadFile(m[1])
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("screenshot %s: %v, PNG header %v", m[1], err, bytes.HasPrefix(png, []byte("\x89PNG")))
	}

	// The API serves it by name and nothing outside the directory.
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/screenshots/{name}", newBrowsers(data, slog.New(slog.DiscardHandler)).screenshots())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/screenshots/" + filepath.Base(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("screenshot served as %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, name := range []string{"..%2Fstate.db", "secret.key", "employee-browser-1.png.tmp"} {
		resp, err := http.Get(srv.URL + "/api/v1/screenshots/" + name)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", name, resp.StatusCode)
		}
	}
}
