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

// Percent is the GOGC that puts the heap target (live × (1 + GOGC/100))
// at floor or above, and never below basePercent.
func Percent(live, floor uint64) int {
	live = max(live, 1<<20) // before the first cycle: no live heap known yet
	if 2*live >= floor {
		return basePercent
	}
	return int((100*(floor-live) + live - 1) / live) // rounded up
}

// Keeper re-tunes GOGC after every collection until Stop.
type Keeper struct {
	floor   uint64
	mu      sync.Mutex
	stopped bool
	percent int // the GOGC set last
}

// Start keeps the heap target at floor or above. It returns nil and
// changes nothing when GOGC is set in the environment: that is the
// operator's choice.
func Start(floor uint64) *Keeper {
	if os.Getenv("GOGC") != "" {
		return nil
	}
	k := &Keeper{floor: floor}
	k.tune()
	return k
}

// Stop ends the tuning and puts GOGC back at its default. Stop on nil does
// nothing.
func (k *Keeper) Stop() {
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.stopped = true
	debug.SetGCPercent(basePercent)
}

// Percent is the GOGC the keeper set last; 0 on nil.
func (k *Keeper) Percent() int {
	if k == nil {
		return 0
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.percent
}

// tune sets GOGC for the live heap of the last cycle and arms itself to
// run after the next one: a cleanup runs once the collector has found its
// object unreachable, which the next cycle does.
func (k *Keeper) tune() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.stopped {
		return
	}
	// Set every time, also when unchanged: cheap, and right again should
	// anything else in the process have set another value.
	k.percent = Percent(liveHeap(), k.floor)
	debug.SetGCPercent(k.percent)
	runtime.AddCleanup(new(sentinel), func(k *Keeper) { k.tune() }, k)
}

// sentinel is a heap object that dies at once; its size keeps it off the
// tiny allocator, whose blocks are shared and freed late.
type sentinel struct{ _ [16]byte }

// liveHeap is the heap marked live by the last cycle (0 before the first).
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
