package outbox_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify/twilio"
	"github.com/vigilmon/vigil/alert/notify/twiliofake"
	"github.com/vigilmon/vigil/alert/outbox"
	"github.com/vigilmon/vigil/store"
)

// newTwilio returns a twilio notifier aimed at fake.
func newTwilio(tb testing.TB, fake *twiliofake.Server, publicURL string) *twilio.Notifier {
	tb.Helper()
	return newTwilioAt(tb, fake.URL(), publicURL)
}

// newTwilioAt returns a twilio notifier with the fake's default
// credentials aimed at api.
func newTwilioAt(tb testing.TB, api, publicURL string) *twilio.Notifier {
	tb.Helper()
	n, err := twilio.New(twilio.Config{
		AccountSid: twiliofake.TestAccountSid, AuthToken: twiliofake.TestAuthToken, From: "+3197010000000",
		APIBaseURL: api, PublicURL: publicURL, Timeout: 2 * time.Second,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// newWorker returns a worker on st with fast timings for tests.
func newWorker(tb testing.TB, st *store.State, n *twilio.Notifier, ratePerSecond float64, burst int, logger *slog.Logger) *outbox.Worker {
	tb.Helper()
	w, err := outbox.New(outbox.Config{
		Store:          st,
		Channels:       map[string]outbox.Channel{"twilio": {Notifier: n, RatePerSecond: ratePerSecond, Burst: burst}},
		Poll:           20 * time.Millisecond,
		ReconcileDelay: 50 * time.Millisecond,
		BackoffMin:     20 * time.Millisecond,
		BackoffMax:     200 * time.Millisecond,
		Logger:         logger,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// start runs w until the test ends.
func start(tb testing.TB, w *outbox.Worker) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Run: %v", err)
		}
	})
}

// openState opens a state database in dir.
func openState(tb testing.TB, dir string) *store.State {
	tb.Helper()
	st, err := store.OpenState(dir, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// enqueue writes n messages to distinct numbers starting at first.
func enqueue(tb testing.TB, st *store.State, first, n int) []int64 {
	tb.Helper()
	entries := make([]store.OutboxEntry, n)
	for i := range entries {
		entries[i] = store.OutboxEntry{Channel: "twilio", Recipient: number(first + i), Event: "incident.updated",
			Text: fmt.Sprintf("Update %d: checkout degraded. https://status.example.com/i/1", first+i)}
	}
	ids, err := st.EnqueueOutbox(context.Background(), entries, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// number is a valid-looking E.164 number for subscriber i.
func number(i int) string { return fmt.Sprintf("+3161%07d", i) }

// waitDrained waits until nothing is pending, sending or uncertain-and-due.
func waitDrained(tb testing.TB, st *store.State, timeout time.Duration) map[store.OutboxStatus]int {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		c, err := st.OutboxCounts(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		if c[store.OutboxPending]+c[store.OutboxSending]+c[store.OutboxUncertain] == 0 {
			return c
		}
		if time.Now().After(deadline) {
			tb.Fatalf("outbox not drained after %s: %v", timeout, c)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
