package remoteread

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/vigilmon/vigil/store/remotewrite"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// Retries of a query the backend could not answer (connection error, 5xx,
// 429): a few, quickly, since a person waits for the report.
const (
	retries      = 3
	retryWaitMin = 200 * time.Millisecond
	retryWaitMax = 5 * time.Second
)

// Batching, as store/resultsdb's Observations does it.
const (
	batchSize        = 1024 // observations in one batch at most
	batchesPerWorker = 4    // batches one worker may have in flight
)

// Reader reads observations from one backend's query API. It is safe for
// concurrent use.
type Reader struct {
	cfg    Config
	url    *url.URL // the /api/v1/query endpoint
	shown  string   // url as errors show it
	client *retryablehttp.Client
}

// Options are the Reader's collaborators; the zero value is usable.
type Options struct {
	// Transport carries the queries; nil uses a pooled default.
	Transport http.RoundTripper
}

// New returns a Reader of the backend cfg describes.
func New(cfg Config, opts Options) (*Reader, error) {
	cfg, u, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Reader{cfg: cfg, url: u, shown: remotewrite.RedactURL(u), client: newClient(opts.Transport, cfg)}, nil
}

// Observations streams the observations q selects to fn, with the
// semantics of resultsdb.Results.Observations: each batch holds
// consecutive results of one (check, location) group in time order, a
// group's batches come in time order, batches of different groups
// interleave, and fn runs on the caller's goroutine. The batch and its
// slice are reused once fn returns: fn must not keep them. q.From and q.To
// must both be set. An error from fn stops the read and is returned as is.
func (r *Reader) Observations(ctx context.Context, q resultsdb.ObservationsQuery, fn func(*resultsdb.ObservationBatch) error) error {
	if q.From.IsZero() || q.To.IsZero() {
		return errors.New("read observations from the remote: the range needs both a start and an end")
	}
	mint, maxt := ceilMilli(q.From), ceilMilli(q.To)-1
	checks := slices.Compact(slices.Sorted(slices.Values(q.Checks)))
	if mint > maxt || len(checks) == 0 {
		return nil
	}
	details := make(map[string]bool, len(q.Details))
	for _, c := range q.Details {
		details[c] = true
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	workers := min(r.cfg.Concurrency, len(checks))
	p := &pipeline{
		out:  make(chan *resultsdb.ObservationBatch, workers*batchesPerWorker),
		free: make(chan *resultsdb.ObservationBatch, workers*batchesPerWorker),
	}
	for range workers * batchesPerWorker {
		p.free <- &resultsdb.ObservationBatch{Observations: make([]resultsdb.Observation, 0, batchSize)}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for i := range workers {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= len(checks) {
					return
				}
				c := checks[k]
				if errs[i] = r.readCheck(ctx, p, c, details[c], mint, maxt); errs[i] != nil {
					if !errors.Is(errs[i], errStopped) {
						cancel(errs[i])
					}
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(p.out)
	}()
	var fnErr error
	for batch := range p.out {
		if fnErr == nil {
			if fnErr = fn(batch); fnErr != nil {
				cancel(fnErr)
			}
		}
		p.free <- batch
	}
	if fnErr != nil {
		return fnErr
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, errStopped) {
			return err
		}
	}
	if err := context.Cause(ctx); err != nil {
		return fmt.Errorf("read observations from the remote: %w", err)
	}
	return nil
}

// pipeline carries batches from the workers to fn's goroutine and back.
type pipeline struct {
	out  chan *resultsdb.ObservationBatch // filled, to fn
	free chan *resultsdb.ObservationBatch // fn is done with them
}

// errStopped ends a worker whose context was cancelled; Observations
// reports the cause.
var errStopped = errors.New("stopped")

// take returns a free batch for the group.
func (p *pipeline) take(ctx context.Context, check, location string) (*resultsdb.ObservationBatch, error) {
	select {
	case b := <-p.free:
		b.Check, b.Location, b.Observations = check, location, b.Observations[:0]
		return b, nil
	case <-ctx.Done():
		return nil, errStopped
	}
}

// send hands a filled batch to fn's goroutine.
func (p *pipeline) send(ctx context.Context, b *resultsdb.ObservationBatch) error {
	select {
	case p.out <- b:
		return nil
	case <-ctx.Done():
		p.free <- b
		return errStopped
	}
}

// ceilMilli is t in Unix milliseconds, rounded up, as store/resultsdb
// bounds its queries.
func ceilMilli(t time.Time) int64 {
	ms := t.UnixMilli()
	if time.UnixMilli(ms).Before(t) {
		ms++
	}
	return ms
}
