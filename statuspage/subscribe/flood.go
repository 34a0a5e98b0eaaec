package subscribe

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// The flood limit on POSTs per client address: a person filling in the
// form never comes near it; a script hammering it is answered 429 before
// its body is read.
const (
	floodBurst = 20
	floodEvery = 3 * time.Second
	// floodTracked bounds the addresses tracked; beyond it, new ones share
	// one bucket, so a flood from many addresses is throttled as a whole
	// instead of growing memory.
	floodTracked = 50_000
)

// floodGuard holds one in-memory token bucket per client address.
type floodGuard struct {
	mu       sync.Mutex
	buckets  map[string]*floodBucket
	overflow *floodBucket
	swept    time.Time // last sweep; at most one a second
}

// floodBucket is one address's bucket, and whether its last request was
// refused (a flood is logged when it starts, not once per request).
type floodBucket struct {
	lim      *rate.Limiter
	refusing bool
}

func newFloodGuard() *floodGuard {
	return &floodGuard{buckets: map[string]*floodBucket{}, overflow: newFloodBucket()}
}

func newFloodBucket() *floodBucket {
	return &floodBucket{lim: rate.NewLimiter(rate.Every(floodEvery), floodBurst)}
}

// floodVerdict is the flood guard's answer to one request.
type floodVerdict struct {
	ok     bool
	wait   time.Duration // until the next token, when refused
	starts bool          // the first refusal since the last allowed request
}

// allow takes a token from addr's bucket at now.
func (g *floodGuard) allow(addr string, now time.Time) floodVerdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	b, ok := g.buckets[addr]
	if !ok {
		if len(g.buckets) >= floodTracked && now.Sub(g.swept) >= time.Second {
			g.sweep(now)
		}
		b = g.overflow
		if len(g.buckets) < floodTracked {
			b = newFloodBucket()
			g.buckets[addr] = b
		}
	}
	if b.lim.AllowN(now, 1) {
		b.refusing = false
		return floodVerdict{ok: true}
	}
	v := floodVerdict{wait: untilToken(b.lim, now), starts: !b.refusing}
	b.refusing = true
	return v
}

// sweep forgets the buckets that are full again: a new one is the same.
func (g *floodGuard) sweep(now time.Time) {
	g.swept = now
	for a, b := range g.buckets {
		if b.lim.TokensAt(now) >= float64(b.lim.Burst()) {
			delete(g.buckets, a)
		}
	}
}

// untilToken is how long until lim holds a whole token.
func untilToken(lim *rate.Limiter, now time.Time) time.Duration {
	missing := 1 - lim.TokensAt(now)
	if missing <= 0 {
		return 0
	}
	return time.Duration(missing / float64(lim.Limit()) * float64(time.Second))
}
