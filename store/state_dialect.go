package store

import (
	"context"
	"database/sql"
)

// dialect is everything that differs between the state's two databases.
// The queries themselves are shared: written once with ? placeholders in
// the subset of SQL both understand (ON CONFLICT upserts, RETURNING,
// BIGINT milliseconds), and rebound for the driver as they are sent.
type dialect interface {
	// name is "sqlite" or "postgres": the folder of the dialect's
	// migration variants (migrations/<name>/) and a word for messages.
	name() string
	// rebind rewrites a statement written with ? placeholders into the
	// driver's own.
	rebind(query string) string
	// txOptions is how every transaction but a snapshot begins.
	txOptions() *sql.TxOptions
	// lockWriter makes tx, a write transaction, wait for the one before
	// it: on both databases one write transaction runs at a time, so a
	// read-modify-write behaves as if it ran alone.
	lockWriter(ctx context.Context, tx *sql.Tx) error
	// snapshotTx begins a read-only transaction whose statements all see
	// one committed state.
	snapshotTx() *sql.TxOptions
	// skipLocked ends the outbox claim's row selection: claims, which run
	// outside the writer lock, pass over each other's rows instead of
	// waiting for them or taking them.
	skipLocked() string
	// tables is a query for two counts over the database's tables: those
	// named schema_migrations, and all others.
	tables() string
	// lockSchema makes tx, a migration step, wait for every other process
	// migrating the same database.
	lockSchema(ctx context.Context, tx *sql.Tx) error
	// explain turns an error from the database into one that says what
	// is wrong and what to do; where names the database.
	explain(where string, err error) error
	// elsewhere says what to do about a database that is not vigil's.
	elsewhere() string
}

// pool is a connection pool that speaks the dialect: its queries are
// written with ? placeholders.
type pool struct {
	db *sql.DB
	d  dialect
}

// QueryContext runs a query.
func (p pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.db.QueryContext(ctx, p.d.rebind(query), args...)
}

// QueryRowContext runs a query that returns at most one row.
func (p pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.db.QueryRowContext(ctx, p.d.rebind(query), args...)
}

// begin starts a transaction with opts.
func (p pool) begin(ctx context.Context, opts *sql.TxOptions) (*txn, error) {
	tx, err := p.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &txn{tx: tx, d: p.d}, nil
}

// txn is a transaction that speaks the dialect: its statements are
// written with ? placeholders.
type txn struct {
	tx *sql.Tx
	d  dialect
}

// ExecContext runs a statement that returns no rows.
func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.d.rebind(query), args...)
}

// QueryContext runs a query.
func (t *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.d.rebind(query), args...)
}

// QueryRowContext runs a query that returns at most one row.
func (t *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.d.rebind(query), args...)
}

// PrepareContext prepares a statement run many times in the transaction
// (the outbox fan-out): rebound once, not once per row.
func (t *txn) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, t.d.rebind(query))
}

// Rollback abandons the transaction; after Commit it does nothing.
func (t *txn) Rollback() error { return t.tx.Rollback() }

// Commit commits the transaction.
func (t *txn) Commit() error { return t.tx.Commit() }
