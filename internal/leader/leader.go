// Package leader owns leader election between several `vigil serve`
// instances that share one PostgreSQL: exactly one of them evaluates
// incidents and drains the outbox, the others serve the status page and
// the API and stand by.
//
// The leader holds a PostgreSQL session-level advisory lock on a
// connection of its own. PostgreSQL releases the lock the moment that
// session ends, so when the leader's process dies (even by kill -9) its
// socket closes and a standby takes over at its next attempt. Every
// acquisition increments a term in the table vigil_leader_terms: the term
// is the fencing token that tells a deposed leader's late writes from the
// new leader's. A leader checks its connection every CheckEvery and steps
// down (cancels the work) as soon as it cannot prove it still holds the
// session — a leader cut off from the database stops before a standby can
// have started, because the standby needs that same database to start.
package leader

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options tune the election. Zero values take the defaults.
type Options struct {
	// Name identifies the job being led; instances with the same name
	// compete. Default "vigil".
	Name string
	// RetryEvery is how often a standby tries to take the lead (default 1s).
	RetryEvery time.Duration
	// CheckEvery is how often the leader proves its session is alive
	// (default 2s); CheckTimeout bounds each proof (default 2s).
	CheckEvery   time.Duration
	CheckTimeout time.Duration
	Logger       *slog.Logger
}

func (o *Options) defaults() {
	if o.Name == "" {
		o.Name = "vigil"
	}
	if o.RetryEvery <= 0 {
		o.RetryEvery = time.Second
	}
	if o.CheckEvery <= 0 {
		o.CheckEvery = 2 * time.Second
	}
	if o.CheckTimeout <= 0 {
		o.CheckTimeout = 2 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Elector competes for the lead on one PostgreSQL database.
type Elector struct {
	dsn  string
	opts Options
	key  int64        // advisory lock key, from the name
	term atomic.Int64 // the current term while leading, 0 otherwise
}

// New returns an elector for the database at dsn.
func New(dsn string, opts Options) *Elector {
	opts.defaults()
	h := fnv.New64a()
	h.Write([]byte("vigil-leader:" + opts.Name))
	// A non-negative key keeps the pg_locks lookup in hold simple.
	return &Elector{dsn: dsn, opts: opts, key: int64(h.Sum64() & (1<<63 - 1))}
}

// Term returns the fencing token of the current lead, or 0 when this
// instance is not leading.
func (e *Elector) Term() int64 { return e.term.Load() }

// Leading reports whether this instance leads now.
func (e *Elector) Leading() bool { return e.term.Load() != 0 }

// Run competes until ctx ends. Each time this instance wins, lead runs
// with a context that is cancelled when the lead is lost; Run waits for
// lead to return before it competes again, so two leads of one instance
// never overlap.
func (e *Elector) Run(ctx context.Context, lead func(ctx context.Context, term int64)) error {
	for {
		won, err := e.round(ctx, lead)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			e.opts.Logger.Warn("leader election", "err", err)
		}
		if won {
			continue // lost the lead: compete again at once
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(e.opts.RetryEvery):
		}
	}
}

// round connects, tries the lock once and, when it is won, leads until the
// session fails or ctx ends. won reports whether this round led.
func (e *Elector) round(ctx context.Context, lead func(ctx context.Context, term int64)) (won bool, err error) {
	conn, err := pgx.Connect(ctx, e.dsn)
	if err != nil {
		return false, fmt.Errorf("connect: %w", err) // pgx errors name host, user and database, never the password
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), e.opts.CheckTimeout)
		defer cancel()
		_ = conn.Close(cctx) // ends the session: the lock goes with it
	}()
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", e.key).Scan(&won); err != nil || !won {
		return false, err
	}
	term, err := e.nextTerm(ctx, conn)
	if err != nil {
		return true, err
	}
	e.opts.Logger.Info("leading", "name", e.opts.Name, "term", term)
	e.term.Store(term)
	defer e.term.Store(0)

	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); lead(lctx, term) }()
	err = e.hold(lctx, conn, done)
	cancel()
	<-done
	e.opts.Logger.Info("lead given up", "name", e.opts.Name, "term", term, "reason", reasonOf(ctx, err))
	return true, err
}

// nextTerm records a new term; holding the lock makes it the only writer.
func (e *Elector) nextTerm(ctx context.Context, conn *pgx.Conn) (int64, error) {
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS vigil_leader_terms (
		name text PRIMARY KEY, term bigint NOT NULL, since timestamptz NOT NULL)`); err != nil {
		return 0, fmt.Errorf("create terms table: %w", err)
	}
	var term int64
	err := conn.QueryRow(ctx, `INSERT INTO vigil_leader_terms (name, term, since) VALUES ($1, 1, now())
		ON CONFLICT (name) DO UPDATE SET term = vigil_leader_terms.term + 1, since = now()
		RETURNING term`, e.opts.Name).Scan(&term)
	if err != nil {
		return 0, fmt.Errorf("next term: %w", err)
	}
	return term, nil
}

// hold proves the session every CheckEvery until the proof fails, the
// work returns, or ctx ends.
func (e *Elector) hold(ctx context.Context, conn *pgx.Conn, done <-chan struct{}) error {
	t := time.NewTicker(e.opts.CheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-done:
			return errors.New("the leader's work returned")
		case <-t.C:
		}
		cctx, cancel := context.WithTimeout(ctx, e.opts.CheckTimeout)
		var held bool
		err := conn.QueryRow(cctx, `SELECT EXISTS (SELECT 1 FROM pg_locks
			WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
			AND ((classid::bigint << 32) | objid::bigint) = $1)`, e.key).Scan(&held)
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			return fmt.Errorf("session check: %w", err)
		case !held:
			return errors.New("the advisory lock is no longer held")
		}
	}
}

func reasonOf(ctx context.Context, err error) string {
	if ctx.Err() != nil {
		return "shutting down"
	}
	if err != nil {
		return err.Error()
	}
	return "lost"
}
