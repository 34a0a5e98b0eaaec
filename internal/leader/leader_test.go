package leader

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vigilmon/vigil/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// leadLog records which instance leads in which term.
type leadLog struct {
	mu      sync.Mutex
	leading map[string]int64 // instance -> term while leading
	terms   []int64
	overlap bool
}

func (l *leadLog) lead(name string) func(ctx context.Context, term int64) {
	return func(ctx context.Context, term int64) {
		l.mu.Lock()
		if len(l.leading) > 0 {
			l.overlap = true
		}
		l.leading[name] = term
		l.terms = append(l.terms, term)
		l.mu.Unlock()
		<-ctx.Done()
		l.mu.Lock()
		delete(l.leading, name)
		l.mu.Unlock()
	}
}

func (l *leadLog) leader() (string, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for n, t := range l.leading {
		return n, t
	}
	return "", 0
}

func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

func fast() Options {
	return Options{RetryEvery: 100 * time.Millisecond, CheckEvery: 100 * time.Millisecond, CheckTimeout: time.Second}
}

// TestOneLeaderAndTakeover: of three instances exactly one leads; when it
// stops, another takes over with a higher term, and leads never overlap.
func TestOneLeaderAndTakeover(t *testing.T) {
	dsn := pgtest.Shared(t).NewDatabase(t)
	log := &leadLog{leading: map[string]int64{}}
	cancels := map[string]context.CancelFunc{}
	var wg sync.WaitGroup
	for _, name := range []string{"a", "b", "c"} {
		ctx, cancel := context.WithCancel(context.Background())
		cancels[name] = cancel
		e := New(dsn, fast())
		wg.Go(func() { _ = e.Run(ctx, log.lead(name)) })
	}
	defer func() {
		for _, c := range cancels {
			c()
		}
		wg.Wait()
	}()

	var first string
	var term1 int64
	waitFor(t, "a leader", 10*time.Second, func() bool { first, term1 = log.leader(); return first != "" })
	time.Sleep(500 * time.Millisecond) // several retry rounds of the standbys
	if n, _ := log.leader(); n != first {
		t.Fatalf("leader changed from %s to %s without a failure", first, n)
	}

	cancels[first]()
	var second string
	var term2 int64
	took := waitFor(t, "a new leader", 10*time.Second, func() bool {
		second, term2 = log.leader()
		return second != "" && second != first
	})
	t.Logf("takeover after the leader stopped: %s", took.Round(time.Millisecond))
	if term2 <= term1 {
		t.Fatalf("term went from %d to %d; a new lead must have a higher term", term1, term2)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	if log.overlap {
		t.Fatalf("two leads overlapped")
	}
}

// TestSessionLossStepsDown: when the database ends the leader's session
// (a network cut, an administrator), the leader cancels its work and a
// standby takes over.
func TestSessionLossStepsDown(t *testing.T) {
	dsn := pgtest.Shared(t).NewDatabase(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lost := make(chan int64, 4)
	e1 := New(dsn, fast())
	started := make(chan int64, 4)
	var wg sync.WaitGroup
	wg.Go(func() {
		_ = e1.Run(ctx, func(lctx context.Context, term int64) {
			started <- term
			<-lctx.Done()
			lost <- term
		})
	})
	defer wg.Wait()
	defer cancel()
	term := <-started

	// Terminate every other session on the database: the leader's.
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-lost:
		if got != term {
			t.Fatalf("lost term %d, want %d", got, term)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the leader kept leading after its session ended")
	}
	// It may lead again, in a new term; never still in the old one.
	waitFor(t, "the old term to end", 5*time.Second, func() bool { return e1.Term() != term })
	select {
	case next := <-started:
		if next <= term {
			t.Fatalf("re-elected with term %d, want > %d", next, term)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nobody leads after the session loss")
	}
}
