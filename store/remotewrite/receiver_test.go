package remotewrite

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

// receiver is a fake remote-write backend: it records every request and
// answers as respond says (200 when respond is nil).
type receiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	reqs    []received
	respond func(i int, w http.ResponseWriter) // i: the request's index
}

// received is one request as the receiver got it.
type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, respond func(i int, w http.ResponseWriter)) *receiver {
	t.Helper()
	rc := &receiver{respond: respond}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		i := len(rc.reqs)
		rc.reqs = append(rc.reqs, received{header: r.Header.Clone(), body: body})
		rc.mu.Unlock()
		if rc.respond != nil {
			rc.respond(i, w)
		}
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// requests returns a copy of what was received so far.
func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.reqs...)
}

// starts decodes every request and returns the starts of the results in
// them (their success samples), request by request.
func (rc *receiver) starts(t *testing.T) [][]int64 {
	t.Helper()
	var out [][]int64
	for _, r := range rc.requests() {
		var starts []int64
		for _, s := range decodeRequest(t, r.body) {
			if s.labels[0] == LabelName+"="+MetricSuccess {
				for _, smp := range s.samples {
					starts = append(starts, smp.t)
				}
			}
		}
		out = append(out, starts)
	}
	return out
}

// status answers every request with code.
func status(code int) func(int, http.ResponseWriter) {
	return func(_ int, w http.ResponseWriter) { w.WriteHeader(code) }
}

// startWriter starts w.Run until the test ends.
func startWriter(t testing.TB, w *Writer) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		w.Run(ctx)
		close(done)
	}()
	stop = func() {
		cancel()
		<-done
	}
	t.Cleanup(stop)
	return stop
}

// newTestWriter returns a writer to url with small backoffs and the
// clock given, logging into log when not nil.
func newTestWriter(t *testing.T, url string, clk clock.Clock, q QueueConfig, log io.Writer) *Writer {
	t.Helper()
	if q.MinBackoff == 0 {
		q.MinBackoff, q.MaxBackoff = time.Millisecond, 2*time.Millisecond
	}
	logger := slog.New(slog.DiscardHandler)
	if log != nil {
		logger = slog.New(slog.NewTextHandler(log, nil))
	}
	w, err := New(Config{URL: url, Queue: q, FlushTimeout: 2 * time.Second}, Options{Clock: clk, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// waitFor polls cond until it holds; the deadline only guards against a
// hang, it is no timing goal.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// syncBuffer is a log sink safe for the writer's goroutine and the test's.
type syncBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
