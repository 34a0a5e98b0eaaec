package probe

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

type funcProber func(ctx context.Context) Result

func (f funcProber) Probe(ctx context.Context) Result { return f(ctx) }

func okProber() Prober { return funcProber(func(context.Context) Result { return Result{OK: true} }) }

// collector gathers emitted results.
type collector struct {
	mu      sync.Mutex
	results []Result
	skipped map[string]int
}

func (c *collector) emit(r Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.results = append(c.results, r)
}

func (c *collector) skip(check string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.skipped == nil {
		c.skipped = map[string]int{}
	}
	c.skipped[check] += n
}

func (c *collector) byCheck(name string) []Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Result
	for _, r := range c.results {
		if r.Check == name {
			out = append(out, r)
		}
	}
	return out
}

// waitTimers waits until n timers are pending on the fake clock, i.e. every
// runner has finished its run and gone back to sleep.
func waitTimers(t *testing.T, f *clock.Fake, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for f.Timers() != n {
		if time.Now().After(deadline) {
			t.Fatalf("timers pending = %d, want %d", f.Timers(), n)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

func startScheduler(t *testing.T, f *clock.Fake, c *collector, jobs []Job) (*Scheduler, context.CancelFunc) {
	t.Helper()
	s := NewScheduler(SchedulerOptions{Location: "here", Clock: f, Emit: c.emit, OnSkip: c.skip})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx, jobs); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return s, cancel
}

func TestNextTick(t *testing.T) {
	iv, off := 10*time.Second, 3*time.Second
	cases := []struct{ at, want int64 }{
		{0, 3}, {3, 3}, {4, 13}, {13, 13}, {12, 13}, {1_000_000_003, 1_000_000_003},
	}
	for _, c := range cases {
		got := NextTick(time.Unix(c.at, 0), iv, off)
		if got.Unix() != c.want {
			t.Errorf("NextTick(%d) = %d, want %d", c.at, got.Unix(), c.want)
		}
	}
}

func TestOffsetSpreadsTenThousandChecks(t *testing.T) {
	const n = 10_000
	iv := 10 * time.Second
	perMS := map[time.Duration]int{}
	perSecond := make([]int, 10)
	for i := 0; i < n; i++ {
		off := Offset(fmt.Sprintf("check-%d", i), iv)
		if off < 0 || off >= iv || off%time.Millisecond != 0 {
			t.Fatalf("offset %v outside [0, %v) or not whole ms", off, iv)
		}
		if Offset(fmt.Sprintf("check-%d", i), iv) != off {
			t.Fatal("offset is not stable")
		}
		perMS[off]++
		perSecond[off/time.Second]++
	}
	maxMS := 0
	for _, c := range perMS {
		maxMS = max(maxMS, c)
	}
	// Uniform hashing of 10,000 names into 10,000 ms puts at most a handful
	// in any one millisecond; a bad spread would pile them up.
	if maxMS > 8 {
		t.Errorf("%d checks share one millisecond", maxMS)
	}
	for s, c := range perSecond {
		if c < 900 || c > 1100 {
			t.Errorf("second %d of the interval holds %d checks, want about 1000", s, c)
		}
	}
}

func TestSchedulerDoesNotDrift(t *testing.T) {
	start := time.Date(2026, 11, 22, 10, 0, 0, 123_000_000, time.UTC)
	f := clock.NewFake(start)
	c := &collector{}
	iv := 10 * time.Second
	startScheduler(t, f, c, []Job{{Name: "a", Interval: iv, Timeout: time.Second, Prober: okProber()}})
	waitTimers(t, f, 1)

	// Advance in uneven steps for 1000 s: every run must still land exactly on the rhythm.
	steps := []time.Duration{700 * time.Millisecond, 1300 * time.Millisecond, 3 * time.Second, 10 * time.Millisecond}
	for elapsed, i := time.Duration(0), 0; elapsed < 1000*time.Second; i++ {
		d := steps[i%len(steps)]
		f.Advance(d)
		elapsed += d
		waitTimers(t, f, 1)
	}
	got := c.byCheck("a")
	if len(got) < 99 || len(got) > 101 {
		t.Fatalf("%d runs in 1000 s at 10 s, want 100", len(got))
	}
	off := Offset("a", iv)
	first := NextTick(start, iv, off)
	for i, r := range got {
		// The fake clock only moves in steps, so a run starts at the step
		// that passed its tick; Interval and rhythm must still be exact.
		tick := first.Add(time.Duration(i) * iv)
		if r.Start.Before(tick) || r.Start.Sub(tick) > 3*time.Second {
			t.Fatalf("run %d started at %v, tick %v", i, r.Start, tick)
		}
		if r.Check != "a" || r.Location != "here" || r.Interval != iv {
			t.Fatalf("result not labelled: %+v", r)
		}
	}
}

func TestSchedulerExactTicksWithFineClock(t *testing.T) {
	start := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	f := clock.NewFake(start)
	c := &collector{}
	iv := 7 * time.Second
	startScheduler(t, f, c, []Job{{Name: "b", Interval: iv, Timeout: time.Second, Prober: okProber()}})
	waitTimers(t, f, 1)
	for i := 0; i < 70_000; i++ { // 70 s in 1 ms steps
		f.Advance(time.Millisecond)
		waitTimers(t, f, 1)
	}
	got := c.byCheck("b")
	if len(got) != 10 {
		t.Fatalf("%d runs, want 10", len(got))
	}
	off := Offset("b", iv)
	for _, r := range got {
		if r.Start.Sub(time.Unix(0, 0)).Milliseconds()%iv.Milliseconds() != off.Milliseconds() {
			t.Fatalf("run at %v is off the rhythm (offset %v)", r.Start, off)
		}
	}
}

func TestSlowProbeDoesNotDelayOtherChecks(t *testing.T) {
	f := clock.NewFake(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
	c := &collector{}
	release := make(chan struct{})
	slow := funcProber(func(ctx context.Context) Result {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return Result{OK: true}
	})
	iv := 10 * time.Second
	startScheduler(t, f, c, []Job{
		{Name: "slow", Interval: iv, Timeout: time.Hour, Prober: slow},
		{Name: "fast", Interval: iv, Timeout: time.Second, Prober: okProber()},
	})
	waitTimers(t, f, 2)
	// Let "slow" start and hang; "fast" must keep its rhythm meanwhile.
	for i := 0; i < 60; i++ {
		f.Advance(time.Second)
		if i < 10 {
			continue // "slow" may not have fired yet
		}
		waitTimers(t, f, 1)
	}
	if n := len(c.byCheck("fast")); n < 5 {
		t.Fatalf("fast ran %d times in 60 s while slow hung, want >= 5", n)
	}
	close(release)
	waitTimers(t, f, 2)
	if n := len(c.byCheck("slow")); n != 1 {
		t.Fatalf("slow emitted %d results, want 1", n)
	}
	c.mu.Lock()
	skipped := c.skipped["slow"]
	c.mu.Unlock()
	if skipped < 4 {
		t.Fatalf("slow skipped %d ticks, want the ones it overran (>= 4)", skipped)
	}
}

func TestReloadKeepsUnchangedChecks(t *testing.T) {
	f := clock.NewFake(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
	c := &collector{}
	iv := 10 * time.Second
	jobs := []Job{
		{Name: "same", Interval: iv, Timeout: time.Second, Prober: okProber(), Fingerprint: "1"},
		{Name: "changed", Interval: iv, Timeout: time.Second, Prober: okProber(), Fingerprint: "1"},
		{Name: "removed", Interval: iv, Timeout: time.Second, Prober: okProber(), Fingerprint: "1"},
	}
	s, _ := startScheduler(t, f, c, jobs)
	waitTimers(t, f, 3)
	started, stopped, kept := s.Reload([]Job{
		jobs[0],
		{Name: "changed", Interval: iv, Timeout: time.Second, Prober: okProber(), Fingerprint: "2"},
		{Name: "added", Interval: iv, Timeout: time.Second, Prober: okProber(), Fingerprint: "1"},
	})
	if started != 2 || stopped != 2 || kept != 1 {
		t.Fatalf("reload started %d stopped %d kept %d, want 2 2 1", started, stopped, kept)
	}
	waitTimers(t, f, 3)
	for i := 0; i < 20; i++ {
		f.Advance(time.Second)
		waitTimers(t, f, 3)
	}
	if n := len(c.byCheck("removed")); n != 0 {
		t.Fatalf("removed check still ran %d times", n)
	}
	for _, name := range []string{"same", "changed", "added"} {
		if n := len(c.byCheck(name)); n != 2 {
			t.Fatalf("%s ran %d times in 20 s, want 2", name, n)
		}
	}
}

func TestTimeoutIsOnTheContext(t *testing.T) {
	f := clock.NewFake(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
	c := &collector{}
	var gotDeadline time.Duration
	p := funcProber(func(ctx context.Context) Result {
		dl, ok := ctx.Deadline()
		if !ok {
			return Result{Message: "no deadline"}
		}
		gotDeadline = time.Until(dl)
		<-ctx.Done()
		return Result{Reason: ReasonTimeout}
	})
	startScheduler(t, f, c, []Job{{Name: "t", Interval: time.Second, Timeout: 200 * time.Millisecond, Prober: p}})
	waitTimers(t, f, 1)
	f.Advance(time.Second)
	waitTimers(t, f, 1)
	got := c.byCheck("t")
	if len(got) != 1 || got[0].Reason != ReasonTimeout {
		t.Fatalf("results %+v, want one timeout", got)
	}
	if gotDeadline <= 0 || gotDeadline > 200*time.Millisecond {
		t.Fatalf("deadline %v from now, want within the 200ms timeout", gotDeadline)
	}
}
