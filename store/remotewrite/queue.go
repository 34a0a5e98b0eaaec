package remotewrite

import (
	"sync"

	"github.com/vigilmon/vigil/probe"
)

// queue holds the results waiting to be sent, bounded in samples. A result
// that does not fit pushes the oldest ones out (see the package doc).
type queue struct {
	mu       sync.Mutex
	entries  []entry // entries[head:] are queued, oldest first
	head     int
	samples  int // samples queued
	capacity int
	closed   bool // set by close: nothing more is taken
}

// entry is one queued result and its number of samples.
type entry struct {
	res     probe.Result
	samples int
}

// compactAt is how many taken entries may sit before the head before the
// slice is moved down, so that pushes and takes stay amortised O(1).
const compactAt = 1024

// push queues r and returns how many samples it dropped to make room: the
// oldest results', or r's own when r alone exceeds the capacity or the
// queue is closed.
func (q *queue) push(r probe.Result) (dropped int) {
	n := sampleCount(&r)
	// Only what the backend gets is kept: the message and steps can be long.
	r.Message, r.Steps, r.Screenshot = "", nil, ""
	q.mu.Lock()
	defer q.mu.Unlock()
	if n > q.capacity || q.closed {
		return n
	}
	for q.samples+n > q.capacity {
		dropped += q.entries[q.head].samples
		q.samples -= q.entries[q.head].samples
		q.entries[q.head] = entry{}
		q.head++
	}
	if q.head >= compactAt && q.head*2 >= len(q.entries) {
		k := copy(q.entries, q.entries[q.head:])
		clear(q.entries[k:])
		q.entries, q.head = q.entries[:k], 0
	}
	q.entries = append(q.entries, entry{res: r, samples: n})
	q.samples += n
	return dropped
}

// take moves whole results of at most maxSamples samples (but always at
// least one result, however large) to dst, oldest first, and returns dst
// and their number of samples.
func (q *queue) take(dst []probe.Result, maxSamples int) ([]probe.Result, int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	taken := 0
	for q.head < len(q.entries) {
		e := &q.entries[q.head]
		if taken > 0 && taken+e.samples > maxSamples {
			break
		}
		dst = append(dst, e.res)
		taken += e.samples
		*e = entry{}
		q.head++
	}
	q.samples -= taken
	if q.head == len(q.entries) {
		q.entries, q.head = q.entries[:0], 0
	}
	return dst, taken
}

// close empties the queue for good and returns how many samples it held;
// later pushes are dropped.
func (q *queue) close() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	n := q.samples
	clear(q.entries)
	q.entries, q.head, q.samples = q.entries[:0], 0, 0
	return n
}

// len is the number of samples queued.
func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.samples
}
