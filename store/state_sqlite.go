package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteDialect is SQLite's side of the dialect: one file, one writer.
type sqliteDialect struct{}

func (sqliteDialect) name() string               { return "sqlite" }
func (sqliteDialect) rebind(query string) string { return query }

// txOptions is nil: transactions of the writer pool begin IMMEDIATE
// (see openSQLite), taking the database's one write lock up front.
func (sqliteDialect) txOptions() *sql.TxOptions  { return nil }
func (sqliteDialect) snapshotTx() *sql.TxOptions { return &sql.TxOptions{ReadOnly: true} }

// lockWriter does nothing: BEGIN IMMEDIATE took the lock.
func (sqliteDialect) lockWriter(context.Context, *sql.Tx) error { return nil }

// skipLocked is empty: a claim holds the write lock, so none runs
// alongside.
func (sqliteDialect) skipLocked() string { return "" }

func (sqliteDialect) tables() string {
	return `SELECT
		COUNT(CASE WHEN name = 'schema_migrations' THEN 1 END),
		COUNT(CASE WHEN name <> 'schema_migrations' THEN 1 END)
		FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`
}

// lockSchema does nothing: the migration's IMMEDIATE transaction holds
// the database's write lock already.
func (sqliteDialect) lockSchema(context.Context, *sql.Tx) error { return nil }

func (sqliteDialect) explain(path string, err error) error { return explainStateError(path, err) }
func (sqliteDialect) elsewhere() string                    { return "move it away or choose another -data-dir" }

// openSQLite prepares the file, opens both pools, checks the file and
// migrates it. Its errors say what is wrong and what to do.
func (s *State) openSQLite(ctx context.Context) error {
	if err := prepareStateFile(filepath.Dir(s.where), s.where); err != nil {
		return err
	}
	w, err := openSQLiteWriter(ctx, s.where)
	if err != nil {
		return explainStateError(s.where, err)
	}
	s.w = w
	r, err := openSQLite(s.where, false)
	if err != nil {
		return explainStateError(s.where, err)
	}
	s.r = pool{db: r, d: s.d}
	if err := checkIntegrity(ctx, s.w, s.where); err != nil {
		return err
	}
	return s.migrate(ctx)
}

// stateBusyTimeoutMS is how long a connection waits for a lock held by
// another connection or process before it fails with SQLITE_BUSY.
const stateBusyTimeoutMS = 5000

// stateReaders is the number of read-only connections.
const stateReaders = 4

// openSQLiteWriter opens the writer pool, waiting up to the busy timeout
// while another process holds the lock that switching a new database to
// WAL needs: SQLite reports that conflict as SQLITE_BUSY at once instead
// of calling the busy handler (two vigils starting on a new data dir).
func openSQLiteWriter(ctx context.Context, path string) (*sql.DB, error) {
	deadline := time.Now().Add(stateBusyTimeoutMS * time.Millisecond)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		db, err := openSQLite(path, true)
		if err == nil || sqliteCode(err) != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return db, err
		}
		select {
		case <-ctx.Done():
			return nil, errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// openSQLite opens a pool on the database file path: the writer pool has
// one connection whose transactions begin IMMEDIATE; a reader pool has
// stateReaders connections in query_only mode. Every connection runs with
// busy_timeout, foreign_keys=on and synchronous=FULL (in WAL mode a commit
// returns after the WAL has been fsynced).
func openSQLite(path string, writer bool) (*sql.DB, error) {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(stateBusyTimeoutMS))
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "FULL")
	if writer {
		q.Set("_journal_mode", "WAL")
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_query_only", "1")
	}
	// A file: URI, so that a ? or # in the path is escaped instead of
	// being taken for the start of the parameters.
	dsn := (&url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if writer {
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
	} else {
		db.SetMaxOpenConns(stateReaders)
		db.SetMaxIdleConns(stateReaders)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	if writer {
		// journal_mode=WAL is persistent but may silently stay something
		// else (for example on a file system without shared memory):
		// check, since durability and concurrent reads depend on it.
		var mode string
		if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
			db.Close()
			return nil, err
		}
		if !strings.EqualFold(mode, "wal") {
			db.Close()
			return nil, fmt.Errorf("journal mode is %q, not WAL: put the data dir on a local file system", mode)
		}
	}
	return db, nil
}

// prepareStateFile makes sure dir exists and is writable (SQLite creates
// its -wal and -shm files next to the database) and that path is a file
// vigil can read and write, creating it empty, readable by its owner only,
// when it does not exist yet.
func prepareStateFile(dir, path string) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("data dir %s is a file, not a directory: move it away or choose another -data-dir", dir)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return explainStateDirError(dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return explainStateDirError(dir, err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return explainStateDirError(dir, err)
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil && !errors.Is(err, fs.ErrExist) { // lost a race with another vigil: fine
			return explainStateDirError(dir, err)
		}
		if f != nil {
			f.Close()
		}
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", path, err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a vigil state database (it is not a regular file): move it away or choose another -data-dir", path)
	}
	f, err = os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return fmt.Errorf("%s is not writable (%w): give the user running vigil read and write access to it or choose another -data-dir", path, err)
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// explainStateDirError turns a failure to create or write in the data dir
// into an error that says what to do.
func explainStateDirError(dir string, err error) error {
	switch {
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return fmt.Errorf("data dir %s is not writable (%w): give the user running vigil write access to it or choose another -data-dir", dir, err)
	case errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("data dir %s lies below a file, not a directory (%w): choose another -data-dir", dir, err)
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("data dir %s: disk full (%w): free space or choose another -data-dir", dir, err)
	}
	return fmt.Errorf("data dir %s: %w", dir, err)
}

// checkIntegrity runs SQLite's quick_check, which reads the whole file
// (small for a state database) and reports damage that would otherwise
// only show when the damaged page is reached.
func checkIntegrity(ctx context.Context, db *sql.DB, path string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		return explainStateError(path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return explainStateError(path, err)
		}
		if p != "ok" {
			problems = append(problems, p)
		}
	}
	if err := rows.Err(); err != nil {
		return explainStateError(path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s is damaged (quick_check: %s): stop vigil, move it aside (keep it for inspection) and restore it from a backup",
			path, strings.Join(problems, "; "))
	}
	return nil
}

// sqliteCode returns the primary SQLite result code of err, 0 if err does
// not come from SQLite.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// explainStateError turns an error from SQLite while opening the database
// into one that says what is wrong with the file and what to do.
func explainStateError(path string, err error) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("%s is not a vigil state database (%w): move it away or choose another -data-dir", path, err)
	case sqlite3.SQLITE_CORRUPT:
		return fmt.Errorf("%s is damaged (%w): stop vigil, move it aside (keep it for inspection) and restore it from a backup", path, err)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return fmt.Errorf("%s is locked by another process (%w): stop the process holding it or choose another -data-dir", path, err)
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN:
		return fmt.Errorf("%s cannot be opened for writing (%w): give the user running vigil read and write access to it and its directory", path, err)
	case sqlite3.SQLITE_FULL:
		return fmt.Errorf("%s: disk full (%w): free space or choose another -data-dir", path, err)
	case sqlite3.SQLITE_IOERR:
		return fmt.Errorf("%s: disk I/O error (%w): check the disk and the file system", path, err)
	}
	return fmt.Errorf("%s: %w", path, err)
}
