package store

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/pgtest"
)

// postgres is the PostgreSQL backend of the shared suite.
var postgres = backends[1]

// A claim passes over rows another transaction holds instead of waiting
// for them: a worker stuck mid-claim never stalls the others.
func TestPostgresClaimSkipsLockedRows(t *testing.T) {
	ctx := context.Background()
	s, dsn := postgres.open(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ids, err := s.EnqueueOutbox(ctx, []OutboxEntry{
		{Channel: "twilio", Recipient: "+31600000001", Text: "a"},
		{Channel: "twilio", Recipient: "+31600000002", Text: "b"},
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	holder, err := postgres.raw(t, dsn).BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if _, err := holder.ExecContext(ctx, `SELECT id FROM outbox WHERE id = $1 FOR UPDATE`, ids[0]); err != nil {
		t.Fatal(err)
	}
	claimCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	got, err := s.ClaimOutbox(claimCtx, "twilio", now, 10)
	if err != nil {
		t.Fatalf("claim while a row is locked: %v (did it wait for the lock?)", err)
	}
	if len(got) != 1 || got[0].ID != ids[1] {
		t.Fatalf("claimed %+v, want only message %d", got, ids[1])
	}
	if err := holder.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ClaimOutbox(ctx, "twilio", now, 10); err != nil || len(got) != 1 || got[0].ID != ids[0] {
		t.Fatalf("claim after the lock is gone = %+v, %v, want message %d", got, err, ids[0])
	}
}

// The password of a DSN shows in no error, no log line and not in Path.
func TestPostgresDSNPasswordNeverShows(t *testing.T) {
	const secret = "s3cret-Pa55"
	srv := pgtest.Shared(t)
	good := withPassword(t, srv.NewDatabase(t), secret) // trust auth: any password is accepted
	closed := closedPort(t)
	for _, c := range []struct {
		name, dsn, want string
	}{
		{"connection refused", "postgres://vigil:" + secret + "@" + closed + "/vigil?sslmode=disable", "cannot connect"},
		{"password in the query", "postgres://vigil@" + closed + "/vigil?sslmode=disable&password=" + secret, "cannot connect"},
		{"no such database", strings.Replace(good, "/vigil_", "/nothere_", 1), "the database does not exist"},
		{"unparsable", "postgres://vigil:" + secret + "@127.0.0.1:notaport/vigil", "write server.state as postgres://user@host:5432/dbname"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			s, err := Open(context.Background(), c.dsn, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.HasPrefix(err.Error(), "open state db: postgres://") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Open = %q, want it to name the database and say %q", err, c.want)
			}
			if strings.Contains(err.Error()+logs.String(), secret) {
				t.Errorf("the password shows:\nerror: %s\nlogs: %s", err, logs.String())
			}
		})
	}
	t.Run("opened", func(t *testing.T) {
		var logs bytes.Buffer
		s, err := Open(context.Background(), good, slog.New(slog.NewTextHandler(&logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if !strings.Contains(logs.String(), "state db schema updated") {
			t.Errorf("no log line about the migration: %s", logs.String())
		}
		if s.Backend() != "postgres" || !strings.Contains(s.Path(), "postgres:xxxxx@") {
			t.Errorf("Backend() = %q, Path() = %q", s.Backend(), s.Path())
		}
		if strings.Contains(logs.String()+s.Path(), secret) {
			t.Errorf("the password shows:\npath: %s\nlogs: %s", s.Path(), logs.String())
		}
	})
}

// Opening stops at the caller's deadline when the server does not answer.
func TestPostgresOpenGivesUpAtTheDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Open(ctx, "postgres://vigil@"+ln.Addr().String()+"/vigil?sslmode=disable", nil)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Open = %v, want it to give up at the deadline", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Open took %s with a 500ms deadline", d)
	}
}

// withPassword puts password into a postgres:// DSN without one.
func withPassword(t *testing.T, dsn, password string) string {
	t.Helper()
	user, rest, ok := strings.Cut(strings.TrimPrefix(dsn, "postgres://"), "@")
	if !ok {
		t.Fatalf("DSN %q has no user", dsn)
	}
	return "postgres://" + user + ":" + password + "@" + rest
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
