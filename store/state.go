package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
)

// StateFile is the name of the state database inside the data dir.
const StateFile = "state.db"

// Errors of the state database. They are wrapped with the object concerned
// and what to do, so test them with errors.Is.
var (
	// ErrNotFound means the object asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the caller's input breaks a rule; the message lists
	// every problem and how to fix it.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict means the request does not fit the object's current
	// state, for example completing a window that was already completed.
	ErrConflict = errors.New("conflict with current state")
)

// State is the daemon's durable state: maintenance windows, incidents, the
// notification outbox, recipients, subscriptions, pending verifications
// and rate limits. It is safe for concurrent use, and on PostgreSQL also
// by several vigil instances sharing one database. The package comment
// describes the two databases it runs on.
type State struct {
	where  string  // the file (SQLite) or the DSN without password (PostgreSQL)
	d      dialect // what differs between the two
	w      *sql.DB // writes: SQLite's one writer connection, PostgreSQL's pool
	r      pool    // reads: SQLite's read-only connections, PostgreSQL's pool (w)
	logger *slog.Logger
}

// Open opens the state store dsn names and brings its schema up to date:
// a postgres:// or postgresql:// URL selects PostgreSQL, anything else is
// a data directory holding the SQLite file state.db (see OpenState). The
// password of a DSN never appears in an error or a log line.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*State, error) {
	if IsPostgresDSN(dsn) {
		return openPostgresState(ctx, dsn, logger)
	}
	return openSQLiteState(ctx, dsn, logger)
}

// OpenState opens the SQLite state database dir/state.db, creating dir and
// the database if needed, and brings its schema up to date. It refuses a
// database written by a newer vigil, a file that is not a vigil state
// database and a damaged one, with errors that say what to do.
func OpenState(dir string, logger *slog.Logger) (*State, error) {
	return openSQLiteState(context.Background(), dir, logger)
}

// newState returns a State on where, not yet opened.
func newState(where string, d dialect, logger *slog.Logger) *State {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &State{where: where, d: d, logger: logger.With("component", "state")}
}

// openSQLiteState opens dir/state.db.
func openSQLiteState(ctx context.Context, dir string, logger *slog.Logger) (*State, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open state db: data dir %s: %w", dir, err)
	}
	s := newState(filepath.Join(abs, StateFile), sqliteDialect{}, logger)
	if err := s.openSQLite(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open state db: %w", err)
	}
	return s, nil
}

// migrate brings the schema up to date and logs what it applied.
func (s *State) migrate(ctx context.Context) error {
	applied, err := migrate(ctx, s.w, s.d, s.where)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		s.logger.Info("state db schema updated", "db", s.where, "backend", s.d.name(), "applied", applied)
	}
	return nil
}

// Path returns the database file's path; on PostgreSQL, the DSN without
// its password.
func (s *State) Path() string { return s.where }

// Backend returns "sqlite" or "postgres".
func (s *State) Backend() string { return s.d.name() }

// Close closes the database. Everything committed is already durable;
// Close only releases the connections (and on SQLite checkpoints the WAL).
func (s *State) Close() error {
	var errs []error
	if s.r.db != nil && s.r.db != s.w {
		errs = append(errs, s.r.db.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close state db %s: %w", s.where, err)
	}
	return nil
}

// inTx runs fn in a write transaction and commits it when fn returns
// nil. Write transactions run one at a time, on SQLite under the file's
// write lock (BEGIN IMMEDIATE: writers queue for it up front), on
// PostgreSQL under an advisory lock shared by every instance, so a
// read-modify-write sees nothing change under it on either.
func (s *State) inTx(ctx context.Context, fn func(tx *txn) error) error {
	return s.runTx(ctx, true, fn)
}

// inClaimTx runs fn, an outbox claim, in a transaction that on
// PostgreSQL does not wait for the writer lock: the claim's rows are
// locked one by one instead (see ClaimOutbox).
func (s *State) inClaimTx(ctx context.Context, fn func(tx *txn) error) error {
	return s.runTx(ctx, false, fn)
}

// runTx runs fn in a transaction, holding the writer lock if writer is
// set, and commits it when fn returns nil.
func (s *State) runTx(ctx context.Context, writer bool, fn func(tx *txn) error) error {
	tx, err := s.w.BeginTx(ctx, s.d.txOptions())
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if writer {
		if err := s.d.lockWriter(ctx, tx); err != nil {
			return errors.Join(fmt.Errorf("wait for the writer lock: %w", err), tx.Rollback())
		}
	}
	if err := fn(&txn{tx: tx, d: s.d}); err != nil {
		if rbErr := tx.Rollback(); rbErr != nil {
			return errors.Join(err, fmt.Errorf("roll back: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
