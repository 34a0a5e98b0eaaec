package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/vigilmon/vigil/store/internal/pgdriver"
)

// postgresConns is the most connections one vigil opens to PostgreSQL:
// enough for the outbox worker, the alert loop and the HTTP handlers,
// few enough that several instances fit the server's max_connections.
const postgresConns = 8

// postgresConnectTimeout bounds opening when the caller's context has no
// deadline: an unreachable server should fail the start, not hang it.
const postgresConnectTimeout = 15 * time.Second

// The advisory locks vigil takes on a PostgreSQL database ("vigil" in
// ASCII, then a number): one while it migrates, one for each write
// transaction.
const (
	schemaLockKey = 0x766967696c00
	writerLockKey = 0x766967696c01
)

// PostgreSQL error codes the store explains.
const (
	pgInvalidPassword    = "28P01"
	pgAuthFailed         = "28000"
	pgNoSuchDatabase     = "3D000"
	pgPermissionDenied   = "42501"
	pgTooManyConnections = "53300"
)

// openPostgresState opens the PostgreSQL database dsn names.
func openPostgresState(ctx context.Context, dsn string, logger *slog.Logger) (*State, error) {
	s := newState(RedactDSN(dsn), postgresDialect{}, logger)
	if err := s.openPostgres(ctx, dsn); err != nil {
		s.Close()
		return nil, scrub(fmt.Errorf("open state db: %w", err), dsnSecrets(dsn))
	}
	return s, nil
}

// openPostgres connects, checks the connection and migrates.
func (s *State) openPostgres(ctx context.Context, dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("%s: %w: write server.state as postgres://user@host:5432/dbname", s.where, err)
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "vigil"
	}
	db := pgdriver.OpenDB(cfg)
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.w, s.r = db, pool{db: db, d: s.d}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, postgresConnectTimeout)
		defer cancel()
	}
	if err := db.PingContext(ctx); err != nil {
		return s.d.explain(s.where, err)
	}
	return s.migrate(ctx)
}

// postgresDialect is PostgreSQL's side of the dialect: one database
// shared by every vigil instance.
type postgresDialect struct{}

// rebinder numbers the placeholders of PostgreSQL statements.
var rebinder dollarRebinder

func (postgresDialect) name() string               { return "postgres" }
func (postgresDialect) rebind(query string) string { return rebinder.rebind(query) }

// txOptions asks for READ COMMITTED whatever the server's default: each
// statement sees what committed before it, which is what the writer
// lock, the schema lock and SKIP LOCKED rely on.
func (postgresDialect) txOptions() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelReadCommitted}
}

// lockWriter takes the writer lock, a transaction-level advisory lock
// shared by every vigil on the database and released at commit.
func (postgresDialect) lockWriter(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(writerLockKey))
	return err
}

func (postgresDialect) snapshotTx() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

func (postgresDialect) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

func (postgresDialect) tables() string {
	return `SELECT
		COUNT(CASE WHEN table_name = 'schema_migrations' THEN 1 END),
		COUNT(CASE WHEN table_name <> 'schema_migrations' THEN 1 END)
		FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
}

// lockSchema takes a transaction-level advisory lock: a second vigil
// migrating at the same time waits for the first to commit, and then
// (READ COMMITTED) sees what it applied.
func (postgresDialect) lockSchema(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(schemaLockKey))
	return err
}

func (postgresDialect) elsewhere() string {
	return "give vigil a database of its own in server.state"
}

// explain turns an error from PostgreSQL into one that says what to do.
func (postgresDialect) explain(where string, err error) error {
	switch pgCode(err) {
	case pgInvalidPassword, pgAuthFailed:
		return fmt.Errorf("%s: authentication failed (%w): check the user and password of server.state (or PGPASSWORD) and the server's pg_hba.conf", where, err)
	case pgNoSuchDatabase:
		return fmt.Errorf("%s: the database does not exist (%w): create it (createdb -O <user> <name>) or correct the name in server.state", where, err)
	case pgPermissionDenied:
		return fmt.Errorf("%s: permission denied (%w): the user of server.state must own the database, or at least be allowed to create tables in its schema", where, err)
	case pgTooManyConnections:
		return fmt.Errorf("%s: the server has no free connections (%w): raise max_connections or stop other clients", where, err)
	}
	var ce *pgconn.ConnectError
	switch {
	case errors.As(err, &ce):
		return fmt.Errorf("%s: cannot connect (%w): check the host and port of server.state and that PostgreSQL runs and accepts connections from here", where, err)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: no answer (%w): check the host and port of server.state and the network in between", where, err)
	}
	return fmt.Errorf("%s: %w", where, err)
}

// pgCode returns the SQLSTATE of err, "" when err is not from PostgreSQL.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
