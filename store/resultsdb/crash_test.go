package resultsdb

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

// crashDirEnv tells the test binary, re-executed by TestKillRecovery, to act
// as the writer that gets killed. Only this test file reads it.
const crashDirEnv = "VIGIL_STORE_TEST_CRASH_DIR"

// crashResult is the i-th result the helper writes: every field is derived
// from i, so that the parent can check what it finds.
func crashResult(i int) probe.Result {
	res := probe.Result{
		Check:    fmt.Sprintf("check-%d", i%7),
		Location: fmt.Sprintf("loc-%d", i%3),
		Start:    t0.Add(time.Duration(i) * 10 * time.Millisecond),
		Duration: time.Duration(i) * time.Microsecond,
		Interval: 10 * time.Second,
		OK:       i%5 != 0,
	}
	if !res.OK {
		res.Reason = probe.ReasonTimeout
	}
	if i%2 == 0 {
		res.Status = 200 + i%4
		res.Phases = &probe.Phases{DNS: time.Duration(i), TTFB: time.Duration(2 * i)}
	}
	return res
}

// TestHelperWriter is not a test: run by TestKillRecovery as a child process,
// it writes results until it is killed and prints "committed N" after every
// commit, N being the number of results committed so far (in write order).
func TestHelperWriter(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("helper process for TestKillRecovery")
	}
	total := 0
	opts := Options{CommitInterval: 20 * time.Millisecond, MaxBatch: 100,
		OnCommit: func(n int) {
			total += n
			fmt.Fprintf(os.Stdout, "committed %d\n", total)
		}}
	r, err := Open(dir, opts, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// Bounded in case the parent is gone: it kills us long before.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for i := 0; ctx.Err() == nil; i++ {
		if err := r.Write(ctx, crashResult(i)); err != nil {
			break
		}
		if i%50 == 0 {
			time.Sleep(time.Millisecond) // let commits land mid-stream
		}
	}
	os.Exit(3)
}

func TestKillRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	const target = 5000
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committed := 0
	sc := bufio.NewScanner(stdout)
	for committed < target && sc.Scan() {
		if n, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
			if committed, err = strconv.Atoi(n); err != nil {
				t.Fatalf("bad line from the helper: %q", sc.Text())
			}
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	if committed < target {
		t.Fatalf("helper reported %d committed results before it ended; stderr:\n%s", committed, stderr.String())
	}

	r := openTest(t, dir, testOptions())
	// Commits happen in write order, so the stored results must be exactly
	// results 0..n-1 for some n >= committed.
	seen := make(map[int]bool)
	err = r.Query(context.Background(), Query{}, func(got probe.Result) error {
		i := int(got.Start.Sub(t0) / (10 * time.Millisecond))
		want := stored(crashResult(i))
		if !equalResults(got, want) {
			return fmt.Errorf("result %d read back as %+v, want %+v", i, got, want)
		}
		seen[i] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range committed {
		if !seen[i] {
			t.Fatalf("result %d was reported committed but is missing after kill -9 (%d reported, %d found)", i, committed, len(seen))
		}
	}
	for i := range len(seen) {
		if !seen[i] {
			t.Errorf("stored results have a gap at %d: commits are not in write order", i)
		}
	}
	t.Logf("helper reported %d committed before SIGKILL; %d found after reopening", committed, len(seen))
	// The reopened db takes new results.
	next := crashResult(len(seen) + 1000)
	writeAll(t, r, next)
	if got := queryAll(t, r, Query{Check: next.Check, Location: next.Location, From: next.Start}); len(got) != 1 {
		t.Errorf("after reopening, a new result reads back as %v", got)
	}
}

// equalResults compares two results field by field, phases by value.
// Steps and screenshots are not stored, so the written results have none.
func equalResults(a, b probe.Result) bool {
	return reflect.DeepEqual(a, b)
}
