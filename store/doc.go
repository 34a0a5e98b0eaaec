// Package store owns vigil's state: maintenance windows and their
// announcement history, incidents, the durable notification outbox,
// recipients and subscriptions, the pending verifications of self-service
// subscriptions and the rate limits that guard them, behind numbered
// embedded migrations (migrations/). Probe results live next door, in
// store/resultsdb. It must not import alert, api or cmd.
//
// # Two databases, one State
//
// [Open] takes a DSN: a postgres:// URL selects PostgreSQL, for several
// vigil instances sharing one state; anything else is a data directory
// holding the SQLite file state.db, for one instance ([OpenState] opens
// that directly). Both are the same [State] over database/sql, running
// the same queries; a small dialect (state_dialect.go) holds the
// differences:
//
//   - Queries are written once, with ? placeholders, in the SQL both
//     understand: BIGINT Unix milliseconds for times, SMALLINT flags,
//     INSERT … ON CONFLICT for upserts, RETURNING. On PostgreSQL each
//     statement text is rewritten to $1, $2 … once and remembered
//     (state_rebind.go).
//   - Migrations are shared. A step that cannot be written in the common
//     SQL has a variant of the same name under migrations/<dialect>/
//     creating the same tables and columns: only 0003_outbox.sql, whose
//     id numbers itself (IDENTITY on PostgreSQL) and whose payload is
//     BYTEA. A test checks that both schemas match.
//   - Writes. Both run one write transaction at a time, so that a
//     read-modify-write (the next revision number, an incident's version,
//     a code's attempts) sees nothing change under it: SQLite with its
//     file's write lock, taken up front (BEGIN IMMEDIATE) so writers
//     queue; PostgreSQL with an advisory lock every vigil on the database
//     takes, in READ COMMITTED transactions. That costs the parallelism
//     of writers, which vigil's state does not need, and buys the same
//     behaviour on both with no transaction ever aborted for a conflict
//     and retried. On SQLite, synchronous=FULL in WAL mode makes a
//     returned call survive kill -9 or a power loss, and reads use a
//     pool of read-only connections alongside the writer.
//   - The outbox claim, the one write that scales out. Several workers,
//     in several instances, claim due messages at once; on PostgreSQL a
//     claim does not take the writer lock but selects its rows FOR UPDATE
//     SKIP LOCKED, so claims pass over each other's rows (and those a
//     writer holds) and never hand one message to two workers.
//   - Opening. SQLite checks the file (permissions, integrity, that it is
//     vigil's) and explains what to do about a bad one; PostgreSQL
//     connects through store/internal/pgdriver (database/sql over pgx)
//     and explains refused connections, unknown databases and failed
//     logins. Migrations take SQLite's write lock or a PostgreSQL
//     advisory lock, so that instances starting together migrate once.
//
// A DSN's password never reaches an error, a log line or [State.Path]:
// DSNs are shown through [RedactDSN], and opening errors are scrubbed of
// the password as a last line of defence.
package store
