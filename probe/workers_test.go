package probe

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestWorkersGrowWithLoadAndAreReused(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	w := newWorkers(ctx, time.Minute)
	release := make(chan struct{})
	var running sync.WaitGroup
	// 50 probes hang at once: none may wait for another.
	running.Add(50)
	for i := 0; i < 50; i++ {
		w.run(func() { running.Done(); <-release })
	}
	running.Wait() // all 50 started, so 50 workers exist
	if n := w.started.Load(); n != 50 {
		t.Fatalf("%d workers for 50 concurrent runs", n)
	}
	close(release)
	// Sequential runs afterwards reuse the idle workers (a few may start
	// while the released ones are still on their way back to idle).
	for i := 0; i < 200; i++ {
		done := make(chan struct{})
		w.run(func() { close(done) })
		<-done
	}
	if n := w.started.Load(); n > 55 {
		t.Fatalf("%d workers started for 200 sequential runs after the burst, want the idle ones reused", n)
	}
	cancel()
	w.wait()
}

func TestIdleWorkersExit(t *testing.T) {
	w := newWorkers(context.Background(), 10*time.Millisecond)
	done := make(chan struct{})
	w.run(func() { close(done) })
	<-done
	w.wait() // returns once the idle worker has timed out
}
