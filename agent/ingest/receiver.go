package ingest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigilmon/vigil/agent/wire"
	"github.com/vigilmon/vigil/probe"
)

// DefaultMaxSkew is how far ahead of the server's clock a result may
// start: agents keep their clocks with NTP, and a result from the future
// would move the results database's notion of "now".
const DefaultMaxSkew = 2 * time.Minute

// Store is where a batch's results go; cmd/vigil adapts the results
// database to it.
type Store interface {
	// Append stores results and returns once they are durable (in the
	// write-ahead log). It reports, by index, the results it refused and
	// why (older than it takes, or a different result of the same check
	// and location at the same millisecond).
	Append(ctx context.Context, results []probe.Result) (refused map[int]string, err error)
}

// Options wire a Receiver.
type Options struct {
	Store  Store
	Ledger *Ledger
	// Live receives, in order, the stored results that are still fresh
	// (see Fresh): for the incident evaluator, the latest-result view and
	// the metrics. Nil for none.
	Live func(probe.Result)
	// Stored receives every stored result, late ones included (for a
	// remote-write copy, say). Nil for none.
	Stored func(probe.Result)
	// Retention refuses results older than the results database keeps;
	// zero keeps any.
	Retention time.Duration
	// MaxSkew refuses results starting further ahead of Now
	// (DefaultMaxSkew).
	MaxSkew time.Duration
	Now     func() time.Time
	Logger  *slog.Logger
}

// Stats count what the receiver did since it started.
type Stats struct {
	Batches, Stored, Duplicates, Rejected uint64
}

// Receiver takes the batches of the agents. It is safe for concurrent
// use; the batches of one location are taken one at a time, in the order
// they come.
type Receiver struct {
	opts  Options
	locks sync.Map // location -> *sync.Mutex
	twins twinWatch

	batches, stored, duplicates, rejected atomic.Uint64
}

// New returns a receiver.
func New(opts Options) *Receiver {
	if opts.MaxSkew <= 0 {
		opts.MaxSkew = DefaultMaxSkew
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Receiver{opts: opts}
}

// Stats returns the receiver's counters.
func (rc *Receiver) Stats() Stats {
	return Stats{Batches: rc.batches.Load(), Stored: rc.stored.Load(),
		Duplicates: rc.duplicates.Load(), Rejected: rc.rejected.Load()}
}

// ErrBatch is wrapped by Ingest's errors about the batch itself, which
// retrying cannot mend.
var ErrBatch = errors.New("batch does not fit its id")

// Ingest takes one batch of the agent at location (the API has checked the
// agent's token and that every result is of that location). It returns
// once every result is stored durably, was stored before, or is refused
// for good (the receipt lists those, with why). An error means nothing of
// the batch can be relied on: the agent sends it again.
func (rc *Receiver) Ingest(ctx context.Context, location string, id wire.BatchID, results []probe.Result) (wire.Receipt, error) {
	if len(results) != id.Count {
		return wire.Receipt{}, fmt.Errorf("%w: %s names %d results, the body holds %d", ErrBatch, id, id.Count, len(results))
	}
	mu, _ := rc.locks.LoadOrStore(location, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()

	receipt := wire.Receipt{Batch: id.String()}
	now := rc.opts.Now()
	if other, ok := rc.twins.see(location, id.Spool, now); ok {
		rc.opts.Logger.Warn("two agents send for one location: give each machine a location of its own (and an agent with its token)",
			"location", location, "spool", id.Spool, "other_spool", other)
	}
	done := rc.opts.Ledger.Last(location, id.Spool)
	skip := 0
	if done >= id.First {
		skip = int(min(done-id.First+1, uint64(len(results))))
	} else if done > 0 && id.First > done+1 {
		rc.opts.Logger.Info("agent records missing: lost on the agent (damaged or dropped from its spool)",
			"location", location, "spool", id.Spool, "missing", id.First-done-1)
	}
	receipt.Duplicates = skip

	var keep []probe.Result
	var at []int // the batch index of each kept result
	for i := skip; i < len(results); i++ {
		if why := rc.refuse(&results[i], location, now); why != "" {
			receipt.Rejected = append(receipt.Rejected, wire.Rejection{Index: i, Check: results[i].Check, Reason: why})
			continue
		}
		keep, at = append(keep, results[i]), append(at, i)
	}
	stored, err := rc.store(ctx, keep, at, &receipt)
	if err != nil {
		return wire.Receipt{}, err
	}
	if id.Last() > done {
		if err := rc.opts.Ledger.Record(location, id.Spool, id.Last()); err != nil {
			return wire.Receipt{}, err
		}
	}
	for _, r := range stored {
		if rc.opts.Stored != nil {
			rc.opts.Stored(r)
		}
		if rc.opts.Live != nil && Fresh(r, now) {
			rc.opts.Live(r)
		}
	}
	slices.SortFunc(receipt.Rejected, func(a, b wire.Rejection) int { return cmp.Compare(a.Index, b.Index) })
	rc.batches.Add(1)
	rc.stored.Add(uint64(receipt.Stored))
	rc.duplicates.Add(uint64(receipt.Duplicates))
	rc.rejected.Add(uint64(len(receipt.Rejected)))
	return receipt, nil
}

// store writes the kept results and returns those stored, in order; the
// store's refusals go into the receipt.
func (rc *Receiver) store(ctx context.Context, keep []probe.Result, at []int, receipt *wire.Receipt) ([]probe.Result, error) {
	if len(keep) == 0 {
		return nil, nil
	}
	refused, err := rc.opts.Store.Append(ctx, keep)
	if err != nil {
		return nil, fmt.Errorf("store results: %w", err)
	}
	stored := keep[:0:0]
	for k, r := range keep {
		if why, ok := refused[k]; ok {
			receipt.Rejected = append(receipt.Rejected, wire.Rejection{Index: at[k], Check: r.Check, Reason: why})
			continue
		}
		stored = append(stored, r)
	}
	receipt.Stored = len(stored)
	return stored, nil
}

// refuse says why a result cannot be stored, or "".
func (rc *Receiver) refuse(r *probe.Result, location string, now time.Time) string {
	switch {
	case r.Location != location:
		return fmt.Sprintf("result of location %q in a batch of %q", r.Location, location)
	case !validName(r.Check):
		return fmt.Sprintf("check name %q is not a vigil check name (a-z, 0-9, _ and -, at most %d characters)", r.Check, maxNameLen)
	case r.Interval <= 0:
		return "the result has no interval: it cannot count towards the SLA"
	case r.OK && r.Reason != probe.ReasonNone:
		return fmt.Sprintf("the result is ok but has the failure reason %q", r.Reason)
	case !validReason(r.Reason):
		return fmt.Sprintf("failure reason %q is not one of vigil's (a-z and _)", r.Reason)
	case r.Start.After(now.Add(rc.opts.MaxSkew)):
		return fmt.Sprintf("the result starts %s ahead of the server's clock: synchronise the agent's clock (NTP)", r.Start.Sub(now).Round(time.Second))
	case rc.opts.Retention > 0 && r.Start.Before(now.Add(-rc.opts.Retention)):
		return fmt.Sprintf("the result started %s ago, beyond the retention of %s", now.Sub(r.Start).Round(time.Hour), rc.opts.Retention)
	}
	return ""
}

// Fresh reports whether r still describes the present at now: it started
// less than two of its intervals (at least a minute) ago. A location's
// result counts in the incident quorum for two intervals (alert), so an
// older one could only vote on a verdict already past.
func Fresh(r probe.Result, now time.Time) bool {
	return now.Sub(r.Start) < max(2*r.Interval, time.Minute)
}

// maxNameLen caps a check name from an agent.
const maxNameLen = 128

// validName reports whether s matches [a-z0-9][a-z0-9_-]*, as the config
// requires of check names.
func validName(s string) bool {
	if s == "" || len(s) > maxNameLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || i > 0 && (b == '_' || b == '-')) {
			return false
		}
	}
	return true
}

// validReason reports whether s is empty or a short [a-z_]+ word, as
// every probe.Reason is: it becomes a label value.
func validReason(r probe.Reason) bool {
	if len(r) > 32 {
		return false
	}
	for i := 0; i < len(r); i++ {
		if b := r[i]; !(b >= 'a' && b <= 'z' || b == '_') {
			return false
		}
	}
	return true
}

// twinWindow is how close together batches of one location from two
// spools must come to suggest two agents running with one token.
const twinWindow = 10 * time.Minute

// twinWatch notices two agents sending for one location (two machines
// started with the same -location and token), whose results would mix in
// one series. An agent whose spool was wiped also gets a new spool id, but
// its old one falls silent.
type twinWatch struct {
	mu   sync.Mutex
	last map[string]spoolSeen // by location
}

type spoolSeen struct {
	spool  string
	at     time.Time
	warned time.Time // last warning, at most one per twinWindow
}

// see records a batch of spool at location and returns the other spool
// that sent for it within twinWindow, once per twinWindow.
func (w *twinWatch) see(location, spool string, now time.Time) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.last == nil {
		w.last = map[string]spoolSeen{}
	}
	prev, seen := w.last[location]
	w.last[location] = spoolSeen{spool: spool, at: now, warned: prev.warned}
	if !seen || prev.spool == spool || now.Sub(prev.at) > twinWindow || now.Sub(prev.warned) < twinWindow {
		return "", false
	}
	s := w.last[location]
	s.warned = now
	w.last[location] = s
	return prev.spool, true
}
