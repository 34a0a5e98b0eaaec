package resultsdb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/prometheus/storage"

	"github.com/vigilmon/vigil/probe"
)

// Write hands res to the writer. It returns once res is queued, not once it
// is committed: a committed result appears in Query within CommitInterval.
// When the queue is full Write blocks (accepted results are never dropped)
// until there is room, ctx ends (its error is returned) or Close is called
// (ErrResultsClosed: the result was not accepted).
func (r *Results) Write(ctx context.Context, res probe.Result) error {
	if err := validResult(&res); err != nil {
		return err
	}
	r.closeMu.RLock()
	defer r.closeMu.RUnlock()
	if r.closed {
		return ErrResultsClosed
	}
	// Count before the send so that Pending never goes negative when the
	// writer commits the result before this goroutine runs again.
	r.stats.pending.Add(1)
	select {
	case r.queue <- res:
		return nil
	default:
	}
	select {
	case r.queue <- res:
		return nil
	case <-ctx.Done():
		r.stats.pending.Add(-1)
		return fmt.Errorf("queue probe result: %w", ctx.Err())
	case <-r.closing:
		r.stats.pending.Add(-1)
		return ErrResultsClosed
	}
}

// validResult rejects results the layout cannot store faithfully.
func validResult(res *probe.Result) error {
	switch {
	case res.Check == "":
		return errors.New("invalid probe result: empty check name")
	case res.Location == "":
		return fmt.Errorf("invalid probe result of check %q: empty location", res.Check)
	case res.Start.IsZero():
		return fmt.Errorf("invalid probe result of check %q: zero start time", res.Check)
	}
	return nil
}

// runWriter is the writer goroutine: it batches queued results into one
// appender and commits every CommitInterval, at MaxBatch results and when
// Close asks it to stop (after draining the queue). After a failed commit it
// stops taking results until a retry (every CommitInterval) succeeds.
func (r *Results) runWriter() {
	defer close(r.done)
	w := &batchWriter{r: r, refs: make(refCache)}
	ticker := time.NewTicker(r.opts.CommitInterval)
	defer ticker.Stop()
	for {
		queue := r.queue
		if w.failing {
			queue = nil // back-pressure: Write blocks until the db recovers
		}
		select {
		case res := <-queue:
			w.add(res)
		case <-ticker.C:
			w.commit()
		case <-r.stop:
			w.drain()
			return
		}
	}
}

// drain takes every queued result, commits (retrying once) and discards
// what could not be committed. Close makes sure nothing is written meanwhile.
func (w *batchWriter) drain() {
	for {
		select {
		case res := <-w.r.queue:
			w.add(res)
			continue
		default:
		}
		break
	}
	w.commit()
	if w.failing {
		w.commit()
	}
	w.rollback()
}

// batchWriter is the writer goroutine's state: the open appender, the results
// appended to it (kept so that a failed commit can be retried) and the series
// reference cache.
type batchWriter struct {
	r     *Results
	refs  refCache
	app   storage.AppenderV2
	batch []probe.Result
	// failing is set while the last commit failed: the batch waits for a retry.
	failing bool
}

// add appends res to the open appender (opening one if needed) and commits
// once the batch is full.
func (w *batchWriter) add(res probe.Result) {
	if w.app == nil && !w.failing {
		w.app = w.r.db.AppenderV2(context.Background())
	}
	w.batch = append(w.batch, res)
	if w.app != nil {
		if err := w.appendResult(&res); err != nil {
			w.reject(&res, err)
		}
	}
	if len(w.batch) >= w.r.opts.MaxBatch {
		w.commit()
	}
}

// reject accounts for a result the TSDB refused.
func (w *batchWriter) reject(res *probe.Result, err error) {
	w.r.stats.rejected.Add(1)
	w.batch = w.batch[:len(w.batch)-1]
	w.r.stats.pending.Add(-1)
	w.r.logger.Warn("probe result refused by the results db",
		"check", res.Check, "location", res.Location, "start", res.Start, "err", err)
}

// commit commits the open appender. On failure the batch is kept and
// appended again to a new appender on the next commit, so that no result is
// lost to a transient error (a full disk); the queue then fills and Write
// blocks, which is the back-pressure the daemon needs.
func (w *batchWriter) commit() {
	if w.app == nil {
		if len(w.batch) == 0 {
			return
		}
		w.reappend()
	}
	app := w.app
	w.app = nil
	if err := app.Commit(); err != nil {
		w.failing = true
		w.r.stats.commitErrors.Add(1)
		w.r.logger.Error("commit probe results", "results", len(w.batch), "err", err)
		return
	}
	w.failing = false
	n := len(w.batch)
	w.batch = w.batch[:0]
	w.r.stats.commits.Add(1)
	w.r.stats.written.Add(uint64(n))
	w.r.stats.pending.Add(-int64(n))
	if w.r.opts.OnCommit != nil {
		w.r.opts.OnCommit(n)
	}
}

// reappend opens a new appender and appends the kept batch to it again.
func (w *batchWriter) reappend() {
	old := w.batch
	w.batch = make([]probe.Result, 0, len(old))
	w.refs.forgetIntervals()
	w.app = w.r.db.AppenderV2(context.Background())
	for i := range old {
		w.batch = append(w.batch, old[i])
		if err := w.appendResult(&old[i]); err != nil {
			w.reject(&old[i], err)
		}
	}
}

// rollback discards the open appender, if any.
func (w *batchWriter) rollback() {
	if w.app == nil {
		return
	}
	if err := w.app.Rollback(); err != nil {
		w.r.logger.Error("roll back probe results", "err", err)
	}
	w.app = nil
}
