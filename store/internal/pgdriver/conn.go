package pgdriver

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// closeTimeout bounds the goodbye to the server when a connection closes
// and a rollback after the caller's context ended.
const closeTimeout = 5 * time.Second

// conn is one connection. database/sql uses it from one goroutine at a
// time.
type conn struct{ pc *pgx.Conn }

var (
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
)

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext returns a statement that runs query on this connection.
// Nothing is sent yet: pgx prepares and caches each statement text on
// its connection the first time it runs.
func (c *conn) PrepareContext(_ context.Context, query string) (driver.Stmt, error) {
	if c.pc.IsClosed() {
		return nil, driver.ErrBadConn
	}
	return &stmt{c: c, query: query}, nil
}

func (c *conn) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	return c.pc.Close(ctx)
}

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.pc.IsClosed() {
		return nil, driver.ErrBadConn
	}
	var o pgx.TxOptions
	switch sql.IsolationLevel(opts.Isolation) {
	case sql.LevelDefault:
	case sql.LevelReadCommitted:
		o.IsoLevel = pgx.ReadCommitted
	case sql.LevelRepeatableRead, sql.LevelSnapshot:
		o.IsoLevel = pgx.RepeatableRead
	case sql.LevelSerializable:
		o.IsoLevel = pgx.Serializable
	default:
		return nil, fmt.Errorf("isolation level %s is not supported", sql.IsolationLevel(opts.Isolation))
	}
	if opts.ReadOnly {
		o.AccessMode = pgx.ReadOnly
	}
	t, err := c.pc.BeginTx(ctx, o)
	if err != nil {
		return nil, badConn(err)
	}
	return tx{ctx: ctx, t: t}, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.pc.IsClosed() {
		return nil, driver.ErrBadConn
	}
	tag, err := c.pc.Exec(ctx, query, values(args)...)
	if err != nil {
		return nil, badConn(err)
	}
	return driver.RowsAffected(tag.RowsAffected()), nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.pc.IsClosed() {
		return nil, driver.ErrBadConn
	}
	r, err := c.pc.Query(ctx, query, values(args)...)
	if err != nil {
		return nil, badConn(err)
	}
	return &rows{r: r}, nil
}

func (c *conn) Ping(ctx context.Context) error {
	if c.pc.IsClosed() {
		return driver.ErrBadConn
	}
	return badConn(c.pc.Ping(ctx))
}

// ResetSession refuses a connection that broke while it was in use (a
// cancelled query closes it), so that database/sql drops it.
func (c *conn) ResetSession(context.Context) error {
	if c.pc.IsClosed() {
		return driver.ErrBadConn
	}
	return nil
}

func (c *conn) IsValid() bool { return !c.pc.IsClosed() }

// badConn tells database/sql to retry on another connection when err
// happened before the statement reached the server.
func badConn(err error) error {
	if err != nil && pgconn.SafeToRetry(err) {
		return driver.ErrBadConn
	}
	return err
}

// values turns database/sql's arguments, already converted to driver
// values, into pgx's.
func values(args []driver.NamedValue) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}

// tx is a transaction. database/sql commits or rolls it back once; when
// the caller's context ends first, it rolls it back itself.
type tx struct {
	ctx context.Context // BeginTx's: it bounds the commit too
	t   pgx.Tx
}

func (t tx) Commit() error { return t.t.Commit(t.ctx) }

// Rollback runs even when the context has ended (that is when
// database/sql rolls back), within closeTimeout.
func (t tx) Rollback() error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(t.ctx), closeTimeout)
	defer cancel()
	return t.t.Rollback(ctx)
}

// stmt is a statement prepared on a connection (see PrepareContext).
type stmt struct {
	c     *conn
	query string
}

var (
	_ driver.StmtExecContext  = (*stmt)(nil)
	_ driver.StmtQueryContext = (*stmt)(nil)
)

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return -1 } // the server checks the count

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.c.ExecContext(ctx, s.query, args)
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.c.QueryContext(ctx, s.query, args)
}

// named numbers positional arguments.
func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}
