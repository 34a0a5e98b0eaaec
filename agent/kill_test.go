package agent_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/agent"
	"github.com/vigilmon/vigil/agent/spool"
)

// Environment of the child that TestSpoolSurvivesKill9 runs and kills.
// Only this file reads them.
const (
	childSpoolEnv  = "VIGIL_AGENT_TEST_KILL_SPOOL"
	childServerEnv = "VIGIL_AGENT_TEST_KILL_SERVER"
)

// TestHelperAgentProcess is not a test: run by TestSpoolSurvivesKill9 as a
// child process, it is an agent emitting result(0), result(1), … until it
// is killed, printing "spooled N" each time results up to N are on disk.
func TestHelperAgentProcess(t *testing.T) {
	dir := os.Getenv(childSpoolEnv)
	if dir == "" {
		t.Skip("helper process for TestSpoolSurvivesKill9")
	}
	sp, err := spool.Open(dir, spool.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	a, err := agent.New(agent.Options{
		Server: os.Getenv(childServerEnv), Token: testToken, Location: testLocation, Spool: sp,
		MaxBatch: 50, FlushEvery: 5 * time.Millisecond, MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		OnSpooled: func(last uint64) { fmt.Fprintf(os.Stdout, "spooled %d\n", last) },
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// Bounded in case the parent is gone: it kills us long before.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	go a.Run(ctx)
	for i := 0; ctx.Err() == nil; i++ {
		a.Emit(result(i))
		if i%20 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	os.Exit(3)
}

func TestSpoolSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	srv := newServer(t, t.TempDir())
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAgentProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childSpoolEnv+"="+dir, childServerEnv+"="+srv.URL, childT0Env+"="+t0.Format(time.RFC3339))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	spooled := 0
	lines := bufio.NewScanner(stdout)
	next := func() bool {
		for lines.Scan() {
			if n, ok := strings.CutPrefix(lines.Text(), "spooled "); ok {
				if spooled, err = strconv.Atoi(n); err != nil {
					t.Fatalf("bad line from the child: %q", lines.Text())
				}
				return true
			}
		}
		return false
	}
	// Some results shipped, then the server goes down and a backlog grows
	// in the spool: the kill finds both acknowledged and waiting records.
	for next() && len(srv.store.all()) < 300 {
	}
	srv.down.Store(true)
	shipped := len(srv.store.all())
	for next() && spooled < shipped+3000 {
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	if spooled < shipped+3000 {
		t.Fatalf("child reported %d spooled before it ended; stderr:\n%s", spooled, stderr.String())
	}

	// A new agent on the same spool ships what the killed one left.
	srv.down.Store(false)
	a, sp, _ := runAgent(t, srv.URL, dir, nil)
	waitFor(t, "the spool drained", 20*time.Second, func() bool { return sp.Stats().Pending == 0 })
	n := int(sp.Stats().Next - 1)
	if n < spooled {
		t.Fatalf("after kill -9 the spool holds %d records; the child had reported %d on disk", n, spooled)
	}
	checkExactlyInOrder(t, srv.store.all(), n)
	t.Logf("child killed with %d spooled (%d shipped before the server went down); %d arrived, each once, in order; %d requests in all, agent after restart %+v",
		spooled, shipped, n, srv.posts.Load(), a.Stats())
}
