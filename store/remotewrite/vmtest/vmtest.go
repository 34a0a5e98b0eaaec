// Package vmtest starts a throwaway VictoriaMetrics single-node server for
// the tests of remote write and remote read, from the binary named by
// $VIGIL_VICTORIA_METRICS (CI builds it from tools/victoriametrics). It
// listens on 127.0.0.1 only, keeps its data in a temporary directory, and
// is configured so that freshly written history is queryable at once.
package vmtest

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// EnvBinary names the environment variable holding the binary's path.
const EnvBinary = "VIGIL_VICTORIA_METRICS"

// Server is one running (or stopped) VictoriaMetrics.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:PORT.
	URL  string
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
	done chan struct{}
}

// Start starts a server for t and stops it when t ends. Without
// $VIGIL_VICTORIA_METRICS the test is skipped, or fails when $CI is set.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := os.Getenv(EnvBinary)
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("$%s is not set: CI must build VictoriaMetrics from tools/victoriametrics", EnvBinary)
		}
		t.Skipf("$%s is not set: build VictoriaMetrics (go build -o BIN github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics in tools/victoriametrics) and point it there", EnvBinary)
	}
	s := &Server{bin: bin, dir: t.TempDir(), port: freePort(t)}
	s.URL = "http://127.0.0.1:" + strconv.Itoa(s.port)
	s.Restart(t)
	t.Cleanup(s.Stop)
	return s
}

// WriteURL is the remote-write endpoint.
func (s *Server) WriteURL() string { return s.URL + "/api/v1/write" }

// Restart starts the server (again, on the same port and data) and waits
// until it is healthy.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if s.cmd != nil {
		t.Fatal("vmtest: Restart of a running server")
	}
	logFile, err := os.OpenFile(filepath.Join(s.dir, "victoria-metrics.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(s.bin,
		"-storageDataPath="+filepath.Join(s.dir, "data"),
		"-httpListenAddr=127.0.0.1:"+strconv.Itoa(s.port),
		"-retentionPeriod=100y",
		"-search.disableCache",
		"-search.latencyOffset=0",
		"-memory.allowedBytes=256MiB",
		"-loggerLevel=WARN",
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("start VictoriaMetrics: %v", err)
	}
	s.cmd, s.done = cmd, make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(s.done)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-s.done:
			log, _ := os.ReadFile(filepath.Join(s.dir, "victoria-metrics.log"))
			s.cmd = nil
			t.Fatalf("VictoriaMetrics exited at start:\n%s", log)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			t.Fatal("VictoriaMetrics did not become healthy within 30s")
		}
	}
}

// Stop stops the server (it can be restarted); stopping a stopped one
// does nothing.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd = nil
}

// Flush makes everything ingested so far searchable.
func (s *Server) Flush(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/internal/force_flush", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("flush VictoriaMetrics: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("flush VictoriaMetrics: %s", resp.Status)
	}
}

// freePort returns a port on 127.0.0.1 that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
