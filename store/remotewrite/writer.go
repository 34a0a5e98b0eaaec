package remotewrite

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/vigilmon/vigil/internal/clock"
	"github.com/vigilmon/vigil/probe"
)

// Writer sends results to one remote-write endpoint: Observe queues, Run
// sends. See the package doc.
type Writer struct {
	cfg    Config
	url    *url.URL
	shown  string // the URL as logs show it
	logger *slog.Logger
	clock  clock.Clock
	client *retryablehttp.Client
	q      queue
	// wake is signalled (never blocking) when a result is queued.
	wake chan struct{}

	sent, failed, dropped, retried atomic.Uint64
	lastSuccess                    atomic.Int64 // Unix ns, 0 before the first

	// The sender's state, owned by Run's goroutine.
	enc      *encoder
	batch    []probe.Result
	inFlight int       // samples of the request being sent
	attempts int       // attempts of the request being sent
	giveUpAt time.Time // when its retries stop
}

// Options are the Writer's collaborators; the zero value is usable.
type Options struct {
	Logger *slog.Logger
	Clock  clock.Clock
	// Transport carries the requests; nil uses a pooled default.
	Transport http.RoundTripper
}

// New returns a Writer for cfg; call Run to start sending.
func New(cfg Config, opts Options) (*Writer, error) {
	cfg, u, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	w := &Writer{
		cfg:    cfg,
		url:    u,
		shown:  RedactURL(u),
		clock:  opts.Clock,
		q:      queue{capacity: cfg.Queue.Capacity},
		wake:   make(chan struct{}, 1),
		enc:    newEncoder(),
		logger: opts.Logger.With("remote", cfg.Name),
	}
	w.client = w.newClient(opts.Transport)
	return w, nil
}

// Name is the endpoint's name in logs and metrics.
func (w *Writer) Name() string { return w.cfg.Name }

// Observe queues r for the backend. It never blocks: a full queue drops
// its oldest results, and a Writer whose Run has returned drops r (both
// counted in Stats.SamplesDropped).
func (w *Writer) Observe(r probe.Result) {
	if n := w.q.push(r); n > 0 {
		w.dropped.Add(uint64(n))
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends queued results until ctx ends, then what is still queued for
// at most FlushTimeout (wall-clock time: it bounds a shutdown); results it
// could not send by then are dropped. A request in flight when ctx ends
// is not cut off: it has the flush's time too.
func (w *Writer) Run(ctx context.Context) {
	sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stopFlushTimer := context.AfterFunc(ctx, func() { time.AfterFunc(w.cfg.FlushTimeout, cancel) })
	defer stopFlushTimer()
	for w.waitBatch(ctx) {
		w.sendBatch(sendCtx)
	}
	w.flush(sendCtx)
}

// waitBatch waits until a full request is queued, or some results and
// the first of them has waited BatchSendDeadline. It returns false when
// ctx ends.
func (w *Writer) waitBatch(ctx context.Context) bool {
	for w.q.len() == 0 {
		select {
		case <-w.wake:
		case <-ctx.Done():
			return false
		}
	}
	if w.q.len() >= w.cfg.Queue.MaxSamplesPerSend {
		return true
	}
	deadline := w.clock.NewTimer(w.cfg.Queue.BatchSendDeadline)
	defer deadline.Stop()
	for w.q.len() < w.cfg.Queue.MaxSamplesPerSend {
		select {
		case <-w.wake:
		case <-deadline.C():
			return true
		case <-ctx.Done():
			return false
		}
	}
	return true
}

// flush sends what is queued once Run's context has ended, until ctx
// (which ends FlushTimeout later) ends, and drops the rest.
func (w *Writer) flush(ctx context.Context) {
	for w.q.len() > 0 && ctx.Err() == nil {
		w.sendBatch(ctx)
	}
	if n := w.q.close(); n > 0 {
		w.dropped.Add(uint64(n))
		w.logger.Warn("remote write stopped with results unsent", "url", w.shown, "samples", n)
	}
}

// sendBatch takes one request's worth of results and sends it.
func (w *Writer) sendBatch(ctx context.Context) {
	var n int
	w.batch, n = w.q.take(w.batch[:0], w.cfg.Queue.MaxSamplesPerSend)
	if n == 0 {
		return
	}
	body := w.enc.encode(w.batch)
	clear(w.batch) // the results are in body now
	if err := w.send(ctx, body, n); err != nil {
		w.failed.Add(uint64(n))
		w.logger.Error("remote write failed, samples lost for this remote (they stay in the local results)",
			"url", w.shown, "samples", n, "err", err)
		return
	}
	w.sent.Add(uint64(n))
	w.lastSuccess.Store(w.clock.Now().UnixNano())
}

// Stats are a Writer's counters, for /metrics.
type Stats struct {
	// SamplesSent counts samples the backend accepted.
	SamplesSent uint64
	// SamplesFailed counts samples of requests the backend refused (4xx
	// but 429) or that could not be delivered within RetryFor.
	SamplesFailed uint64
	// SamplesDropped counts samples that never got a request: pushed out
	// of a full queue, or still queued when Run ended.
	SamplesDropped uint64
	// SamplesRetried counts samples of every retried attempt.
	SamplesRetried uint64
	// QueueSamples is how many samples wait; QueueCapacity the most that may.
	QueueSamples, QueueCapacity int
	// LastSuccess is when the backend last accepted a request (zero: never).
	LastSuccess time.Time
}

// Stats returns the counters now.
func (w *Writer) Stats() Stats {
	s := Stats{
		SamplesSent:    w.sent.Load(),
		SamplesFailed:  w.failed.Load(),
		SamplesDropped: w.dropped.Load(),
		SamplesRetried: w.retried.Load(),
		QueueSamples:   w.q.len(),
		QueueCapacity:  w.cfg.Queue.Capacity,
	}
	if ns := w.lastSuccess.Load(); ns != 0 {
		s.LastSuccess = time.Unix(0, ns)
	}
	return s
}
