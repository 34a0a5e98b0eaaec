package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/sync/errgroup"

	"github.com/vigilmon/vigil/agent/spool"
	"github.com/vigilmon/vigil/agent/wire"
	"github.com/vigilmon/vigil/internal/clock"
	"github.com/vigilmon/vigil/probe"
)

// Defaults of Options, used for every zero field.
const (
	DefaultMaxBatch       = 5000
	DefaultFlushEvery     = 200 * time.Millisecond
	DefaultMaxQueued      = 100_000
	DefaultMinBackoff     = 500 * time.Millisecond
	DefaultMaxBackoff     = time.Minute
	DefaultRequestTimeout = 30 * time.Second
)

// flushAt is how many queued results make the spool writer flush before
// FlushEvery is up.
const flushAt = 1000

// Options wire an Agent.
type Options struct {
	// Server is the base URL of the vigil server, e.g. https://vigil.example.com.
	Server string
	// Token is the agent's bearer token (the server's agents[].token for
	// its location). It is never logged.
	Token string
	// Location is the agent's location; every result it ships carries it.
	Location string
	// Spool holds the results until the server has them. The caller opens
	// and closes it.
	Spool *spool.Spool
	// Client sends the batches; nil uses one with RequestTimeout.
	Client *http.Client
	// MaxBatch is the most results in one request (DefaultMaxBatch).
	MaxBatch int
	// FlushEvery is the longest a result waits in memory before it is
	// spooled (DefaultFlushEvery): what a kill -9 can lose at most.
	FlushEvery time.Duration
	// MaxQueued bounds the results waiting in memory; beyond it (the
	// spool's disk fails) new results are dropped and counted
	// (DefaultMaxQueued).
	MaxQueued int
	// MinBackoff and MaxBackoff bound the wait between tries while the
	// server is unreachable (DefaultMinBackoff, DefaultMaxBackoff).
	MinBackoff, MaxBackoff time.Duration
	// RequestTimeout bounds one request (DefaultRequestTimeout).
	RequestTimeout time.Duration
	// Clock paces flushes and backoff; nil is the wall clock.
	Clock  clock.Clock
	Logger *slog.Logger
	// OnSpooled, when set, is called after each append to the spool with
	// the sequence number of the last record now on disk.
	OnSpooled func(last uint64)
	// Rand is the backoff jitter in [0, 1); nil is math/rand.
	Rand func() float64
}

// Stats count what an agent did since it started.
type Stats struct {
	// Spooled counts results written to the spool; Shipped those the
	// server stored or already had; Rejected those it refused for good
	// (see the log for why); Dropped those lost before the spool (queue
	// full) or refused by it.
	Spooled, Shipped, Rejected, Dropped uint64
	// Requests counts batches sent, Failures the tries that failed.
	Requests, Failures uint64
	// Spool is the spool's own state (pending records, bytes, lost).
	Spool spool.Stats
}

// Agent ships the results of one location to the server.
type Agent struct {
	opts   Options
	ingest string // the ingest URL
	logger *slog.Logger
	enc    *zstd.Encoder

	mu     sync.Mutex
	queue  [][]byte // encoded results waiting for the spool
	spare  [][]byte
	closed bool
	kick   chan struct{}

	spoolMu sync.Mutex // serializes flushes to the spool (writer and Close)
	// dropping is set from the first result dropped for a full queue to
	// the next good flush: one log line per episode, not per result.
	dropping atomic.Bool

	spooled, shipped, rejected, dropped, requests, failures atomic.Uint64
}

// New checks opts and returns an agent; Run starts it.
func New(opts Options) (*Agent, error) {
	base, err := url.Parse(opts.Server)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("agent: server %q is not an http(s) URL: write e.g. https://vigil.example.com", opts.Server)
	}
	if base.User != nil {
		return nil, errors.New("agent: the server URL holds credentials: remove them, the agent authenticates with its token")
	}
	switch {
	case opts.Token == "":
		return nil, errors.New("agent: no token: set VIGIL_AGENT_TOKEN to the token of this location under agents in the server's config")
	case opts.Location == "":
		return nil, errors.New("agent: no location: give the agent the name of its location")
	case opts.Spool == nil:
		return nil, errors.New("agent: no spool")
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = DefaultMaxBatch
	}
	opts.MaxBatch = min(opts.MaxBatch, wire.MaxResults)
	if opts.FlushEvery <= 0 {
		opts.FlushEvery = DefaultFlushEvery
	}
	if opts.MaxQueued <= 0 {
		opts.MaxQueued = DefaultMaxQueued
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = DefaultMinBackoff
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(DefaultMaxBackoff, opts.MinBackoff)
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: opts.RequestTimeout}
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Rand == nil {
		opts.Rand = defaultRand
	}
	// The fastest level: results compress well at any level, and an agent
	// catching up should spend its CPU on sending.
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("agent: zstd: %w", err)
	}
	return &Agent{
		opts:   opts,
		ingest: base.JoinPath(wire.Path).String(),
		logger: opts.Logger.With("component", "agent", "location", opts.Location),
		enc:    enc,
		kick:   make(chan struct{}, 1),
	}, nil
}

// Emit queues one result for the spool; it is the Scheduler's Emit. It
// never blocks on the disk or the network. A result from another location
// is a wiring mistake and is dropped.
func (a *Agent) Emit(r probe.Result) {
	if r.Location != a.opts.Location {
		a.dropped.Add(1)
		a.logger.Error("result of another location not shipped", "check", r.Check, "result_location", r.Location)
		return
	}
	rec := wire.AppendResult(nil, &r)
	a.mu.Lock()
	if a.closed || len(a.queue) >= a.opts.MaxQueued {
		closed := a.closed
		a.mu.Unlock()
		a.dropped.Add(1)
		if !closed && a.dropping.CompareAndSwap(false, true) {
			a.logger.Error("results dropped: the spool is not keeping up (see the errors before); counting until it recovers",
				"queued", a.opts.MaxQueued)
		}
		return
	}
	a.queue = append(a.queue, rec)
	n := len(a.queue)
	a.mu.Unlock()
	if n >= flushAt {
		select {
		case a.kick <- struct{}{}:
		default:
		}
	}
}

// Run spools and ships results until ctx ends, then spools what is still
// queued. It returns an error only when the spool fails for good (a
// damaged record: restart the agent, which repairs the spool).
func (a *Agent) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { a.writeLoop(gctx); return nil })
	g.Go(func() error { return a.shipLoop(gctx) })
	err := g.Wait()
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		err = nil
	}
	return err
}

// Close spools what is still queued and refuses results from then on.
// Call it after the scheduler has stopped, before closing the spool.
func (a *Agent) Close() error {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	return a.flush()
}

// Stats returns the agent's counters.
func (a *Agent) Stats() Stats {
	return Stats{
		Spooled: a.spooled.Load(), Shipped: a.shipped.Load(), Rejected: a.rejected.Load(),
		Dropped: a.dropped.Load(), Requests: a.requests.Load(), Failures: a.failures.Load(),
		Spool: a.opts.Spool.Stats(),
	}
}

// writeLoop flushes the queue to the spool every FlushEvery, sooner when
// flushAt results wait, and once more when ctx ends. A failing spool is
// logged when it starts failing and when it recovers.
func (a *Agent) writeLoop(ctx context.Context) {
	timer := a.opts.Clock.NewTimer(a.opts.FlushEvery)
	defer timer.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			if err := a.flush(); err != nil {
				a.logger.Error("results not spooled at shutdown", "err", err)
			}
			return
		case <-timer.C():
			timer.Reset(a.opts.FlushEvery)
		case <-a.kick:
		}
		err := a.flush()
		switch {
		case err != nil && !failing:
			a.logger.Error("spool write failed; results stay queued in memory and are retried", "err", err)
		case err == nil && failing:
			a.logger.Info("spool writes again", "dropped_so_far", a.dropped.Load())
		}
		failing = err != nil
	}
}

// flush appends the queued results to the spool (one fsync). On failure
// they go back to the front of the queue.
func (a *Agent) flush() error {
	a.spoolMu.Lock()
	defer a.spoolMu.Unlock()
	a.mu.Lock()
	batch := a.queue
	a.queue, a.spare = a.spare[:0], nil
	a.mu.Unlock()
	if len(batch) == 0 {
		a.mu.Lock()
		a.spare = batch
		a.mu.Unlock()
		return nil
	}
	last, err := a.opts.Spool.Append(batch)
	a.mu.Lock()
	if err != nil {
		a.queue = append(batch, a.queue...)
	} else {
		clear(batch)
		a.spare = batch[:0]
	}
	a.mu.Unlock()
	if err != nil {
		return err
	}
	a.spooled.Add(uint64(len(batch)))
	a.dropping.Store(false)
	if a.opts.OnSpooled != nil {
		a.opts.OnSpooled(last)
	}
	return nil
}
