package subscribe

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/vigilmon/vigil/store"
)

// The scopes of the hourly limits on verification SMS.
const (
	scopeIP     = "subscribe-ip"
	scopeNumber = "subscribe-number"
	scopePrefix = "subscribe-prefix"
	scopeGlobal = "subscribe-global"
)

// LimitStore keeps the limiters' states across restarts (*store.State).
type LimitStore interface {
	LoadLimiter(ctx context.Context, scope, subject string) (store.LimiterState, bool, error)
	SaveLimiters(ctx context.Context, states []store.LimiterState, now time.Time) error
}

// limitKey names one bucket.
type limitKey struct{ scope, subject string }

// limits are token buckets of N per hour with a burst of N, one per scope
// and subject. They live in memory (x/time/rate), are restored from the
// store the first time a subject is seen, and written through to it on
// every token taken, before the SMS the token pays for is sent.
type limits struct {
	mu      sync.Mutex // one decision at a time: check all, then take all
	st      LimitStore
	perHour map[string]int
	buckets map[limitKey]*rate.Limiter
}

func newLimits(st LimitStore, perHour map[string]int) *limits {
	return &limits{st: st, perHour: perHour, buckets: map[limitKey]*rate.Limiter{}}
}

// denial says which bucket refused and for how long.
type denial struct {
	scope string
	wait  time.Duration
}

// take takes one token from every bucket of keys, or from none when one
// of them is empty: then it returns the denial with the longest wait.
func (l *limits) take(ctx context.Context, keys []limitKey, now time.Time) (*denial, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.sweep(now)
	lims := make([]*rate.Limiter, len(keys))
	var worst *denial
	for i, k := range keys {
		lim, err := l.bucket(ctx, k)
		if err != nil {
			return nil, err
		}
		lims[i] = lim
		if wait := untilToken(lim, now); lim.TokensAt(now) < 1 && (worst == nil || wait > worst.wait) {
			worst = &denial{scope: k.scope, wait: wait}
		}
	}
	if worst != nil {
		return worst, nil
	}
	states := make([]store.LimiterState, len(keys))
	for i, k := range keys {
		lims[i].AllowN(now, 1)
		states[i] = stateOf(k, lims[i], now)
	}
	if err := l.st.SaveLimiters(ctx, states, now); err != nil {
		return nil, fmt.Errorf("record rate limits: %w", err)
	}
	return nil, nil
}

// bucket returns k's limiter, restoring it from the store when it is not
// in memory.
func (l *limits) bucket(ctx context.Context, k limitKey) (*rate.Limiter, error) {
	if lim, ok := l.buckets[k]; ok {
		return lim, nil
	}
	n := l.perHour[k.scope]
	lim := rate.NewLimiter(rate.Limit(float64(n)/3600), n)
	st, found, err := l.st.LoadLimiter(ctx, k.scope, k.subject)
	if err != nil {
		return nil, fmt.Errorf("restore rate limit: %w", err)
	}
	if found {
		restore(lim, st)
	}
	l.buckets[k] = lim
	return lim, nil
}

// restore puts lim (fresh, full) into the state st. A limiter cannot be
// given a token count, only have whole tokens taken; so it takes the
// whole tokens missing at a moment earlier than st.At by the time the
// fraction takes to refill, which leaves exactly st.Tokens at st.At.
func restore(lim *rate.Limiter, st store.LimiterState) {
	burst := float64(lim.Burst())
	tokens := math.Max(0, math.Min(st.Tokens, burst))
	whole := math.Floor(tokens)
	back := time.Duration((tokens - whole) / float64(lim.Limit()) * float64(time.Second))
	lim.AllowN(st.At.Add(-back), int(burst-whole))
}

// stateOf is lim's state at now, as stored.
func stateOf(k limitKey, lim *rate.Limiter, now time.Time) store.LimiterState {
	tokens := lim.TokensAt(now)
	refill := time.Duration((float64(lim.Burst()) - tokens) / float64(lim.Limit()) * float64(time.Second))
	return store.LimiterState{Scope: k.scope, Subject: k.subject, Tokens: tokens, At: now, FullAt: now.Add(refill)}
}

// sweep drops the buckets that are full again from memory (the store
// sweeps its copies): a fresh bucket is the same. Only taken tokens keep
// a bucket, and the global bucket caps those, so few stay.
func (l *limits) sweep(now time.Time) {
	for k, lim := range l.buckets {
		if lim.TokensAt(now) >= float64(lim.Burst()) {
			delete(l.buckets, k)
		}
	}
}
