package agent

import (
	"math/rand/v2"
	"time"
)

// backoff is exponential backoff with full jitter: the n-th wait is drawn
// uniformly from [min, min(max, min·2ⁿ)], so that agents cut off together
// do not come back in step.
type backoff struct {
	min, max time.Duration
	tries    int
	rand     func() float64 // in [0, 1)
}

// next returns how long to wait before the next try.
func (b *backoff) next() time.Duration {
	ceil := b.min << min(b.tries, 30)
	if ceil <= 0 || ceil > b.max {
		ceil = b.max
	}
	b.tries++
	return b.min + time.Duration(b.rand()*float64(ceil-b.min))
}

// reset starts again from the shortest wait, after a success.
func (b *backoff) reset() { b.tries = 0 }

// defaultRand is the jitter source outside tests.
func defaultRand() float64 { return rand.Float64() }
