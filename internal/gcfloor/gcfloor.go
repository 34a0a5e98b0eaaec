// Package gcfloor owns the daemon's garbage collector policy: a floor
// under the heap target. With GOGC's default (100) the collector starts a
// cycle whenever the program has allocated as much as its live heap. The
// daemon's live heap is small (some 25 MB for 1,000 checks) while a spike
// of status page visitors allocates tens of MB a second in net/http alone,
// so the collector would run several times a second, and each mark phase
// takes a P (or, with GOMAXPROCS=1, slices of the only one) from the
// requests: measured, it is most of the page's tail above a bare server's.
// A floor keeps the target at least that large while the live heap is
// small, the way a heap ballast once did; once the live heap reaches half
// the floor, GOGC is back at 100.
package gcfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// DefaultFloor is the heap target the daemon keeps at the least.
const DefaultFloor = 128 << 20

// basePercent is GOGC's default, kept once the live heap is large.
const basePercent = 100

// minLive is the least live heap Percent assumes. The runtime scales its
// own minimum heap target (4 MiB at GOGC=100) with GOGC, so a GOGC set for
// a smaller live heap would put the target above the floor: at 4 MiB the
// two agree.
const minLive = 4 << 20

// Percent is the GOGC that puts the heap target (live × (1 + GOGC/100))
// at floor or just above, and never below basePercent.
func Percent(live, floor uint64) int {
	live = max(live, minLive)
	if 2*live >= floor {
		return basePercent
	}
	return int((100*(floor-live) + live - 1) / live) // rounded up
}

// The keeper is one per process, as GOGC is: every Start shares it, the
// first remembers the GOGC it found and the last Stop puts that back.
var keeper struct {
	mu       sync.Mutex
	users    int
	floor    uint64 // the highest asked for
	previous int    // GOGC before the first Start
	percent  int    // the GOGC set last
	armed    bool   // a sentinel is waiting for the next cycle
}

// Handle is one Start's share of the keeper.
type Handle struct{ once sync.Once }

// Start keeps the heap target at floor or above, re-tuning GOGC for the
// live heap after each collection, until the handle is stopped. It
// returns nil and changes nothing when GOGC is set in the environment:
// that is the operator's choice.
func Start(floor uint64) *Handle {
	if os.Getenv("GOGC") != "" {
		return nil
	}
	keeper.mu.Lock()
	if keeper.users == 0 {
		keeper.previous = debug.SetGCPercent(basePercent)
	}
	keeper.users++
	keeper.floor = max(keeper.floor, floor)
	keeper.mu.Unlock()
	tune()
	return &Handle{}
}

// Stop gives the handle's share back; the last one puts GOGC back as it
// was. Stop on nil, or twice, does nothing.
func (h *Handle) Stop() {
	if h == nil {
		return
	}
	h.once.Do(func() {
		keeper.mu.Lock()
		defer keeper.mu.Unlock()
		if keeper.users--; keeper.users == 0 {
			keeper.floor, keeper.percent = 0, 0
			debug.SetGCPercent(keeper.previous)
		}
	})
}

// Percent is the GOGC the keeper set last; 0 when it is not running.
func (h *Handle) Percent() int {
	if h == nil {
		return 0
	}
	keeper.mu.Lock()
	defer keeper.mu.Unlock()
	return keeper.percent
}

// tune sets GOGC for the live heap the last cycle left and arms itself to
// run again after a later one: a cleanup runs once the collector has found
// its object unreachable. A sentinel allocated while a cycle marks
// survives that cycle, so some cycles pass without a re-tune; the next
// one catches up.
func tune() {
	keeper.mu.Lock()
	defer keeper.mu.Unlock()
	if keeper.users == 0 {
		return
	}
	// Set every time, also when unchanged: cheap, and right again should
	// anything else in the process have set another value.
	keeper.percent = Percent(liveHeap(), keeper.floor)
	debug.SetGCPercent(keeper.percent)
	if !keeper.armed {
		keeper.armed = true
		runtime.AddCleanup(&sentinel{}, afterCycle, struct{}{})
	}
}

// afterCycle runs when a sentinel was collected.
func afterCycle(struct{}) {
	keeper.mu.Lock()
	keeper.armed = false
	keeper.mu.Unlock()
	tune()
}

// sentinel is a heap object that dies at once. Its pointer keeps it off
// the tiny allocator, whose blocks are shared and freed late.
type sentinel struct{ _ *sentinel }

// liveHeap is the heap marked live by the last cycle (0 before the first).
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
