package probe

import (
	"net/http/httptrace"
	"testing"
	"time"
)

// The trace takes the request's start and the answer's arrivals from a
// stamped connection, however late its hooks run, and sums them over
// redirects.
func TestTraceTakesArrivalStamps(t *testing.T) {
	base := time.Now().Add(-200 * time.Millisecond) // the hooks below run "late"
	at := func(ms int) time.Time { return base.Add(time.Duration(ms) * time.Millisecond) }
	hop := func(tr *roundTripTrace, start, answered, ended int) {
		c := newStampedConn(nil, 0)
		c.created = monoOffset(base)
		c.request.Store(monoOffset(at(start - 1))) // a TLS handshake's write
		tr.getConn("target")
		tr.connectStarted("tcp", "target")
		tr.connectDone("tcp", "target", nil)
		tr.gotConn(httptrace.GotConnInfo{Conn: &c})
		c.request.CompareAndSwap(0, monoOffset(at(start))) // the request's first write
		c.stamped(at(start+5).UnixNano(), time.Now())      // a session ticket, read by crypto/tls
		c.stamped(at(answered).UnixNano(), time.Now())     // the read that brought the answer
		tr.wroteRequest(httptrace.WroteRequestInfo{})
		tr.gotFirstByte()
		c.stamped(at(ended).UnixNano(), time.Now())
	}
	tr := newRoundTripTrace()
	hop(tr, 0, 20, 23)     // a redirect: 20 ms to the answer, 3 ms of body
	hop(tr, 100, 130, 135) // the final answer: 30 ms, 5 ms of body
	ph, _, _ := tr.finish(time.Now())
	// Stamps are wall-clock times: the clock's slewing since base may
	// show (at most 500 ppm).
	near := func(got, want time.Duration) bool { return (got - want).Abs() <= 100*time.Microsecond }
	if !near(ph.TTFB, 50*time.Millisecond) || !near(ph.Transfer, 8*time.Millisecond) {
		t.Errorf("ttfb %v, transfer %v; want 50ms and 8ms from the stamps", ph.TTFB, ph.Transfer)
	}
}

// When the answer brought no stamp, the latest one on the connection (the
// TLS handshake's) is not taken for it: the hook's time stands.
func TestStaleStampIsNotTheAnswer(t *testing.T) {
	now := time.Now()
	c := newStampedConn(nil, 0)
	c.created = monoOffset(now.Add(-time.Second))
	c.stamped(now.Add(-20*time.Millisecond).UnixNano(), now) // the server's handshake flight
	tr := newRoundTripTrace()
	tr.getConn("target")
	tr.gotConn(httptrace.GotConnInfo{Conn: &c})
	c.request.CompareAndSwap(0, monoOffset(now.Add(-10*time.Millisecond)))
	tr.gotFirstByte()
	ph, _, _ := tr.finish(time.Now())
	if ph.TTFB < 10*time.Millisecond {
		t.Errorf("ttfb %v, want at least the 10ms since the request", ph.TTFB)
	}
}

// A stamp from before the connection existed (the wall clock was stepped
// back) is ignored.
func TestStampBeforeConnectionIsIgnored(t *testing.T) {
	now := time.Now()
	c := newStampedConn(nil, 0)
	c.stamped(now.Add(-time.Second).UnixNano(), now)
	if _, ok := c.lastArrival(); ok {
		t.Error("a stamp from before the connection was kept")
	}
}

// A stamp from the future or from long ago (the wall clock was stepped) is
// ignored rather than trusted.
func TestArrivalIgnoresImplausibleStamps(t *testing.T) {
	now := time.Now()
	for name, ns := range map[string]int64{
		"none":   0,
		"future": now.Add(time.Second).UnixNano(),
		"old":    now.Add(-2 * maxReadDelay).UnixNano(),
	} {
		if _, ok := arrival(ns, now); ok {
			t.Errorf("%s: stamp accepted", name)
		}
	}
	got, ok := arrival(now.Add(-3*time.Millisecond).UnixNano(), now)
	if d := now.Sub(got) - 3*time.Millisecond; !ok || d.Abs() > 10*time.Microsecond {
		t.Errorf("arrival = %v before now (ok %v), want 3ms", now.Sub(got), ok)
	}
}

// The connect phase is the kernel's handshake round trip when the hooks
// saw one attempt that took longer (the dialling goroutine woke late), and
// stays as the hooks saw it after a failed attempt.
func TestConnectPhaseTakesHandshakeRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		want     func(time.Duration) bool
	}{
		{1, func(d time.Duration) bool { return d == 100*time.Microsecond }},
		{2, func(d time.Duration) bool { return d >= 5*time.Millisecond }},
	} {
		tr := newRoundTripTrace()
		tr.getConn("target")
		for range tc.attempts {
			tr.connectStarted("tcp", "target")
		}
		time.Sleep(5 * time.Millisecond)
		tr.connectDone("tcp", "target", nil)
		tr.gotConn(httptrace.GotConnInfo{Conn: &stampedConn{handshake: 100 * time.Microsecond}})
		if ph, _, _ := tr.finish(time.Now()); !tc.want(ph.Connect) {
			t.Errorf("%d attempts: connect = %v", tc.attempts, ph.Connect)
		}
	}
}
