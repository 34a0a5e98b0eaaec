package pgdriver

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/vigilmon/vigil/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// testDB opens a pool on a fresh database, closed when the test ends.
func testDB(t *testing.T) *sql.DB {
	t.Helper()
	cfg, err := pgx.ParseConfig(pgtest.Shared(t).NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	db := OpenDB(cfg)
	t.Cleanup(func() { db.Close() })
	return db
}

// The values of the types the state's schema uses come back as the
// types database/sql converts from.
func TestValuesRoundTrip(t *testing.T) {
	db := testDB(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE v (s SMALLINT, i INTEGER, b BIGINT, f DOUBLE PRECISION, t TEXT, y BYTEA, n BIGINT);
		CREATE TABLE w (x INTEGER)`); err != nil {
		t.Fatalf("two statements without arguments: %v", err)
	}
	res, err := db.ExecContext(ctx, `INSERT INTO v VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		1, int64(1<<31-1), int64(1<<62), 2.5, "tëxt", []byte{0, 1, 255}, sql.NullInt64{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); n != 1 || err != nil {
		t.Errorf("RowsAffected = %d, %v", n, err)
	}
	var (
		s, i, b int64
		f       float64
		text    string
		y       []byte
		n       sql.NullInt64
		count   int
	)
	if err := db.QueryRowContext(ctx, `SELECT s, i, b, f, t, y, n, COUNT(*) OVER () FROM v`).Scan(&s, &i, &b, &f, &text, &y, &n, &count); err != nil {
		t.Fatal(err)
	}
	if s != 1 || i != 1<<31-1 || b != 1<<62 || f != 2.5 || text != "tëxt" || !bytes.Equal(y, []byte{0, 1, 255}) || n.Valid || count != 1 {
		t.Errorf("read back %d %d %d %v %q %v %v %d", s, i, b, f, text, y, n, count)
	}
	// numeric comes back through its driver.Valuer.
	var num string
	if err := db.QueryRowContext(ctx, `SELECT 1.25::numeric`).Scan(&num); err != nil || num != "1.25" {
		t.Errorf("numeric = %q, %v", num, err)
	}
}

func TestTransactions(t *testing.T) {
	db := testDB(t)
	ctx := context.Background()
	for level, want := range map[sql.IsolationLevel]string{
		sql.LevelDefault:        "read committed",
		sql.LevelReadCommitted:  "read committed",
		sql.LevelRepeatableRead: "repeatable read",
		sql.LevelSerializable:   "serializable",
	} {
		tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: level})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if err := tx.QueryRowContext(ctx, `SHOW transaction_isolation`).Scan(&got); err != nil || got != want {
			t.Errorf("%s: transaction_isolation = %q, %v, want %q", level, got, err, want)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelLinearizable}); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("linearizable: %v, want not supported", err)
	}

	if _, err := db.ExecContext(ctx, `CREATE TABLE k (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	ro, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ro.ExecContext(ctx, `INSERT INTO k VALUES (1)`)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "25006" {
		t.Errorf("insert in a read-only transaction = %v, want read_only_sql_transaction", err)
	}
	ro.Rollback()

	// A prepared statement in a transaction, committed and rolled back.
	for _, commit := range []bool{true, false} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO k VALUES ($1) RETURNING x`)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			var x int
			if err := st.QueryRowContext(ctx, i).Scan(&x); err != nil || x != i {
				t.Fatalf("returning %d: %d, %v", i, x, err)
			}
		}
		st.Close()
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM k`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d rows after one commit and one rollback of 3 (%v), want 3", n, err)
	}
}

// A query cancelled by its context breaks its connection; the pool drops
// it and carries on with a new one.
func TestCancelledQueryLeavesThePoolUsable(t *testing.T) {
	db := testDB(t)
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := db.ExecContext(ctx, `SELECT pg_sleep(10)`); err == nil {
		t.Fatal("pg_sleep(10) finished within 200ms")
	}
	var one int
	if err := db.QueryRowContext(context.Background(), `SELECT 1`).Scan(&one); err != nil || one != 1 {
		t.Fatalf("after a cancelled query: %d, %v", one, err)
	}
}
