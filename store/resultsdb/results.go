package resultsdb

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/prometheus/prometheus/tsdb"

	"github.com/vigilmon/vigil/probe"
)

// ErrResultsClosed is returned by Write and Query once Close has been called.
var ErrResultsClosed = errors.New("results db closed")

// Results stores probe results in an embedded Prometheus TSDB and reads them
// back. It is safe for concurrent use. Open starts its writer
// goroutine; Close stops it after committing everything written.
type Results struct {
	db     *tsdb.DB
	dir    string // the TSDB directory, <data dir>/tsdb
	opts   Options
	logger *slog.Logger

	queue   chan probe.Result
	closing chan struct{} // closed first by Close: blocked Writes give up
	stop    chan struct{} // closed by Close once no Write is in flight: the writer drains the queue and ends
	done    chan struct{} // closed by the writer when it has ended
	queries sync.WaitGroup

	// closeMu orders Write against Close: writers hold it for reading while
	// they enqueue, Close takes it for writing to set closed, so that no
	// result can enter the queue after the writer's last drain.
	closeMu   sync.RWMutex
	closed    bool
	closeOnce sync.Once
	closeErr  error

	stats resultsCounters
}

// resultsCounters are the self-metrics behind Results.Stats.
type resultsCounters struct {
	written      atomic.Uint64
	commits      atomic.Uint64
	commitErrors atomic.Uint64
	rejected     atomic.Uint64
	pending      atomic.Int64
}

// Stats are the results writer's self-metrics, for the daemon's /metrics.
type Stats struct {
	// Written counts the results committed to the WAL.
	Written uint64
	// Commits counts successful commits.
	Commits uint64
	// CommitErrors counts failed commits; their results are retried.
	CommitErrors uint64
	// Rejected counts results the TSDB refused: older than the out-of-order
	// window allows, or a different result at the same millisecond.
	Rejected uint64
	// Pending is the number of results written but not yet committed
	// (queued or in the open batch).
	Pending int64
}

// Open opens the results database under dir (in dir/tsdb), creating
// it if needed, replays its WAL and starts the writer goroutine. Errors say
// what is wrong with dir and what to do about it.
func Open(dir string, opts Options, logger *slog.Logger) (*Results, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	opts = opts.withDefaults()
	tsdbDir := filepath.Join(dir, "tsdb")
	if err := checkResultsDir(dir, tsdbDir); err != nil {
		return nil, err
	}
	db, err := tsdb.Open(tsdbDir, logger.With("component", "tsdb"), nil, opts.tsdbOptions(), nil)
	if err != nil {
		return nil, explainResultsOpenError(dir, tsdbDir, err)
	}
	r := &Results{
		db:      db,
		dir:     tsdbDir,
		opts:    opts,
		logger:  logger.With("component", "results"),
		queue:   make(chan probe.Result, opts.QueueSize),
		closing: make(chan struct{}),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	go r.runWriter()
	return r, nil
}

// Stats returns a snapshot of the writer's self-metrics.
func (r *Results) Stats() Stats {
	return Stats{
		Written:      r.stats.written.Load(),
		Commits:      r.stats.commits.Load(),
		CommitErrors: r.stats.commitErrors.Load(),
		Rejected:     r.stats.rejected.Load(),
		Pending:      r.stats.pending.Load(),
	}
}

// Close stops accepting results, commits every result already accepted,
// stops the writer, waits for running queries and closes the database. It is
// safe to call more than once; later calls return the first call's error.
func (r *Results) Close() error {
	r.closeOnce.Do(func() {
		close(r.closing)
		r.closeMu.Lock()
		r.closed = true
		r.closeMu.Unlock()
		close(r.stop)
		<-r.done
		r.queries.Wait()
		var errs []error
		if n := r.stats.pending.Load(); n > 0 {
			errs = append(errs, fmt.Errorf("results not stored: %d could not be committed (see the log for why)", n))
		}
		if err := r.db.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close results db: %w", err))
		}
		r.closeErr = errors.Join(errs...)
	})
	return r.closeErr
}
