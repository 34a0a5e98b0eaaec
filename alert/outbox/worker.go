package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/vigilmon/vigil/alert/notify"
	"github.com/vigilmon/vigil/store"
)

// Store is the part of the state database the worker uses.
type Store interface {
	RecoverOutbox(ctx context.Context, now time.Time) (int, error)
	ClaimOutbox(ctx context.Context, channel string, now time.Time, limit int) ([]store.OutboxMessage, error)
	FinishOutbox(ctx context.Context, outcomes []store.OutboxOutcome) error
	OutboxCounts(ctx context.Context) (map[store.OutboxStatus]int, error)
}

// Channel is one delivery channel.
type Channel struct {
	Notifier notify.Notifier
	// RatePerSecond is the send rate (Twilio long codes take about 1/s);
	// 0 means unlimited.
	RatePerSecond float64
	// Burst is the token bucket's size; default 1.
	Burst int
	// Idempotent says an uncertain send may simply be repeated (webhook
	// receivers dedupe on the delivery id; the log channel sends nothing)
	// when the notifier cannot reconcile.
	Idempotent bool
}

// Config configures a Worker.
type Config struct {
	Store    Store
	Channels map[string]Channel
	// Concurrency is the number of sends in flight at once; default 64.
	Concurrency int
	// Poll is how often an idle channel looks for due messages; default 1 s.
	// Wake makes it look at once.
	Poll time.Duration
	// ReconcileDelay is how long after an uncertain send it is reconciled,
	// giving the provider time to list it; default 30 s.
	ReconcileDelay time.Duration
	// BackoffMin and BackoffMax bound the wait before a retry: BackoffMin
	// doubled per attempt; default 2 s and 5 min.
	BackoffMin, BackoffMax time.Duration
	// MaxAge is how long a message is retried before it fails; default 24 h.
	MaxAge time.Duration
	// SendTimeout bounds one send or reconciliation; default 30 s. In-flight
	// sends finish (up to this) when Run's context ends.
	SendTimeout time.Duration
	Logger      *slog.Logger
	Now         func() time.Time
}

// Worker drains the outbox. Create it with New and run it with Run.
type Worker struct {
	cfg      Config
	channels map[string]*channel
	logger   *slog.Logger
	stats    counters
}

// channel is a Channel's runtime state.
type channel struct {
	name string
	Channel
	limiter     *rate.Limiter
	batch       int
	wake        chan struct{}
	pausedUntil atomic.Int64 // Unix ns; a 429's Retry-After
}

// New checks cfg and returns a Worker.
func New(cfg Config) (*Worker, error) {
	if cfg.Store == nil {
		return nil, errors.New("outbox worker: no store")
	}
	if len(cfg.Channels) == 0 {
		return nil, errors.New("outbox worker: no channels: configure twilio or keep the default log channel")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.Poll, time.Second)
	def(&cfg.ReconcileDelay, 30*time.Second)
	def(&cfg.BackoffMin, 2*time.Second)
	def(&cfg.BackoffMax, 5*time.Minute)
	def(&cfg.MaxAge, 24*time.Hour)
	def(&cfg.SendTimeout, 30*time.Second)
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 64
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	w := &Worker{cfg: cfg, channels: map[string]*channel{}, logger: cfg.Logger.With("component", "outbox")}
	for name, c := range cfg.Channels {
		if c.Notifier == nil {
			return nil, fmt.Errorf("outbox worker: channel %s has no notifier", name)
		}
		if c.Burst <= 0 {
			c.Burst = 1
		}
		lim, batch := rate.NewLimiter(rate.Inf, 0), 256
		if c.RatePerSecond > 0 {
			lim = rate.NewLimiter(rate.Limit(c.RatePerSecond), c.Burst)
			batch = min(256, max(1, c.Burst, int(c.RatePerSecond/2)))
		}
		w.channels[name] = &channel{name: name, Channel: c, limiter: lim, batch: batch, wake: make(chan struct{}, 1)}
	}
	return w, nil
}

// Wake tells the channel's dispatcher (all channels when channel is "")
// that messages were enqueued, so it claims them without waiting for the
// next poll. It never blocks.
func (w *Worker) Wake(channel string) {
	for name, c := range w.channels {
		if channel == "" || channel == name {
			select {
			case c.wake <- struct{}{}:
			default:
			}
		}
	}
}

// job is a claimed message on its way to a sender.
type job struct {
	ch *channel
	m  store.OutboxMessage
}

// Run recovers messages left in flight, then delivers until ctx ends. On
// return every claimed message has been sent or released and its outcome
// written. It returns nil when ctx ended, an error when recovery failed.
func (w *Worker) Run(ctx context.Context) error {
	n, err := w.cfg.Store.RecoverOutbox(ctx, w.cfg.Now())
	if err != nil {
		return fmt.Errorf("outbox worker: %w", err)
	}
	w.stats.recovered.Add(int64(n))
	jobs := make(chan job)
	outcomes := make(chan store.OutboxOutcome, 1024)
	var recWG, sendWG, dispWG sync.WaitGroup
	recWG.Go(func() { w.record(outcomes) })
	// Senders outlive ctx: a send under way finishes and is recorded.
	sendCtx := context.WithoutCancel(ctx)
	for range w.cfg.Concurrency {
		sendWG.Go(func() {
			for j := range jobs {
				outcomes <- w.deliver(sendCtx, j.ch, j.m)
			}
		})
	}
	for _, c := range w.channels {
		dispWG.Go(func() { w.dispatch(ctx, c, jobs, outcomes) })
	}
	dispWG.Wait()
	close(jobs)
	sendWG.Wait()
	close(outcomes)
	recWG.Wait()
	return nil
}
