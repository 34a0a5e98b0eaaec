package probe

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// workers runs probes on long-lived goroutines that grow as many as the
// probes in flight, not one per check. A probe's deep net/http stack then
// lives on a few dozen goroutines instead of on every check's own (10,000
// checks × 32 KiB stacks was most of the daemon's memory and of the garbage
// collector's stack scanning), and a warm worker's grown stack is reused
// instead of being grown again for every run.
//
// A run never waits for a free worker: when none is idle a new one starts,
// so a slow probe still delays nobody. Idle workers exit after idleFor.
type workers struct {
	ctx     context.Context
	work    chan func()
	idleFor time.Duration
	wg      sync.WaitGroup
	started atomic.Int64 // workers started so far, for tests and metrics
}

func newWorkers(ctx context.Context, idleFor time.Duration) *workers {
	return &workers{ctx: ctx, work: make(chan func()), idleFor: idleFor}
}

// run hands f to an idle worker, or to a new one.
func (w *workers) run(f func()) {
	select {
	case w.work <- f:
	default:
		w.started.Add(1)
		w.wg.Add(1)
		go w.loop(f)
	}
}

func (w *workers) loop(f func()) {
	defer w.wg.Done()
	idle := time.NewTimer(w.idleFor)
	defer idle.Stop()
	for {
		f()
		idle.Reset(w.idleFor)
		select {
		case f = <-w.work:
		case <-idle.C:
			return
		case <-w.ctx.Done():
			return
		}
	}
}

// wait returns when every worker has exited (after ctx ended).
func (w *workers) wait() { w.wg.Wait() }
