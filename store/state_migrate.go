package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrationFiles holds the schema, one numbered file per step:
// migrations/0001_maintenance.sql, 0002_….sql. A released file is never
// edited: a change is a new file with the next number.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one step of the schema.
type migration struct {
	version int
	name    string // the file name, for schema_migrations and errors
	sql     string
}

// loadMigrations reads the embedded migrations in version order and checks
// that they are numbered 1, 2, 3 … without gaps or duplicates.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
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

// migrate brings the database at path up to the newest embedded schema,
// one transaction per migration, and returns the names of the migrations
// it applied. It refuses a database that is not vigil's and one written by
// a newer vigil. Two processes migrating at once are safe: each
// transaction takes the write lock first and checks again whether its
// migration is still missing.
func migrate(ctx context.Context, db *sql.DB, path string) ([]string, error) {
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		return nil, fmt.Errorf("%s: migrations of this build: %w", path, err)
	}
	latest := ms[len(ms)-1].version
	current, err := initSchemaTable(ctx, db, path)
	if err != nil {
		return nil, err
	}
	if current > latest {
		return nil, fmt.Errorf("%s was written by a newer vigil (schema %d > %d): upgrade vigil", path, current, latest)
	}
	var applied []string
	for _, m := range ms[current:] {
		done, err := applyMigration(ctx, db, m)
		if err != nil {
			return applied, fmt.Errorf("%s: apply migration %s: %w", path, m.name, err)
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
func initSchemaTable(ctx context.Context, db *sql.DB, path string) (int, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, explainStateError(path, err)
	}
	defer tx.Rollback() // a no-op once committed
	var ours, others int
	err = tx.QueryRowContext(ctx, `SELECT
		COUNT(CASE WHEN name = 'schema_migrations' THEN 1 END),
		COUNT(CASE WHEN name <> 'schema_migrations' THEN 1 END)
		FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`).Scan(&ours, &others)
	if err != nil {
		return 0, explainStateError(path, err)
	}
	if ours == 0 && others > 0 {
		return 0, fmt.Errorf("%s is not a vigil state database (it has %d tables but no schema_migrations): move it away or choose another -data-dir", path, others)
	}
	if ours == 0 {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE schema_migrations (
			version       INTEGER NOT NULL PRIMARY KEY,
			name          TEXT    NOT NULL,
			applied_at_ms BIGINT  NOT NULL
		)`); err != nil {
			return 0, explainStateError(path, err)
		}
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return 0, explainStateError(path, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, explainStateError(path, err)
	}
	return current, nil
}

// applyMigration runs m and records it in one transaction, unless another
// process has applied it meanwhile; it reports whether it applied m.
func applyMigration(ctx context.Context, db *sql.DB, m migration) (bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback() // a no-op once committed
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UnixMilli()); err != nil {
		return false, err
	}
	return true, tx.Commit()
}
