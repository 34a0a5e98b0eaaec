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

// State is the daemon's durable state: the maintenance schedule now, later
// incidents, the notification outbox and subscriptions. It is safe for
// concurrent use.
//
// The implementation is SQLite (one file, <data dir>/state.db, in WAL mode
// with synchronous=FULL: a call that returned without error survives a
// kill -9 or a power loss). Writes go through one connection and run in
// IMMEDIATE transactions, so writers queue instead of failing with
// SQLITE_BUSY; reads use a separate pool of read-only connections, which
// WAL lets run alongside the writer.
//
// The SQL is kept to standard SQL (BIGINT/TEXT columns, times as Unix
// milliseconds, no SQLite functions) with ? placeholders, and everything
// SQLite-specific (opening, PRAGMAs, error codes) lives in state_sqlite.go,
// apart from the look at sqlite_master in state_migrate.go, so that a
// PostgreSQL implementation can reuse the queries and migrations after
// rewriting ? to $n.
type State struct {
	path   string
	w      *sql.DB // the one writer connection
	r      *sql.DB // read-only connections
	logger *slog.Logger
}

// OpenState opens the state database dir/state.db, creating dir and the
// database if needed, and brings its schema up to date. It refuses a
// database written by a newer vigil, a file that is not a vigil state
// database and a damaged one, with errors that say what to do.
func OpenState(dir string, logger *slog.Logger) (*State, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open state db: data dir %s: %w", dir, err)
	}
	path := filepath.Join(abs, StateFile)
	s := &State{path: path, logger: logger.With("component", "state")}
	if err := s.open(context.Background()); err != nil {
		s.Close()
		return nil, fmt.Errorf("open state db: %w", err)
	}
	return s, nil
}

// open prepares the file, opens both pools, checks the file and migrates
// it. Its errors say what is wrong and what to do.
func (s *State) open(ctx context.Context) error {
	dir := filepath.Dir(s.path)
	if err := prepareStateFile(dir, s.path); err != nil {
		return err
	}
	var err error
	if s.w, err = openSQLite(s.path, true); err != nil {
		return explainStateError(s.path, err)
	}
	if s.r, err = openSQLite(s.path, false); err != nil {
		return explainStateError(s.path, err)
	}
	if err := checkIntegrity(ctx, s.w, s.path); err != nil {
		return err
	}
	applied, err := migrate(ctx, s.w, s.path)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		s.logger.Info("state db schema updated", "path", s.path, "applied", applied)
	}
	return nil
}

// Path returns the database file's path.
func (s *State) Path() string { return s.path }

// Close closes the database. Everything committed is already on disk; Close
// only releases the connections (and checkpoints the WAL).
func (s *State) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close state db %s: %w", s.path, err)
	}
	return nil
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE on SQLite: writers
// queue for the lock up front) and commits it when fn returns nil.
func (s *State) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
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
