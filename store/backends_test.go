package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/vigilmon/vigil/internal/pgtest"
	"github.com/vigilmon/vigil/store/internal/pgdriver"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// backend is a database the state store runs on, as the tests see it.
type backend struct {
	name string
	// instances is how many vigil instances the tests let share one
	// database: PostgreSQL is there for several; a SQLite file belongs to
	// one (a second process, such as the maintenance command, only
	// passes through).
	instances int
	// fresh returns the DSN of a new, empty state database that lives
	// as long as the test.
	fresh func(t testing.TB) string
	// raw opens dsn's database directly, bypassing the store, for tests
	// that look at or tamper with it; queries use the database's own
	// placeholders.
	raw func(t testing.TB, dsn string) *sql.DB
}

// backends are SQLite (a temporary data dir) and PostgreSQL (a fresh
// database on the test process's shared server; skipped when PostgreSQL
// is not installed, unless $CI is set).
var backends = []backend{
	{
		name:      "sqlite",
		instances: 1,
		fresh:     func(t testing.TB) string { return t.TempDir() },
		raw: func(t testing.TB, dsn string) *sql.DB {
			return openRaw(t, "sqlite", filepath.Join(dsn, StateFile))
		},
	},
	{
		name:      "postgres",
		instances: 2,
		fresh:     func(t testing.TB) string { return pgtest.Shared(t).NewDatabase(t) },
		raw: func(t testing.TB, dsn string) *sql.DB {
			cfg, err := pgx.ParseConfig(dsn)
			if err != nil {
				t.Fatal(err)
			}
			db := pgdriver.OpenDB(cfg)
			t.Cleanup(func() { db.Close() })
			return db
		},
	},
}

// forEachBackend runs test once on each backend, as a subtest named
// after it.
func forEachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b) })
	}
}

// forEachState runs test on a fresh, open state store of each backend.
func forEachState(t *testing.T, test func(t *testing.T, s *State)) {
	t.Helper()
	forEachBackend(t, func(t *testing.T, b backend) {
		s, _ := b.open(t)
		test(t, s)
	})
}

// open opens a fresh state store, closed when the test ends, and returns
// it with its DSN.
func (b backend) open(t testing.TB) (*State, string) {
	t.Helper()
	dsn := b.fresh(t)
	return b.reopen(t, dsn), dsn
}

// reopen opens the state store at dsn, closed when the test ends.
func (b backend) reopen(t testing.TB, dsn string) *State {
	t.Helper()
	s, err := Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openInstances opens b.instances state stores on one fresh database,
// closed when the test ends.
func (b backend) openInstances(t testing.TB) []*State {
	t.Helper()
	first, dsn := b.open(t)
	states := []*State{first}
	for len(states) < b.instances {
		states = append(states, b.reopen(t, dsn))
	}
	return states
}

// openRaw opens a database/sql pool with driver and dsn, closed when the
// test ends.
func openRaw(t testing.TB, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openTestState opens a SQLite state database in a fresh directory and
// closes it when the test ends, for the tests of SQLite's own behaviour.
func openTestState(t *testing.T) (*State, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := OpenState(dir, nil)
	if err != nil {
		t.Fatalf("OpenState: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// countRows counts the rows of table.
func countRows(t *testing.T, s *State, table string) int {
	t.Helper()
	var n int
	if err := s.r.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
