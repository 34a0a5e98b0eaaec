package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vigilmon/vigil/alert/notify/twiliofake"
	"github.com/vigilmon/vigil/internal/pgtest"
)

// haChildEnv makes the test binary run `vigil serve` with the arguments
// in it (JSON) instead of the tests: the HA test kills such a child with
// SIGKILL, which it cannot do to a goroutine.
const haChildEnv = "VIGIL_TEST_SERVE_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(haChildEnv); args != "" {
		os.Exit(serveChild(args))
	}
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

func serveChild(argsJSON string) int {
	var args []string
	if err := json.Unmarshal([]byte(argsJSON), &args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, append([]string{"serve"}, args...), os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// childDaemon is one vigil serve child process.
type childDaemon struct {
	name string
	base string
	cmd  *exec.Cmd
	stop func() // SIGTERM, wait, log shown when the test failed; once
}

func startInstance(t *testing.T, name, cfgPath string) *childDaemon {
	t.Helper()
	return startServeChild(t, name, cfgPath, filepath.Join(t.TempDir(), "data"))
}

// startServeChild runs vigil serve on cfgPath and dataDir in a child
// process (with this process's environment) until stop or the test's end.
func startServeChild(t testing.TB, name, cfgPath, dataDir string) *childDaemon {
	t.Helper()
	dir := t.TempDir()
	addr := freeAddr(t)
	args, _ := json.Marshal([]string{"-config", cfgPath, "-listen", addr, "-data-dir", dataDir})
	log, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), haChildEnv+"="+string(args))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		t.Fatal(err)
	}
	in := &childDaemon{name: name, base: "http://" + addr, cmd: cmd}
	var once sync.Once
	in.stop = func() {
		once.Do(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				<-done
				t.Errorf("%s did not stop within 30 s of SIGTERM", name)
			}
			if t.Failed() {
				out, _ := os.ReadFile(log.Name())
				t.Logf("%s log:\n%s", name, tail(string(out), 4000))
			}
			log.Close()
		})
	}
	t.Cleanup(in.stop)
	waitTB(t, name+" healthz", 30*time.Second, func() bool { return in.role() != "" })
	return in
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// role is what the instance's /healthz says, "" when it does not answer.
func (in *childDaemon) role() string {
	resp, err := http.Get(in.base + "/healthz")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var h struct{ Role string }
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&h) != nil {
		return ""
	}
	return h.Role
}

// TestHighAvailabilityFailover runs two instances on one PostgreSQL. The
// leader opens an incident and starts paging 40 on-call engineers at a
// Twilio rate of 8 per second; it is killed with SIGKILL halfway. The
// standby takes over within 15 s, every engineer is paged, and the only
// duplicates are messages the dead leader had in flight.
func TestHighAvailabilityFailover(t *testing.T) {
	dsn := pgtest.Shared(t).NewDatabase(t)
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	target := newTarget(t)
	target.setDown(true)

	const engineers = 40
	var onCall strings.Builder
	for i := range engineers {
		fmt.Fprintf(&onCall, "    - {name: E%02d, phone: \"+3161200%04d\"}\n", i, i)
	}
	cfg := fmt.Sprintf(`location: test
server: {state: %q}
components: [{id: app, name: App}]
checks:
  - {name: home, component: app, interval: 1s, timeout: 900ms, http: {url: "%s/", expect: {status: [200]}}}
alerting:
  policy: {failures_to_open: 2}
  on_call:
%s  twilio:
    account_sid: %s
    auth_token: %s
    from: "+3197010000000"
    api_base_url: %s
    rate_per_second: 8
`, dsn, target.URL, onCall.String(), twiliofake.TestAccountSid, twiliofake.TestAuthToken, fake.URL())
	cfgPath := writeFileTB(t, t.TempDir(), "c.yaml", cfg)

	a := startInstance(t, "a", cfgPath)
	waitTB(t, "a leads", 15*time.Second, func() bool { return a.role() == roleLeader })
	b := startInstance(t, "b", cfgPath)
	if r := b.role(); r != roleStandby {
		t.Fatalf("second instance is %q, want standby", r)
	}

	// Halfway through the fan-out, kill the leader.
	waitTB(t, "the fan-out to start", 60*time.Second, func() bool { return len(fake.Messages()) >= engineers/2 })
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	_ = a.cmd.Wait()
	sentBefore := len(fake.Messages())
	inFlight := countSending(t, dsn)

	waitTB(t, "b to take over", 30*time.Second, func() bool { return b.role() == roleLeader })
	failover := time.Since(killed)
	t.Logf("failover: %s (killed after %d messages, %d in flight)", failover.Round(time.Millisecond), sentBefore, inFlight)
	if failover > 15*time.Second {
		t.Errorf("failover took %s, want at most 15s", failover)
	}

	waitTB(t, "every engineer paged", 60*time.Second, func() bool { return pagedAll(fake, engineers) })
	per := map[string]int{}
	for _, m := range fake.Messages() {
		per[m.To]++
	}
	dupes := 0
	for _, n := range per {
		dupes += n - 1
	}
	t.Logf("messages: %d to %d engineers, %d duplicates (allowed: %d in flight)", len(fake.Messages()), len(per), dupes, inFlight)
	if len(per) != engineers {
		t.Errorf("%d engineers paged, want %d", len(per), engineers)
	}
	if dupes > inFlight {
		t.Errorf("%d duplicate messages, more than the %d in flight when the leader died", dupes, inFlight)
	}
	if n := countIncidents(t, dsn); n != 1 {
		t.Errorf("%d incidents in the state, want the one (the new leader resumes it)", n)
	}
}

func pagedAll(fake *twiliofake.Server, n int) bool {
	seen := map[string]bool{}
	for _, m := range fake.Messages() {
		seen[m.To] = true
	}
	return len(seen) >= n
}

func countSending(t *testing.T, dsn string) int {
	t.Helper()
	return queryInt(t, dsn, "SELECT count(*) FROM outbox WHERE status = 'sending'")
}

func countIncidents(t *testing.T, dsn string) int {
	t.Helper()
	return queryInt(t, dsn, "SELECT count(*) FROM incidents")
}

func queryInt(t *testing.T, dsn, q string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
