package remotewrite

import (
	"bytes"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

func ms(i int) int64 { return result(i).Start.UnixMilli() }

// A request goes out when the first queued result has waited
// BatchSendDeadline, with everything queued by then.
func TestWriterSendsAtDeadline(t *testing.T) {
	rc := newReceiver(t, nil)
	clk := clock.NewFake(t0)
	w := newTestWriter(t, rc.srv.URL, clk, QueueConfig{MaxSamplesPerSend: 100, BatchSendDeadline: 5 * time.Second, RetryFor: time.Hour}, nil)
	startWriter(t, w)
	w.Observe(result(0))
	w.Observe(result(1))
	waitFor(t, "the sender to wait for the deadline", func() bool { return clk.Timers() == 1 })
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("%d requests before the deadline", n)
	}
	clk.Advance(5 * time.Second)
	waitFor(t, "the request", func() bool { return w.Stats().SamplesSent == 6 })
	if got := rc.starts(t); !slices.EqualFunc(got, [][]int64{{ms(0), ms(1)}}, slices.Equal) {
		t.Fatalf("requests carried %v", got)
	}
	if s := w.Stats(); !s.LastSuccess.Equal(clk.Now()) || s.QueueSamples != 0 || s.SamplesRetried != 0 {
		t.Fatalf("stats after the request: %+v", s)
	}
}

// A full request goes out at once, in whole results.
func TestWriterSendsFullRequests(t *testing.T) {
	rc := newReceiver(t, nil)
	clk := clock.NewFake(t0)
	w := newTestWriter(t, rc.srv.URL, clk, QueueConfig{Capacity: 100, MaxSamplesPerSend: 7, BatchSendDeadline: time.Minute, RetryFor: time.Hour}, nil)
	startWriter(t, w)
	for i := range 5 {
		w.Observe(result(i))
	}
	waitFor(t, "two full requests", func() bool { return w.Stats().SamplesSent == 12 })
	waitFor(t, "the sender to wait for the deadline", func() bool { return clk.Timers() == 1 })
	clk.Advance(time.Minute)
	waitFor(t, "the last result", func() bool { return w.Stats().SamplesSent == 15 })
	want := [][]int64{{ms(0), ms(1)}, {ms(2), ms(3)}, {ms(4)}}
	if got := rc.starts(t); !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("requests carried %v, want %v", got, want)
	}
}

// 5xx and 429 are retried with the same body until the backend takes it.
func TestWriterRetriesServerErrors(t *testing.T) {
	answers := []int{http.StatusServiceUnavailable, http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway}
	rc := newReceiver(t, func(i int, w http.ResponseWriter) {
		if i < len(answers) {
			if answers[i] == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "0")
			}
			w.WriteHeader(answers[i])
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	var log syncBuffer
	clk := clock.NewFake(t0)
	w := newTestWriter(t, rc.srv.URL, clk, QueueConfig{MaxSamplesPerSend: 6, BatchSendDeadline: time.Minute, RetryFor: time.Hour}, &log)
	startWriter(t, w)
	w.Observe(result(0))
	w.Observe(result(1))
	waitFor(t, "the request to get through", func() bool { return w.Stats().SamplesSent == 6 })
	reqs := rc.requests()
	if len(reqs) != 5 {
		t.Fatalf("%d requests, want 5 (4 refused, 1 taken)", len(reqs))
	}
	for _, r := range reqs[1:] {
		if !bytes.Equal(r.body, reqs[0].body) {
			t.Fatal("a retry sent another body")
		}
	}
	if s := w.Stats(); s.SamplesRetried != 4*6 || s.SamplesFailed != 0 || s.SamplesDropped != 0 {
		t.Fatalf("stats: %+v, want 24 retried", s)
	}
	if !strings.Contains(log.String(), "remote write attempt failed, retrying") || !strings.Contains(log.String(), "remote write recovered") {
		t.Errorf("log lacks the retry and the recovery:\n%s", log.String())
	}
}

// Any other 4xx fails the request at once: the data is refused, and
// sending it again cannot help. The next request goes out as usual.
func TestWriterDoesNotRetryClientErrors(t *testing.T) {
	for _, code := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusNotFound, http.StatusRequestEntityTooLarge} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			rc := newReceiver(t, func(i int, w http.ResponseWriter) {
				if i == 0 {
					w.WriteHeader(code)
					fmt.Fprintln(w, "out of order sample\nfor series x")
				}
			})
			var log syncBuffer
			w := newTestWriter(t, rc.srv.URL, clock.NewFake(t0), QueueConfig{MaxSamplesPerSend: 3, BatchSendDeadline: time.Minute, RetryFor: time.Hour}, &log)
			startWriter(t, w)
			w.Observe(result(0))
			waitFor(t, "the refusal", func() bool { return w.Stats().SamplesFailed == 3 })
			w.Observe(result(1))
			waitFor(t, "the next request", func() bool { return w.Stats().SamplesSent == 3 })
			if n, s := len(rc.requests()), w.Stats(); n != 2 || s.SamplesRetried != 0 {
				t.Fatalf("%d requests, stats %+v: want 2 requests, no retry", n, s)
			}
			want := fmt.Sprintf("HTTP %d %s: out of order sample for series x", code, http.StatusText(code))
			if !strings.Contains(log.String(), want) {
				t.Errorf("log lacks %q:\n%s", want, log.String())
			}
		})
	}
}

// Retries stop RetryFor after the first attempt: the samples count as
// failed and the next request is tried.
func TestWriterGivesUpAfterRetryFor(t *testing.T) {
	var down sync.Mutex
	failing := true
	rc := newReceiver(t, func(_ int, w http.ResponseWriter) {
		down.Lock()
		defer down.Unlock()
		if failing {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	clk := clock.NewFake(t0)
	w := newTestWriter(t, rc.srv.URL, clk, QueueConfig{MaxSamplesPerSend: 3, BatchSendDeadline: time.Minute, RetryFor: 10 * time.Minute}, nil)
	startWriter(t, w)
	w.Observe(result(0))
	waitFor(t, "a few retries", func() bool { return len(rc.requests()) >= 3 })
	if s := w.Stats(); s.SamplesFailed != 0 || s.SamplesRetried < 6 {
		t.Fatalf("stats while retrying: %+v", s)
	}
	clk.Advance(10 * time.Minute)
	waitFor(t, "giving up", func() bool { return w.Stats().SamplesFailed == 3 })
	down.Lock()
	failing = false
	down.Unlock()
	w.Observe(result(1))
	waitFor(t, "the next request", func() bool { return w.Stats().SamplesSent == 3 })
}

// While a request hangs, the queue keeps the newest results and drops the
// oldest; once the backend answers, the rest is sent in order.
func TestWriterQueueDropsOldestWhileBlocked(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	rc := newReceiver(t, func(i int, _ http.ResponseWriter) {
		if i == 0 {
			close(arrived)
			<-release
		}
	})
	w := newTestWriter(t, rc.srv.URL, clock.NewFake(t0), QueueConfig{Capacity: 30, MaxSamplesPerSend: 3, BatchSendDeadline: time.Minute, RetryFor: time.Hour}, nil)
	startWriter(t, w)
	w.Observe(result(0))
	<-arrived
	for i := 1; i <= 20; i++ {
		w.Observe(result(i))
	}
	if s := w.Stats(); s.QueueSamples != 30 || s.SamplesDropped != 30 || s.QueueCapacity != 30 {
		t.Fatalf("stats with the request hanging: %+v, want 30 queued, 30 dropped", s)
	}
	close(release)
	waitFor(t, "the queue to drain", func() bool { return w.Stats().SamplesSent == 33 })
	var got []int64
	for _, starts := range rc.starts(t) {
		got = append(got, starts...)
	}
	want := []int64{ms(0)}
	for i := 11; i <= 20; i++ {
		want = append(want, ms(i))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("sent %v, want result 0 then 11 to 20", got)
	}
}

// Every request carries the protocol's headers and the endpoint's
// credentials.
func TestWriterHeadersAndAuth(t *testing.T) {
	for _, c := range []struct {
		name string
		auth Auth
		want string // Authorization
	}{
		{"basic", Auth{Username: "vigil", Password: "p@ss:word"}, "Basic dmlnaWw6cEBzczp3b3Jk"},
		{"bearer", Auth{BearerToken: "tok123"}, "Bearer tok123"},
		{"none", Auth{Headers: map[string]string{"X-Scope-OrgID": "tenant-1"}}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rc := newReceiver(t, nil)
			w, err := New(Config{URL: rc.srv.URL + "/api/v1/write", Auth: c.auth, UserAgent: "vigil/test",
				Queue: QueueConfig{MaxSamplesPerSend: 3}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			startWriter(t, w)
			w.Observe(result(0))
			waitFor(t, "the request", func() bool { return w.Stats().SamplesSent == 3 })
			h := rc.requests()[0].header
			for k, v := range map[string]string{
				"Content-Encoding": "snappy", "Content-Type": "application/x-protobuf",
				"X-Prometheus-Remote-Write-Version": "0.1.0", "User-Agent": "vigil/test",
				"Authorization": c.want, "X-Scope-Orgid": c.auth.Headers["X-Scope-OrgID"],
			} {
				if h.Get(k) != v {
					t.Errorf("%s: %q, want %q", k, h.Get(k), v)
				}
			}
		})
	}
}

// No credential, token, header value or query reaches the log, whether
// the backend refuses or cannot be reached.
func TestWriterLogsNoSecrets(t *testing.T) {
	rc := newReceiver(t, status(http.StatusBadRequest))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	for _, base := range []string{rc.srv.URL, closed} {
		var log syncBuffer
		w, err := New(Config{URL: base + "/write?api_key=query-secret",
			Auth:  Auth{BearerToken: "token-secret", Headers: map[string]string{"X-Api-Key": "header-secret"}},
			Queue: QueueConfig{MaxSamplesPerSend: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}},
			Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
		if err != nil {
			t.Fatal(err)
		}
		stop := startWriter(t, w)
		w.Observe(result(0))
		waitFor(t, "the failure", func() bool { return w.Stats().SamplesFailed == 3 })
		stop()
		out := log.String()
		if !strings.Contains(out, base+"/write") {
			t.Errorf("the log does not name the endpoint:\n%s", out)
		}
		for _, secret := range []string{"query-secret", "token-secret", "header-secret"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s is in the log:\n%s", secret, out)
			}
		}
	}
}

// When Run's context ends, what is queued is still sent; what cannot be
// sent within FlushTimeout is dropped, and so is what comes later.
func TestWriterFlushesOnStop(t *testing.T) {
	rc := newReceiver(t, nil)
	w := newTestWriter(t, rc.srv.URL, clock.NewFake(t0), QueueConfig{MaxSamplesPerSend: 100, BatchSendDeadline: time.Hour, RetryFor: time.Hour}, nil)
	stop := startWriter(t, w)
	w.Observe(result(0))
	w.Observe(result(1))
	stop()
	if s := w.Stats(); s.SamplesSent != 6 || s.QueueSamples != 0 {
		t.Fatalf("stats after stop: %+v, want both results sent", s)
	}
	w.Observe(result(2))
	if s := w.Stats(); s.SamplesDropped != 3 || s.QueueSamples != 0 {
		t.Fatalf("a result after Run returned: %+v, want dropped", s)
	}

	down := newReceiver(t, status(http.StatusServiceUnavailable))
	w, err := New(Config{URL: down.srv.URL, FlushTimeout: 50 * time.Millisecond,
		Queue: QueueConfig{MaxSamplesPerSend: 100, BatchSendDeadline: time.Hour, RetryFor: time.Hour, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}},
		Options{Clock: clock.NewFake(t0)})
	if err != nil {
		t.Fatal(err)
	}
	stop = startWriter(t, w)
	w.Observe(result(0))
	w.Observe(result(1))
	stop()
	if s := w.Stats(); s.SamplesSent != 0 || s.SamplesFailed+s.SamplesDropped != 6 || s.QueueSamples != 0 {
		t.Fatalf("stats after a stop with the backend down: %+v, want all 6 failed or dropped", s)
	}
}

// Results observed from many goroutines are all accounted for: sent or dropped.
func TestWriterConcurrentObserve(t *testing.T) {
	rc := newReceiver(t, nil)
	w := newTestWriter(t, rc.srv.URL, clock.Real{}, QueueConfig{Capacity: 300, MaxSamplesPerSend: 60, BatchSendDeadline: time.Millisecond, RetryFor: time.Hour}, nil)
	stop := startWriter(t, w)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				w.Observe(result(g*1000 + i))
			}
		})
	}
	wg.Wait()
	stop()
	s := w.Stats()
	if s.SamplesSent+s.SamplesDropped != 8*500*3 || s.SamplesFailed != 0 {
		t.Fatalf("stats %+v: sent + dropped != %d", s, 8*500*3)
	}
	n := 0
	for _, starts := range rc.starts(t) {
		n += len(starts)
	}
	if uint64(3*n) != s.SamplesSent {
		t.Fatalf("the backend got %d results, stats say %d samples", n, s.SamplesSent)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, c := range []Config{
		{URL: "victoria:8428/api/v1/write"},
		{URL: "http://user:s3cret@victoria:8428/api/v1/write"},
		{URL: "http://victoria:8428/api/v1/write", Queue: QueueConfig{Capacity: 10, MaxSamplesPerSend: 20}},
		{URL: "http://victoria:8428/api/v1/write", Queue: QueueConfig{MinBackoff: time.Second, MaxBackoff: time.Millisecond}},
	} {
		if _, err := New(c, Options{}); err == nil {
			t.Errorf("New(%+v) accepted", c.Queue)
		} else if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error shows the password: %v", err)
		}
	}
	if _, err := New(Config{URL: "http://victoria:8428/api/v1/write"}, Options{}); err != nil {
		t.Fatal(err)
	}
}
