package gcfloor

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live, floor uint64
		want        int
	}{
		{0, 128 * mib, 12700},        // no cycle yet: the target is the floor
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
		if target := c.live * uint64(100+got) / 100; c.live > 0 && target < c.floor {
			t.Errorf("Percent(%d MiB, %d MiB) = %d: target %d MiB under the floor", c.live/mib, c.floor/mib, got, target/mib)
		}
	}
}

func currentPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// The keeper follows the live heap after each collection and gives GOGC
// back at Stop.
func TestKeeperFollowsLiveHeap(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(currentPercent())
	const floor = 256 << 20
	k := Start(floor)
	if k == nil {
		t.Fatal("Start did nothing with GOGC unset")
	}
	defer k.Stop()

	// settled waits until the keeper has tuned for the live heap the last
	// cycle left (its cleanup runs after the cycle, on another goroutine).
	settled := func(what string) int {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			runtime.GC()
			want := Percent(liveHeap(), floor)
			time.Sleep(10 * time.Millisecond)
			if k.Percent() == want && currentPercent() == want {
				return want
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: keeper at %d, GOGC %d, want %d", what, k.Percent(), currentPercent(), want)
			}
		}
	}
	small := settled("small heap")
	if small < 1000 {
		t.Errorf("small heap: GOGC %d, want the floor's (over 1000)", small)
	}
	big := make([]byte, 100<<20)
	big[len(big)-1] = 1
	withBig := settled("100 MiB live")
	if withBig >= small || withBig < 100 {
		t.Errorf("100 MiB live: GOGC %d, want under %d and at least 100", withBig, small)
	}
	runtime.KeepAlive(big)
	big = nil
	if again := settled("released"); again <= withBig {
		t.Errorf("heap released: GOGC %d, want above %d", again, withBig)
	}
	k.Stop()
	if p := currentPercent(); p != 100 {
		t.Errorf("after Stop GOGC is %d, want 100", p)
	}
}

func TestOperatorGOGCWins(t *testing.T) {
	t.Setenv("GOGC", "200")
	if k := Start(128 << 20); k != nil {
		k.Stop()
		t.Error("Start tuned GOGC although the environment sets it")
	}
}
