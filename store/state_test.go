package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

func TestStateOpenSettings(t *testing.T) {
	s, dir := openTestState(t)
	for _, c := range []struct {
		db     *sql.DB
		pragma string
		want   string
	}{
		{s.w, "journal_mode", "wal"},
		{s.w, "synchronous", "2"},
		{s.r.db, "synchronous", "2"},
		{s.w, "foreign_keys", "1"},
		{s.r.db, "foreign_keys", "1"},
		{s.w, "busy_timeout", fmt.Sprint(stateBusyTimeoutMS)},
		{s.r.db, "busy_timeout", fmt.Sprint(stateBusyTimeoutMS)},
		{s.r.db, "query_only", "1"},
	} {
		var got string
		if err := c.db.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", c.pragma, err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %q, want %q", c.pragma, got, c.want)
		}
	}
	fi, err := os.Stat(filepath.Join(dir, StateFile))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("state.db mode = %v, want 0600 (it will hold phone numbers)", perm)
	}
	if s.Path() != filepath.Join(dir, StateFile) || s.Backend() != "sqlite" {
		t.Errorf("Path() = %q, Backend() = %q", s.Path(), s.Backend())
	}
}

func TestStateCreatesDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b?c#d")
	s, err := OpenState(dir, nil)
	if err != nil {
		t.Fatalf("OpenState: %v", err)
	}
	defer s.Close()
	if _, err := os.Stat(filepath.Join(dir, StateFile)); err != nil {
		t.Errorf("state.db not where expected: %v", err)
	}
}

func TestStateMigrationsIdempotentOnReopen(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		dsn := b.fresh(t)
		ctx := context.Background()
		var id string
		for i := range 3 {
			s, err := Open(ctx, dsn, nil)
			if err != nil {
				t.Fatalf("open #%d: %v", i+1, err)
			}
			if i == 0 {
				m, err := s.ScheduleMaintenance(ctx, testWindow(), testNow)
				if err != nil {
					t.Fatal(err)
				}
				id = m.ID
			}
			if _, err := s.GetMaintenance(ctx, id); err != nil {
				t.Errorf("open #%d: window scheduled on first open: %v", i+1, err)
			}
			var n, max int
			if err := s.r.QueryRowContext(ctx, "SELECT COUNT(*), MAX(version) FROM schema_migrations").Scan(&n, &max); err != nil {
				t.Fatal(err)
			}
			if n != schemaVersion() || max != schemaVersion() {
				t.Errorf("open #%d: schema_migrations has %d rows up to %d, want %d", i+1, n, max, schemaVersion())
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestStateConcurrentOpenMigratesOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		dsn := b.fresh(t)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() {
				s, err := Open(context.Background(), dsn, nil)
				if err == nil {
					err = s.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("open %d: %v", i, err)
			}
		}
		var n int
		if err := b.raw(t, dsn).QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != schemaVersion() {
			t.Errorf("schema_migrations has %d rows, want %d", n, schemaVersion())
		}
	})
}

func TestStateRefusesNewerSchema(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s, dsn := b.open(t)
		newer := schemaVersion() + 1
		if _, err := b.raw(t, dsn).Exec(fmt.Sprintf("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (%d, 'future.sql', 0)", newer)); err != nil {
			t.Fatal(err)
		}
		_, err := Open(context.Background(), dsn, nil)
		want := fmt.Sprintf("was written by a newer vigil (schema %d > %d): upgrade vigil", newer, schemaVersion())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("Open = %v, want an error containing %q", err, want)
		}
		if !strings.HasPrefix(err.Error(), "open state db: "+s.Path()) {
			t.Errorf("error %q does not name the database", err)
		}
	})
}

func TestStateRefusesForeignDatabase(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		dsn := b.fresh(t)
		if _, err := b.raw(t, dsn).Exec("CREATE TABLE customers (id INTEGER)"); err != nil {
			t.Fatal(err)
		}
		s, err := Open(context.Background(), dsn, nil)
		if err == nil {
			s.Close()
			t.Fatal("Open succeeded")
		}
		const want = "is not a vigil state database (it has 1 tables but no schema_migrations): "
		hint := map[string]string{"sqlite": "move it away or choose another -data-dir", "postgres": "give vigil a database of its own in server.state"}[b.name]
		if !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), hint) {
			t.Errorf("Open = %q, want it to contain %q and end in %q", err, want, hint)
		}
	})
}

func TestStateRefusesOtherFiles(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, path string)
		want  string
	}{
		{"garbage", func(t *testing.T, path string) {
			writeFile(t, path, []byte(strings.Repeat("this is not a database\n", 400)))
		}, "is not a vigil state database (file is not a database"},
		{"a directory", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, "is not a vigil state database (it is not a regular file)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, StateFile)
			c.setup(t, path)
			s, err := OpenState(dir, nil)
			if err == nil {
				s.Close()
				t.Fatal("OpenState succeeded")
			}
			if !strings.Contains(err.Error(), c.want) || !strings.HasSuffix(err.Error(), "move it away or choose another -data-dir") {
				t.Errorf("OpenState = %q, want it to contain %q and say what to do", err, c.want)
			}
		})
	}
}

func TestStateRefusesDamagedFile(t *testing.T) {
	s, dir := openTestState(t)
	ctx := context.Background()
	for range 20 {
		in := testWindow()
		in.Title = strings.Repeat("long title to fill pages ", 100)
		if _, err := s.ScheduleMaintenance(ctx, in, testNow); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, StateFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 8*4096 {
		t.Fatalf("state.db is only %d bytes: not enough pages to damage one", len(b))
	}
	// Overwrite pages 3 to 6, keeping the header page (and page 2) intact.
	for i := 2 * 4096; i < 6*4096; i++ {
		b[i] = 0xa5
	}
	writeFile(t, path, b)
	_, err = OpenState(dir, nil)
	if err == nil || !strings.Contains(err.Error(), "is damaged") || !strings.Contains(err.Error(), "restore it from a backup") {
		t.Fatalf("OpenState = %v, want it to say the file is damaged and what to do", err)
	}
}

func TestStateUnusableDataDir(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "file")
	writeFile(t, file, []byte("x"))
	cases := []struct {
		name, dir, want string
	}{
		{"data dir is a file", file, "is a file, not a directory: move it away or choose another -data-dir"},
		{"data dir below a file", filepath.Join(file, "sub"), "lies below a file, not a directory"},
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(base, "ro")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct{ name, dir, want string }{"read-only data dir", ro, "is not writable"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := OpenState(c.dir, nil)
			if err == nil {
				s.Close()
				t.Fatal("OpenState succeeded")
			}
			if !strings.HasPrefix(err.Error(), "open state db: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("OpenState = %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestStateMigrationNumbering(t *testing.T) {
	for _, c := range []struct {
		name  string
		files []string
		want  string
	}{
		{"gap", []string{"0001_a.sql", "0003_c.sql"}, "version 3, want 2"},
		{"duplicate", []string{"0001_a.sql", "0001_b.sql"}, "version 1, want 2"},
		{"no number", []string{"first.sql"}, "name must be <version>_<what>.sql"},
		{"none", nil, "no migrations"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range c.files {
				fsys["migrations/"+f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			_, err := loadMigrations(fsys, "sqlite")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("loadMigrations = %v, want %q", err, c.want)
			}
		})
	}
	for _, d := range []string{"sqlite", "postgres"} {
		ms, err := loadMigrations(migrationFiles, d)
		if err != nil {
			t.Fatalf("embedded migrations of %s: %v", d, err)
		}
		if len(ms) != schemaVersion() || ms[0].name != "0001_maintenance.sql" {
			t.Errorf("embedded migrations of %s = %v", d, ms)
		}
	}
}

func TestStateMigrationVariants(t *testing.T) {
	fsys := fstest.MapFS{
		"migrations/0001_a.sql":          {Data: []byte("CREATE TABLE a (id INTEGER);")},
		"migrations/0002_b.sql":          {Data: []byte("CREATE TABLE b (x BLOB);")},
		"migrations/postgres/0002_b.sql": {Data: []byte("CREATE TABLE b (x BYTEA);")},
	}
	for d, want := range map[string]string{"sqlite": "BLOB", "postgres": "BYTEA"} {
		ms, err := loadMigrations(fsys, d)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if len(ms) != 2 || ms[1].name != "0002_b.sql" || !strings.Contains(ms[1].sql, want) || !strings.Contains(ms[0].sql, "INTEGER") {
			t.Errorf("%s: migrations %v, want the shared 0001 and the %s variant of 0002", d, ms, want)
		}
	}
	fsys["migrations/postgres/0003_c.sql"] = &fstest.MapFile{Data: []byte("SELECT 1;")}
	if _, err := loadMigrations(fsys, "postgres"); err == nil || !strings.Contains(err.Error(), "postgres/0003_c.sql has no counterpart migrations/0003_c.sql") {
		t.Errorf("variant without a shared step: %v", err)
	}
	fsys["migrations/postgres/0002_bb.sql"] = &fstest.MapFile{Data: []byte("SELECT 1;")}
	delete(fsys, "migrations/postgres/0003_c.sql")
	if _, err := loadMigrations(fsys, "postgres"); err == nil || !strings.Contains(err.Error(), "0002_bb.sql has no counterpart") {
		t.Errorf("variant under another name: %v", err)
	}
}

func TestStateClosedIsAnError(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ScheduleMaintenance(context.Background(), testWindow(), testNow); err == nil {
			t.Error("ScheduleMaintenance after Close succeeded")
		}
		if _, err := s.GetMaintenance(context.Background(), "mw-x"); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("GetMaintenance after Close = %v, want a closed error", err)
		}
	})
}

// schemaVersion returns the highest schema version this build knows.
func schemaVersion() int {
	ms, err := loadMigrations(migrationFiles, "sqlite")
	if err != nil {
		panic(err)
	}
	return ms[len(ms)-1].version
}

// writeFile writes b to path or fails the test.
func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// testNow is the clock of the maintenance tests.
var testNow = time.Date(2026, 3, 2, 8, 30, 15, 123_000_000, time.UTC)

// testWindow is a valid window to schedule, a week after testNow.
func testWindow() Maintenance {
	return Maintenance{
		Title:      "Database upgrade",
		Components: []string{"api", "web"},
		Start:      time.Date(2026, 3, 9, 22, 0, 0, 0, time.UTC),
		End:        time.Date(2026, 3, 9, 23, 0, 0, 0, time.UTC),
	}
}
