package gcfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live, floor uint64
		want        int
	}{
		{0, 128 * mib, 3100},         // no cycle yet: taken as 4 MiB, the runtime's own minimum
		{2 * mib, 128 * mib, 3100},   // likewise: 4 MiB × 32 = 128 MiB
		{25 * mib, 128 * mib, 412},   // 25 MiB × 5.12 = 128 MiB
		{30 * mib, 128 * mib, 327},   // rounded up: the target is never under the floor
		{64 * mib, 128 * mib, 100},   // twice the live heap reaches the floor
		{500 * mib, 128 * mib, 100},  // large heaps keep the default
		{100 * mib, 1024 * mib, 924}, // 100 MiB × 10.24 = 1 GiB
	} {
		got := Percent(c.live, c.floor)
		if got != c.want {
			t.Errorf("Percent(%d MiB, %d MiB) = %d, want %d", c.live/mib, c.floor/mib, got, c.want)
		}
		if live := max(c.live, minLive); live*uint64(100+got)/100 < c.floor {
			t.Errorf("Percent(%d MiB, %d MiB) = %d: target under the floor", c.live/mib, c.floor/mib, got)
		}
	}
}

func currentPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// heapGoal is the runtime's heap target now.
func heapGoal() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// The keeper follows the live heap after collections, the runtime's own
// heap target lands at the floor (not above it), and the last Stop puts
// back the GOGC that was there before.
func TestKeeperFollowsLiveHeap(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(150)
	defer debug.SetGCPercent(before)
	const floor = 256 << 20
	h := Start(floor)
	if h == nil {
		t.Fatal("Start did nothing with GOGC unset")
	}
	defer h.Stop()

	// settled waits until the keeper has tuned for the live heap a cycle
	// left (its cleanup runs after the cycle, on another goroutine).
	settled := func(what string) int {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			runtime.GC()
			want := Percent(liveHeap(), floor)
			time.Sleep(10 * time.Millisecond)
			if h.Percent() == want && currentPercent() == want {
				return want
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: keeper at %d, GOGC %d, want %d", what, h.Percent(), currentPercent(), want)
			}
		}
	}
	small := settled("small heap")
	if small < 1000 {
		t.Errorf("small heap: GOGC %d, want the floor's (over 1000)", small)
	}
	if goal := heapGoal(); goal < floor*9/10 || goal > floor*3/2 {
		t.Errorf("small heap: the runtime's heap goal is %d MiB, want about the floor, %d MiB", goal>>20, floor>>20)
	}
	big := make([]byte, 100<<20)
	big[len(big)-1] = 1
	withBig := settled("100 MiB live")
	if withBig >= small || withBig < 100 {
		t.Errorf("100 MiB live: GOGC %d, want under %d and at least 100", withBig, small)
	}
	if goal := heapGoal(); goal < floor*9/10 || goal > floor*3/2 {
		t.Errorf("100 MiB live: the runtime's heap goal is %d MiB, want about the floor, %d MiB", goal>>20, floor>>20)
	}
	runtime.KeepAlive(big)
	big = nil
	if again := settled("released"); again <= withBig {
		t.Errorf("heap released: GOGC %d, want above %d", again, withBig)
	}

	// A second user shares the keeper: the first Stop leaves it running.
	second := Start(floor)
	h.Stop()
	h.Stop() // twice is harmless
	if p := currentPercent(); p == before || p != second.Percent() {
		t.Errorf("one of two users stopped: GOGC %d, keeper %d; want the keeper still running", p, second.Percent())
	}
	second.Stop()
	if p := currentPercent(); p != 150 {
		t.Errorf("after the last Stop GOGC is %d, want 150, as before Start", p)
	}
}

func TestOperatorGOGCWins(t *testing.T) {
	t.Setenv("GOGC", "200")
	if h := Start(128 << 20); h != nil {
		h.Stop()
		t.Error("Start tuned GOGC although the environment sets it")
	}
}
