package outbox_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify/twiliofake"
	"github.com/vigilmon/vigil/store"
)

// Environment of the child process of TestKill9MidFanout; read only here.
const (
	envCrashDir = "VIGIL_TEST_OUTBOX_CRASH_DIR"
	envCrashAPI = "VIGIL_TEST_OUTBOX_CRASH_API"
)

const fanout = 1000

// TestKill9MidFanout enqueues 1,000 messages in a child process that
// drains them to a fake Twilio running here, SIGKILLs the child mid-way,
// drains the rest with a new worker on the same database and checks that
// every message was delivered and duplicates are at most the messages
// that were in flight ('sending') at the crash.
func TestKill9MidFanout(t *testing.T) {
	if dir := os.Getenv(envCrashDir); dir != "" {
		crashChild(t, dir, os.Getenv(envCrashAPI))
		return
	}
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9MidFanout$", "-test.v")
	cmd.Env = append(os.Environ(), envCrashDir+"="+dir, envCrashAPI+"="+fake.URL())
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for len(fake.Messages()) < fanout/3 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("child delivered only %d messages in 60 s", len(fake.Messages()))
		}
		time.Sleep(time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()
	atCrash := len(fake.Messages())
	if atCrash >= fanout {
		t.Fatalf("the child finished (%d delivered) before the kill: not mid fan-out", atCrash)
	}

	st := openState(t, dir)
	ctx := context.Background()
	inFlight, err := st.ListOutbox(ctx, store.OutboxSending, 0)
	if err != nil {
		t.Fatal(err)
	}
	counts, _ := st.OutboxCounts(ctx)
	t.Logf("killed after %d deliveries; outbox at the crash: %v (%d in flight)", atCrash, counts, len(inFlight))
	if total := counts[store.OutboxPending] + counts[store.OutboxSending] + counts[store.OutboxSent]; total != fanout {
		t.Fatalf("outbox holds %d messages, want %d", total, fanout)
	}

	w := newWorker(t, st, newTwilio(t, fake, ""), 0, 1, nil)
	start(t, w)
	waitDrained(t, st, 60*time.Second)

	delivered := fake.Delivered()
	dups := 0
	for i := range fanout {
		switch n := delivered[number(i)]; {
		case n == 0:
			t.Errorf("message to %s never delivered", number(i))
		case n > 1:
			dups += n - 1
		}
	}
	if dups > len(inFlight) {
		t.Errorf("%d duplicates, more than the %d messages in flight at the crash", dups, len(inFlight))
	}
	s := w.Stats()
	t.Logf("after restart: %d duplicates (bound %d); recovered %d, reconciled %d, resent %d", dups, len(inFlight), s.Recovered, s.Reconciled, s.Resent)
}

// crashChild enqueues the fan-out and drains it until it is killed.
func crashChild(t *testing.T, dir, api string) {
	st := openState(t, dir)
	enqueue(t, st, 0, fanout)
	n := newTwilioAt(t, api, "")
	w := newWorker(t, st, n, 500, 10, nil)
	ctx := context.Background()
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	select {} // never reached: Run drains until killed
}
