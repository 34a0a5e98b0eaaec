package resultsdb

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/prometheus/prometheus/storage"

	"github.com/vigilmon/vigil/probe"
)

// Ingester stores the results that remote agents ship (the server's
// ingest API). Unlike Write, which queues a result and commits it within
// CommitInterval, Append commits before it returns, so that the server
// acknowledges to an agent (which then deletes the results from its
// spool) only what the write-ahead log holds: the same guarantee as a
// local result once committed (kill -9 loses nothing committed; the WAL
// is not fsynced per commit). And it says which results the head refused,
// and why, where Write can only count them in Stats.Rejected.
//
// Late results, which an agent cut off for a while sends when it is back,
// go through the head's out-of-order path: open the database with an
// Options.OutOfOrder that covers how late they may come (the daemon uses
// its retention when it has agents). Writing them into blocks of their
// own (Backfill) beside the open database is no substitute: at the next
// start the head drops the WAL samples older than the newest in-order
// block, and a backfilled block counts as one.
//
// The series of a remote location are written by one Ingester only (the
// server takes one location's batches one at a time), never by Write:
// the location of the server's own probes is not an agent's.
type Ingester struct {
	r    *Results
	mu   sync.Mutex
	refs refCache
}

// IngestOutcome is what Ingester.Append did not store.
type IngestOutcome struct {
	// TooOld are the indexes of the results older than the out-of-order
	// window allows.
	TooOld []int
	// Refused are the results the head refused for another reason, by
	// index: a different result of the same check and location at the
	// same millisecond.
	Refused map[int]error
}

// NewIngester returns an Ingester writing to r.
func (r *Results) NewIngester() *Ingester {
	return &Ingester{r: r, refs: make(refCache)}
}

// Append appends results to the head and commits them. An error means
// none of them was stored.
func (in *Ingester) Append(ctx context.Context, results []probe.Result) (IngestOutcome, error) {
	var out IngestOutcome
	for i := range results {
		if err := validResult(&results[i]); err != nil {
			return out, err
		}
	}
	if err := ctx.Err(); err != nil {
		return out, fmt.Errorf("ingest results: %w", err)
	}
	r := in.r
	r.closeMu.RLock()
	defer r.closeMu.RUnlock()
	if r.closed {
		return out, ErrResultsClosed
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	app := r.db.AppenderV2(ctx)
	for i := range results {
		res := &results[i]
		err, partial := appendResult(app, in.refs, res)
		switch {
		case isTooOld(err):
			out.TooOld = append(out.TooOld, i)
		case err != nil:
			if out.Refused == nil {
				out.Refused = map[int]error{}
			}
			out.Refused[i] = err
		case partial != nil:
			r.logger.Warn("probe result stored incompletely",
				"check", res.Check, "location", res.Location, "start", res.Start, "err", partial)
		}
	}
	if err := app.Commit(); err != nil {
		in.refs.forgetIntervals()
		return IngestOutcome{}, fmt.Errorf("commit ingested results: %w", err)
	}
	return out, nil
}

// isTooOld reports whether the head refused a sample for its age.
func isTooOld(err error) bool {
	return errors.Is(err, storage.ErrTooOldSample) || errors.Is(err, storage.ErrOutOfBounds) || errors.Is(err, storage.ErrOutOfOrderSample)
}
