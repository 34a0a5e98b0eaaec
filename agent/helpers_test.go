package agent_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigilmon/vigil/agent"
	"github.com/vigilmon/vigil/agent/ingest"
	"github.com/vigilmon/vigil/agent/spool"
	"github.com/vigilmon/vigil/agent/wire"
	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/probe"
)

const (
	testToken    = "ams-agent-0123456789abcdef"
	testLocation = "ams"
)

// t0 is when the test results start: recent, so that the receiver's
// retention and clock-skew checks take them. A child process takes its
// parent's (childT0Env): computed anew, it could fall in the next minute.
var t0 = func() time.Time {
	if v, err := time.Parse(time.RFC3339, os.Getenv(childT0Env)); err == nil {
		return v
	}
	return time.Now().Add(-2 * time.Hour).Truncate(time.Minute).UTC()
}()

// childT0Env hands t0 to a child process.
const childT0Env = "VIGIL_AGENT_TEST_T0"

// result is the i-th test result: every field follows from i.
func result(i int) probe.Result {
	r := probe.Result{
		Check:    fmt.Sprintf("check-%d", i%5),
		Location: testLocation,
		Start:    t0.Add(time.Duration(i) * time.Second),
		Duration: time.Duration(i%1000) * time.Millisecond,
		Interval: 5 * time.Second,
		OK:       i%7 != 0,
	}
	if !r.OK {
		r.Reason, r.Message = probe.ReasonStatus, fmt.Sprintf("status 503 at %d", i)
		r.Status = 503
	}
	return r
}

// index is the i of a result made by result.
func index(r probe.Result) int { return int(r.Start.Sub(t0) / time.Second) }

// memStore is an ingest.Store in memory that keeps every append, so that
// a result stored twice shows.
type memStore struct {
	mu      sync.Mutex
	results []probe.Result
}

func (m *memStore) Append(_ context.Context, rs []probe.Result) (map[int]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.results = append(m.results, rs...)
	return nil, nil
}

func (m *memStore) all() []probe.Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.results)
}

// server is the ingest API of a vigil server over a memStore, with knobs
// to make it fail.
type server struct {
	*httptest.Server
	store *memStore
	rc    *ingest.Receiver
	// down answers every request 503, badRequest 400 (a server that
	// cannot read the agent's records); token is the agent token accepted.
	down, badRequest atomic.Bool
	token            atomic.Value
	posts            atomic.Int64
	// maxBody, when set, answers 413 to larger bodies (a proxy's limit).
	maxBody atomic.Int64
}

func newServer(t testing.TB, dir string) *server {
	t.Helper()
	ledger, err := ingest.OpenLedger(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &server{store: &memStore{}}
	s.token.Store(testToken)
	s.rc = ingest.New(ingest.Options{Store: s.store, Ledger: ledger})
	h := api.Handler(api.Options{Ingest: s})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.posts.Add(1)
		switch {
		case s.down.Load():
			http.Error(w, `{"error": "down for the test"}`, http.StatusServiceUnavailable)
		case s.badRequest.Load():
			http.Error(w, `{"error": "invalid batch body: record 0: version 1, this vigil reads 0"}`, http.StatusBadRequest)
		case s.maxBody.Load() > 0 && r.ContentLength > s.maxBody.Load():
			http.Error(w, `{"error": "too large"}`, http.StatusRequestEntityTooLarge)
		default:
			h.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// Agents implements api.IngestSink.
func (s *server) Agents() []api.AgentToken {
	return []api.AgentToken{{Location: testLocation, Token: s.token.Load().(string)}}
}

// Ingest implements api.IngestSink.
func (s *server) Ingest(ctx context.Context, location string, id wire.BatchID, results []probe.Result) (wire.Receipt, error) {
	return s.rc.Ingest(ctx, location, id, results)
}

// runAgent starts an agent on a spool in dir until the test ends.
func runAgent(t testing.TB, srv string, dir string, tune func(*agent.Options)) (*agent.Agent, *spool.Spool, func()) {
	t.Helper()
	sp, err := spool.Open(dir, spool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := agent.Options{Server: srv, Token: testToken, Location: testLocation, Spool: sp,
		FlushEvery: 10 * time.Millisecond, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
	if tune != nil {
		tune(&opts)
	}
	a, err := agent.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("agent: %v", err)
			}
			if err := a.Close(); err != nil {
				t.Errorf("agent close: %v", err)
			}
			sp.Close()
		})
	}
	t.Cleanup(stop)
	return a, sp, stop
}

// waitFor polls cond until it holds or the limit passes.
func waitFor(t testing.TB, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkExactlyInOrder checks that the store holds results 0..n-1, each
// once, in order.
func checkExactlyInOrder(t *testing.T, got []probe.Result, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("server stored %d results, want %d", len(got), n)
	}
	for i, r := range got {
		want := result(i)
		want.Start = want.Start.UTC()
		if index(r) != i || r.Check != want.Check || r.OK != want.OK || r.Duration != want.Duration || r.Message != want.Message {
			t.Fatalf("stored result %d is %+v, want %+v", i, r, want)
		}
	}
}
