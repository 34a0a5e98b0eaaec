package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrationFiles holds the schema, one numbered file per step:
// migrations/0001_maintenance.sql, 0002_….sql, written once for both
// databases. Where a step cannot be written in their common SQL, a
// dialect has its own variant under migrations/<dialect>/ with the same
// name (so the same number), creating the same tables and columns. A
// released file is never edited: a change is a new file with the next
// number.
//
//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migration is one step of the schema.
type migration struct {
	version int
	name    string // the file name, for schema_migrations and errors
	sql     string
}

// loadMigrations reads the migrations of dialect in version order: the
// shared ones, each replaced by the dialect's variant where it has one.
// It checks that they are numbered 1, 2, 3 … without gaps or duplicates
// and that every variant has a shared counterpart.
func loadMigrations(fsys fs.FS, dialect string) ([]migration, error) {
	ms, err := readMigrations(fsys, "migrations")
	if err != nil {
		return nil, err
	}
	variants, err := readMigrations(fsys, path.Join("migrations", dialect))
	if err != nil {
		return nil, err
	}
	for _, v := range variants {
		i := slices.IndexFunc(ms, func(m migration) bool { return m.name == v.name })
		if i < 0 {
			return nil, fmt.Errorf("migration %s/%s has no counterpart migrations/%s: a dialect's variant replaces a shared step of the same name", dialect, v.name, v.name)
		}
		ms[i] = v
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: version %d, want %d: migrations are numbered 1, 2, 3 … without gaps", m.name, m.version, i+1)
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("no migrations embedded")
	}
	return ms, nil
}

// readMigrations reads the .sql files directly in dir.
func readMigrations(fsys fs.FS, dir string) ([]migration, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var ms []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be <version>_<what>.sql with a positive version", base)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", base, err)
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	return ms, nil
}

// migrate brings the database where up to the newest embedded schema,
// one transaction per migration, and returns the names of the migrations
// it applied. It refuses a database that is not vigil's and one written by
// a newer vigil. Two processes migrating at once are safe: each
// transaction takes the schema lock first (SQLite's write lock, an
// advisory lock on PostgreSQL) and checks again whether its migration is
// still missing.
func migrate(ctx context.Context, db *sql.DB, d dialect, where string) ([]string, error) {
	ms, err := loadMigrations(migrationFiles, d.name())
	if err != nil {
		return nil, fmt.Errorf("%s: migrations of this build: %w", where, err)
	}
	latest := ms[len(ms)-1].version
	current, err := initSchemaTable(ctx, db, d, where)
	if err != nil {
		return nil, err
	}
	if current > latest {
		return nil, fmt.Errorf("%s was written by a newer vigil (schema %d > %d): upgrade vigil", where, current, latest)
	}
	var applied []string
	for _, m := range ms[current:] {
		done, err := applyMigration(ctx, db, d, m)
		if err != nil {
			return applied, fmt.Errorf("apply migration %s: %w", m.name, d.explain(where, err))
		}
		if done {
			applied = append(applied, m.name)
		}
	}
	return applied, nil
}

// initSchemaTable creates schema_migrations in an empty database, refuses
// a database with tables of its own but no schema_migrations (not a vigil
// state database) and returns the current schema version.
func initSchemaTable(ctx context.Context, db *sql.DB, d dialect, where string) (int, error) {
	tx, err := db.BeginTx(ctx, d.txOptions())
	if err != nil {
		return 0, d.explain(where, err)
	}
	defer tx.Rollback() // a no-op once committed
	if err := d.lockSchema(ctx, tx); err != nil {
		return 0, d.explain(where, err)
	}
	var ours, others int
	if err = tx.QueryRowContext(ctx, d.tables()).Scan(&ours, &others); err != nil {
		return 0, d.explain(where, err)
	}
	if ours == 0 && others > 0 {
		return 0, fmt.Errorf("%s is not a vigil state database (it has %d tables but no schema_migrations): %s", where, others, d.elsewhere())
	}
	if ours == 0 {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE schema_migrations (
			version       INTEGER NOT NULL PRIMARY KEY,
			name          TEXT    NOT NULL,
			applied_at_ms BIGINT  NOT NULL
		)`); err != nil {
			return 0, d.explain(where, err)
		}
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return 0, d.explain(where, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, d.explain(where, err)
	}
	return current, nil
}

// applyMigration runs m and records it in one transaction, unless another
// process has applied it meanwhile; it reports whether it applied m. On
// PostgreSQL the transaction is READ COMMITTED, so that once it holds the
// schema lock it sees what the previous holder committed.
func applyMigration(ctx context.Context, db *sql.DB, d dialect, m migration) (bool, error) {
	raw, err := db.BeginTx(ctx, d.txOptions())
	if err != nil {
		return false, err
	}
	tx := &txn{tx: raw, d: d}
	defer tx.Rollback() // a no-op once committed
	if err := d.lockSchema(ctx, raw); err != nil {
		return false, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	// Sent as is: a migration holds several statements and no
	// placeholders.
	if _, err := raw.ExecContext(ctx, m.sql); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UnixMilli()); err != nil {
		return false, err
	}
	return true, tx.Commit()
}
