package browser

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/probe"
)

// hangingCheck waits for a screen that never opens.
func hangingCheck(s *site) configs.Check {
	return browserCheck("hanging", nil,
		configs.BrowserStep{Navigate: s.URL + "/never"},
		configs.BrowserStep{WaitVisible: "#employee-properties"},
	)
}

// waitHang waits until a run is inside the never-ending page.
func waitHang(t *testing.T, s *site) {
	t.Helper()
	select {
	case <-s.hangs:
	case <-time.After(15 * time.Second):
		t.Error("no run reached the hanging page")
	}
}

// The browser is killed in the middle of a run: that run fails with reason
// browser, at once, and the next run gets a new browser.
func TestBrowserKilledDuringRun(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})
	hanging := newProber(t, r, hangingCheck(s), t.TempDir())
	ok := newProber(t, r, browserCheck("after", nil, s.loginSteps()...), "")

	// Start the browser with a first run, so that its pid is known.
	if res := probeWithin(ok, 20*time.Second); !res.OK {
		t.Fatalf("first run: %s: %s", res.Reason, res.Message)
	}
	first := r.browserPID()
	go func() {
		waitHang(t, s)
		kill(t, first)
	}()
	const timeout = 20 * time.Second
	start := time.Now()
	res := probeWithin(hanging, timeout)
	if res.OK || res.Reason != probe.ReasonBrowser || !strings.Contains(res.Message, "the browser died") {
		t.Fatalf("got ok=%v %s: %q; want reason browser", res.OK, res.Reason, res.Message)
	}
	if time.Since(start) > timeout/2 {
		t.Errorf("the crash was noticed only after %s", time.Since(start))
	}
	if res.Screenshot != "" {
		t.Errorf("screenshot %q of a dead browser", res.Screenshot)
	}

	res = probeWithin(ok, 20*time.Second)
	if !res.OK {
		t.Fatalf("run after the crash: %s: %s", res.Reason, res.Message)
	}
	if second := r.browserPID(); second == 0 || second == first {
		t.Errorf("browser pid %d after the crash, was %d: want a new browser", second, first)
	}
}

// The browser dies between runs: the next run starts a new one.
func TestBrowserKilledBetweenRuns(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})
	p := newProber(t, r, browserCheck("between", nil, s.loginSteps()...), "")
	if res := probeWithin(p, 20*time.Second); !res.OK {
		t.Fatalf("first run: %s: %s", res.Reason, res.Message)
	}
	old := r.current()
	kill(t, old.pid)
	select {
	case <-old.ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the runner did not notice the browser died")
	}
	res := probeWithin(p, 20*time.Second)
	if !res.OK {
		t.Fatalf("run after the crash: %s: %s", res.Reason, res.Message)
	}
	if pid := r.browserPID(); pid == old.pid || pid == 0 {
		t.Errorf("browser pid %d, want a new one (the dead one was %d)", pid, old.pid)
	}
}

// Only the page's renderer dies: the run fails with reason browser at
// once, the browser itself lives on.
func TestRendererCrash(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})
	p := newProber(t, r, hangingCheck(s), "")
	warm := newProber(t, r, browserCheck("warm", nil, configs.BrowserStep{Navigate: s.URL + "/login"}), "")
	if res := probeWithin(warm, 20*time.Second); !res.OK {
		t.Fatalf("first run: %s: %s", res.Reason, res.Message)
	}
	pid := r.browserPID()
	go func() {
		waitHang(t, s)
		killed := 0
		for _, proc := range tree(allProcs(), pid) {
			if strings.Contains(proc.cmdline, "--type=renderer") {
				kill(t, proc.pid)
				killed++
			}
		}
		if killed == 0 {
			t.Error("no renderer process in the browser's tree")
		}
	}()
	start := time.Now()
	res := probeWithin(p, 20*time.Second)
	if res.OK || res.Reason != probe.ReasonBrowser || !strings.Contains(res.Message, "the page crashed") {
		t.Fatalf("got ok=%v %s: %q; want the page crash", res.OK, res.Reason, res.Message)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("the crash was noticed only after %s", time.Since(start))
	}
	if r.browserPID() != pid {
		t.Errorf("the browser was replaced; a renderer crash must not cost the browser")
	}
	if res := probeWithin(warm, 20*time.Second); !res.OK {
		t.Errorf("run after the crash: %s: %s", res.Reason, res.Message)
	}
}

// Close kills the browser and every process it started, and removes its
// profile directory.
func TestCloseLeavesNoProcesses(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})
	p := newProber(t, r, browserCheck("close", nil, s.loginSteps()...), "")
	if res := probeWithin(p, 20*time.Second); !res.OK {
		t.Fatalf("run: %s: %s", res.Reason, res.Message)
	}
	pid := r.browserPID()
	procs := allProcs()
	main, ok := procs[pid]
	if !ok {
		t.Fatalf("browser pid %d is not running", pid)
	}
	dir := userDataDir(main.cmdline)
	if dir == "" {
		t.Fatalf("no --user-data-dir on the browser's command line %q", main.cmdline)
	}
	// The browser's tree, and what works in its directories outside it:
	// the crash handler daemonizes.
	config := r.current().configDir
	mine := map[int]procInfo{}
	for _, proc := range tree(procs, pid) {
		mine[proc.pid] = proc
	}
	if len(mine) < 3 {
		t.Fatalf("only %d processes in the browser's tree; expected its helpers too", len(mine))
	}
	for _, proc := range procs {
		if proc.state != 'Z' && (strings.Contains(proc.cmdline, dir) || strings.Contains(proc.cmdline, config)) {
			mine[proc.pid] = proc
		}
	}
	handlers := 0
	for _, proc := range mine {
		if strings.Contains(proc.cmdline, "crashpad_handler") {
			handlers++
		}
	}
	t.Logf("%d processes of the browser, %d of them crash handlers", len(mine), handlers)

	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	for _, proc := range mine {
		if running(proc.pid) {
			t.Errorf("process %d left running after Close: %.120s", proc.pid, proc.cmdline)
		}
	}
	for _, proc := range allProcs() {
		if proc.state != 'Z' && (strings.Contains(proc.cmdline, dir) || strings.Contains(proc.cmdline, config)) {
			t.Errorf("process %d still uses the browser's directories: %.120s", proc.pid, proc.cmdline)
		}
	}
	for _, d := range []string{dir, config} {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("directory %s left behind (%v)", d, err)
		}
	}

	res := probeWithin(p, 5*time.Second)
	if res.OK || res.Reason != probe.ReasonBrowser || !strings.Contains(res.Message, "closed") {
		t.Errorf("run after Close: ok=%v %s: %s", res.OK, res.Reason, res.Message)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// Close during a run ends the run (reason browser) and waits for it.
func TestCloseDuringRun(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})
	p := newProber(t, r, hangingCheck(s), "")
	done := make(chan probe.Result, 1)
	go func() { done <- probeWithin(p, 30*time.Second) }()
	waitHang(t, s)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case res := <-done:
		if res.OK || res.Reason != probe.ReasonBrowser {
			t.Errorf("run cut by Close: ok=%v %s: %s", res.OK, res.Reason, res.Message)
		}
	default:
		t.Error("Close returned before the run it ended")
	}
}

// Runs share the browser up to MaxRuns at a time; a run waiting for a
// slot does not count the wait in its duration.
func TestRunSlots(t *testing.T) {
	s := newSite(t, 200*time.Millisecond)
	r := newTestRunner(t, Options{MaxRuns: 1})
	p := newProber(t, r, browserCheck("slots", nil, s.loginSteps()...), "")
	results := make([]probe.Result, 3)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i] = probeWithin(p, 60*time.Second) })
	}
	wg.Wait()
	for i, a := range results {
		if !a.OK {
			t.Fatalf("run %d: %s: %s", i, a.Reason, a.Message)
		}
		for j, b := range results {
			// With one slot the measured runs cannot overlap.
			if i != j && a.Start.Before(b.Start) && a.Start.Add(a.Duration).After(b.Start) {
				t.Errorf("run %d [%s +%s] overlaps run %d starting %s", i, a.Start, a.Duration, j, b.Start)
			}
		}
	}
}

// A run that gets no slot before its deadline says so.
func TestNoSlotBeforeDeadline(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{MaxRuns: 1})
	hanging := newProber(t, r, hangingCheck(s), "")
	waiting := newProber(t, r, browserCheck("waiting", nil, configs.BrowserStep{Navigate: s.URL + "/login"}), "")
	done := make(chan struct{})
	go func() {
		defer close(done)
		probeWithin(hanging, 10*time.Second)
	}()
	waitHang(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res := waiting.Probe(ctx)
	if res.OK || res.Reason != probe.ReasonBrowser || !strings.Contains(res.Message, "no browser run slot") {
		t.Errorf("got ok=%v %s: %s", res.OK, res.Reason, res.Message)
	}
	_ = r.Close()
	<-done
}
