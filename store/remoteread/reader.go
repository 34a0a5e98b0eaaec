package remoteread

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
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
	var next atomic.Int64
	workers := min(r.cfg.Concurrency, len(checks))
	return resultsdb.RunBatchFlow(ctx, "read observations from the remote", workers, func(ctx context.Context, f *resultsdb.BatchFlow) error {
		for {
			k := int(next.Add(1) - 1)
			if k >= len(checks) {
				return nil
			}
			c := checks[k]
			if err := r.readCheck(ctx, f, c, details[c], mint, maxt); err != nil {
				return err
			}
		}
	}, fn)
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
