package outbox_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify/twilio"
	"github.com/vigilmon/vigil/alert/notify/twiliofake"
	"github.com/vigilmon/vigil/alert/outbox"
	"github.com/vigilmon/vigil/store"
)

// lockedBuffer is a concurrency-safe log sink.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestDeliversRecordsSidAndStatusCallbacks(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{StatusCallbacks: true, CallbackDelay: time.Millisecond})
	defer fake.Close()
	st := openState(t, t.TempDir())
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.Handle(twilio.StatusCallbackPath, outbox.StatusHandler(st, twilio.NewVerifier(fake.AuthToken, srv.URL), nil))
	w := newWorker(t, st, newTwilio(t, fake, srv.URL), 0, 1, nil)
	ids := enqueue(t, st, 0, 20)
	start(t, w)
	w.Wake("")
	waitDrained(t, st, 60*time.Second)
	sids := map[string]bool{}
	for _, m := range fake.Messages() {
		sids[m.Sid] = true
	}
	deadline := time.Now().Add(60 * time.Second)
	for _, id := range ids {
		m, err := st.GetOutbox(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != store.OutboxSent || !sids[m.ProviderID] {
			t.Fatalf("message %d: %+v", id, m)
		}
		for m.ProviderStatus != "delivered" && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
			m, _ = st.GetOutbox(context.Background(), id)
		}
		if m.ProviderStatus != "delivered" {
			t.Errorf("message %d provider status %q, want delivered (status callbacks)", id, m.ProviderStatus)
		}
	}
	if s := w.Stats(); s.Sent != 20 {
		t.Errorf("stats %+v", s)
	}
}

func TestStatusCallbackSignature(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	st := openState(t, t.TempDir())
	ids := enqueue(t, st, 0, 1)
	ctx := context.Background()
	claimed, _ := st.ClaimOutbox(ctx, "twilio", time.Now(), 1)
	if err := st.FinishOutbox(ctx, []store.OutboxOutcome{{ID: claimed[0].ID, Status: store.OutboxSent, ProviderID: "SMabc", ProviderStatus: "queued", At: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		outbox.StatusHandler(st, twilio.NewVerifier(fake.AuthToken, srv.URL), nil).ServeHTTP(w, r)
	}))
	defer srv.Close()
	forger := twiliofake.New(twiliofake.Options{AuthToken: "forgedToken00000000000000000000"})
	defer forger.Close()
	if code, err := forger.PostStatus(srv.URL+twilio.StatusCallbackPath, "SMabc", number(0), "delivered"); err != nil || code != http.StatusForbidden {
		t.Fatalf("forged callback: %d %v, want 403", code, err)
	}
	if m, _ := st.GetOutbox(ctx, ids[0]); m.ProviderStatus != "queued" {
		t.Fatalf("forged callback changed status to %q", m.ProviderStatus)
	}
	if code, err := fake.PostStatus(srv.URL+twilio.StatusCallbackPath, "SMabc", number(0), "delivered"); err != nil || code != http.StatusNoContent {
		t.Fatalf("signed callback: %d %v, want 204", code, err)
	}
	if m, _ := st.GetOutbox(ctx, ids[0]); m.ProviderStatus != "delivered" {
		t.Fatalf("signed callback: status %q", m.ProviderStatus)
	}
}

func TestPermanentFailureDeactivatesRecipient(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	st := openState(t, t.TempDir())
	fake.RejectTo(number(0), twiliofake.CodeUnsubscribed)
	enqueue(t, st, 0, 1)
	w := newWorker(t, st, newTwilio(t, fake, ""), 0, 1, nil)
	start(t, w)
	waitDrained(t, st, 60*time.Second)
	enqueue(t, st, 0, 2) // 0 again, and 1
	w.Wake("")
	c := waitDrained(t, st, 60*time.Second)
	if got := fake.Requests(number(0)); got != 1 {
		t.Errorf("%d requests to the unsubscribed number, want 1 (never retried, later messages cancelled)", got)
	}
	r, _ := st.GetRecipient(context.Background(), "twilio", number(0))
	if r.Active || !strings.Contains(r.DeactivatedReason, "21610") {
		t.Errorf("recipient %+v, want deactivated with 21610", r)
	}
	if c[store.OutboxFailed] != 1 || c[store.OutboxCancelled] != 1 || c[store.OutboxSent] != 1 {
		t.Errorf("counts %v", c)
	}
}

func TestUncertainIsReconciledNotResentBlindly(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	st := openState(t, t.TempDir())
	// Message 0 is accepted but answered 500; message 1 gets a plain 500.
	fake.Inject(twiliofake.Fault{Kind: twiliofake.AcceptThenError}, 1)
	fake.Inject(twiliofake.Fault{Kind: twiliofake.ServerError}, 1)
	w := newWorker(t, st, newTwilio(t, fake, ""), 0, 1, nil)
	enqueue(t, st, 0, 1)
	start(t, w)
	waitDrained(t, st, 60*time.Second)
	enqueue(t, st, 1, 1)
	w.Wake("")
	waitDrained(t, st, 60*time.Second)
	d := fake.Delivered()
	if d[number(0)] != 1 || d[number(1)] != 1 {
		t.Errorf("delivered %v, want exactly one each", d)
	}
	if got := fake.Requests(number(0)); got != 1 {
		t.Errorf("%d requests for the accepted message, want 1: resent blindly", got)
	}
	if s := w.Stats(); s.Reconciled != 1 || s.Resent != 1 || s.Sent != 2 {
		t.Errorf("stats %+v, want 1 reconciled, 1 resent, 2 sent", s)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	st := openState(t, t.TempDir())
	fake.Inject(twiliofake.Fault{Kind: twiliofake.TooManyRequests, RetryAfter: time.Second}, 1)
	w := newWorker(t, st, newTwilio(t, fake, ""), 0, 1, nil)
	enqueue(t, st, 0, 1)
	began := time.Now()
	start(t, w)
	waitDrained(t, st, 60*time.Second)
	msgs := fake.Messages()
	if len(msgs) != 1 || msgs[0].Accepted.Sub(began) < time.Second {
		t.Errorf("accepted %v after start, want ≥ 1 s (Retry-After)", msgs[0].Accepted.Sub(began))
	}
	if s := w.Stats(); s.Retried != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestRateLimitIsRespected(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	st := openState(t, t.TempDir())
	const n, perSecond = 31, 20.0
	enqueue(t, st, 0, n)
	w := newWorker(t, st, newTwilio(t, fake, ""), perSecond, 1, nil)
	start(t, w)
	waitDrained(t, st, 60*time.Second)
	msgs := fake.Messages()
	if len(msgs) != n {
		t.Fatalf("%d messages, want %d", len(msgs), n)
	}
	span := msgs[n-1].Accepted.Sub(msgs[0].Accepted)
	// A token bucket of burst 1 needs (n-1)/rate = 1.5 s; allow jitter.
	if min := time.Duration(float64(n-1)/perSecond*float64(time.Second)) * 8 / 10; span < min {
		t.Errorf("%d messages in %s at %v/s: faster than the rate (want ≥ %s)", n, span, perSecond, min)
	}
	t.Logf("%d messages in %s at a limit of %v/s", n, span, perSecond)
}

func TestNoSecretInWorkerLogs(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	st := openState(t, t.TempDir())
	logs := &lockedBuffer{}
	fake.Inject(twiliofake.Fault{Kind: twiliofake.EchoAuth}, 1)
	fake.Inject(twiliofake.Fault{Kind: twiliofake.ServerError}, 1)
	fake.RejectTo(number(2), twiliofake.CodeInvalidTo)
	w := newWorker(t, st, newTwilio(t, fake, ""), 0, 1, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	enqueue(t, st, 0, 3)
	start(t, w)
	waitDrained(t, st, 60*time.Second)
	all, _ := st.ListOutbox(context.Background(), "", 0)
	text := logs.String()
	for _, m := range all {
		text += "\n" + m.LastError
	}
	if strings.Contains(text, fake.AuthToken) {
		t.Errorf("auth token in logs or last_error:\n%s", text)
	}
	if !strings.Contains(text, "[REDACTED]") {
		t.Errorf("expected the echoed credentials to show as [REDACTED]:\n%s", text)
	}
}
