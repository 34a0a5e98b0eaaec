package remotewrite

import (
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

// result returns the i-th result of a check every minute: 3 samples.
func result(i int) probe.Result {
	return probe.Result{Check: "home", Location: "ams", Start: t0.Add(time.Duration(i) * time.Minute), Interval: time.Minute, OK: true}
}

func TestQueueDropsOldest(t *testing.T) {
	q := queue{capacity: 10}
	for i := range 3 {
		if n := q.push(result(i)); n != 0 {
			t.Fatalf("push %d dropped %d", i, n)
		}
	}
	// 9 queued; the fourth needs 3 more: the oldest goes.
	if n := q.push(result(3)); n != 3 {
		t.Fatalf("push over capacity dropped %d, want 3", n)
	}
	// 12 samples never fit in 10: the result itself is dropped.
	big := result(4)
	big.Phases, big.Status = &probe.Phases{}, 200
	if n := q.push(big); n != 9 {
		// 3 + 1 status + 5 phases = 9 fit after dropping all three queued.
		t.Fatalf("push of a 9-sample result dropped %d, want 9", n)
	}
	if q.len() != 9 {
		t.Fatalf("len %d, want 9", q.len())
	}
	got, n := q.take(nil, 100)
	if n != 9 || len(got) != 1 || !got[0].Start.Equal(big.Start) {
		t.Fatalf("take = %d samples %v", n, got)
	}
	huge := queue{capacity: 2}
	if n := huge.push(result(0)); n != 3 || huge.len() != 0 {
		t.Fatalf("a result larger than the queue: dropped %d, len %d", n, huge.len())
	}
}

func TestQueueTakeWholeResults(t *testing.T) {
	q := queue{capacity: 1000}
	for i := range 5 {
		q.push(result(i))
	}
	got, n := q.take(nil, 7) // two results of 3; a third would make 9
	if n != 6 || len(got) != 2 || got[0].Start != result(0).Start || got[1].Start != result(1).Start {
		t.Fatalf("take(7) = %d samples, %d results", n, len(got))
	}
	got, n = q.take(got[:0], 1) // at least one result, however small the limit
	if n != 3 || len(got) != 1 || got[0].Start != result(2).Start {
		t.Fatalf("take(1) = %d samples, %d results", n, len(got))
	}
	if q.len() != 6 {
		t.Fatalf("len %d, want 6", q.len())
	}
	if n := q.close(); n != 6 || q.len() != 0 {
		t.Fatalf("close = %d, len after %d", n, q.len())
	}
	if got, n := q.take(nil, 10); n != 0 || len(got) != 0 {
		t.Fatalf("take from empty = %d, %v", n, got)
	}
	if n := q.push(result(9)); n != 3 || q.len() != 0 {
		t.Fatalf("push after close dropped %d, len %d", n, q.len())
	}
}

// Many pushes and takes, with drops once the takes fall behind, keep the
// order of a plain slice model and compact the backing slice.
func TestQueueLongRun(t *testing.T) {
	q := queue{capacity: 3 * 5000}
	var model []int // the results queued, oldest first
	next := 0
	for round := range 50 {
		for range 2000 {
			dropped := q.push(result(next)) / 3
			model = append(model[dropped:], next)
			next++
		}
		got, _ := q.take(nil, 3*(1500+round))
		for _, r := range got {
			if r.Start != result(model[0]).Start {
				t.Fatalf("round %d: took %v, want result %d", round, r.Start, model[0])
			}
			model = model[1:]
		}
		if q.len() != 3*len(model) {
			t.Fatalf("round %d: len %d, model %d results", round, q.len(), len(model))
		}
		if len(q.entries) > 2*5000+compactAt {
			t.Fatalf("round %d: backing slice grew to %d entries", round, len(q.entries))
		}
	}
}

// The queue keeps only what the backend gets.
func TestQueueStripsMessages(t *testing.T) {
	q := queue{capacity: 100}
	r := result(0)
	r.Message, r.Steps, r.Screenshot = "long text", []probe.Step{{Name: "login"}}, "x.png"
	q.push(r)
	got, _ := q.take(nil, 100)
	if got[0].Message != "" || got[0].Steps != nil || got[0].Screenshot != "" {
		t.Fatalf("queued result keeps %+v", got[0])
	}
}
