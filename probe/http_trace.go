package probe

import (
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"time"
)

// roundTripTrace collects the phases of one HTTP probe through
// net/http/httptrace, summed over every round trip (redirects included):
//
//	dns       DNSStart → DNSDone
//	connect   first ConnectStart → a successful ConnectDone
//	tls       TLSHandshakeStart → TLSHandshakeDone
//	ttfb      GotConn → GotFirstResponseByte (sending the request, an
//	          upload included, and the server's time)
//	transfer  GotFirstResponseByte → the body read (or the next round trip
//	          starting, for a redirect)
//
// With a stamped connection (stamp.go) the connect phase is the kernel's
// handshake round trip, ttfb starts when the request's first write does,
// and the first and last bytes of the answer are dated by their arrival,
// rather than by hooks that run whenever a goroutine gets to them.
//
// The probe's total is the sum of its phases: the time the network and the
// target took. The gaps between phases are vigil's own (net/http handing
// the connection from its dial goroutine to the writer); counting them
// would blame the target for the daemon's busyness.
//
// Hooks can run on net/http's dial goroutine, also after the probe has
// returned (a dial abandoned at the deadline), so every field is guarded by
// mu and nothing is recorded once finish has been called. One is allocated
// per probe and never reused, so a late hook cannot touch another probe.
type roundTripTrace struct {
	mu       sync.Mutex
	done     bool
	phases   Phases
	phase    string // what the probe is doing now, for timeout messages
	inTLS    bool   // a TLS handshake is under way or has just failed
	dnsStart time.Time
	connect  time.Time // first connect attempt of the current round trip
	tlsStart time.Time
	request  time.Time // the current round trip's GotConn: its request starts out
	first    time.Time // first response byte of the latest round trip
	conn     *stampedConn
	attempts int           // connect attempts in the current round trip
	connTook time.Duration // the current round trip's connect phase, as the hooks saw it

	trace httptrace.ClientTrace
}

// newRoundTripTrace returns a trace with its hooks wired.
func newRoundTripTrace() *roundTripTrace {
	t := &roundTripTrace{phase: "connect"}
	t.trace = httptrace.ClientTrace{
		GetConn:              t.getConn,
		GotConn:              t.gotConn,
		DNSStart:             t.dnsStarted,
		DNSDone:              t.dnsDone,
		ConnectStart:         t.connectStarted,
		ConnectDone:          t.connectDone,
		TLSHandshakeStart:    t.tlsStarted,
		TLSHandshakeDone:     t.tlsDone,
		WroteRequest:         t.wroteRequest,
		GotFirstResponseByte: t.gotFirstByte,
	}
	return t
}

// record runs f with the lock held unless the probe has finished.
func (t *roundTripTrace) record(f func(now time.Time)) {
	now := time.Now()
	t.mu.Lock()
	if !t.done {
		f(now)
	}
	t.mu.Unlock()
}

// getConn starts a round trip; the previous one's transfer (a redirect's
// body being drained) ends here.
func (t *roundTripTrace) getConn(string) {
	t.record(func(now time.Time) {
		if !t.first.IsZero() {
			t.phases.Transfer += t.lastByte(now).Sub(t.first)
			t.first = time.Time{}
		}
		t.connect, t.request, t.conn = time.Time{}, time.Time{}, nil
		t.attempts, t.connTook = 0, 0
		t.phase = "connect"
	})
}

// gotConn takes the round trip's connection, stamped if dialled by us.
func (t *roundTripTrace) gotConn(info httptrace.GotConnInfo) {
	t.record(func(now time.Time) {
		t.request = now
		t.conn = stampOf(info.Conn)
		if t.conn != nil {
			t.conn.markRequest()
		}
		// One attempt that the kernel timed: its handshake round trip is
		// the connect phase (a failed attempt before it would be missed).
		if c := t.conn; c != nil && t.attempts == 1 && c.handshake > 0 && c.handshake < t.connTook {
			t.phases.Connect -= t.connTook - c.handshake
			t.connTook = c.handshake
		}
	})
}

// lastByte is when the latest response byte arrived: its kernel stamp, or
// seen, the time a goroutine noticed.
func (t *roundTripTrace) lastByte(seen time.Time) time.Time {
	if t.conn != nil {
		if at, ok := t.conn.lastArrival(); ok && at.Before(seen) {
			return maxTime(at, t.first) // stamps of merged segments can tie with the first
		}
	}
	return seen
}

func (t *roundTripTrace) dnsStarted(httptrace.DNSStartInfo) {
	t.record(func(now time.Time) { t.dnsStart, t.phase = now, "dns" })
}

func (t *roundTripTrace) dnsDone(httptrace.DNSDoneInfo) {
	t.record(func(now time.Time) {
		if !t.dnsStart.IsZero() {
			t.phases.DNS += now.Sub(t.dnsStart)
			t.dnsStart = time.Time{}
		}
		t.phase = "connect"
	})
}

func (t *roundTripTrace) connectStarted(string, string) {
	t.record(func(now time.Time) {
		t.attempts++
		if t.connect.IsZero() {
			t.connect = now
		}
		t.phase = "connect"
	})
}

func (t *roundTripTrace) connectDone(_, _ string, err error) {
	if err != nil {
		return // another attempt may follow; the phase runs until one works
	}
	t.record(func(now time.Time) {
		if !t.connect.IsZero() {
			t.connTook = now.Sub(t.connect)
			t.phases.Connect += t.connTook
			t.connect = time.Time{}
		}
	})
}

func (t *roundTripTrace) tlsStarted() {
	t.record(func(now time.Time) { t.tlsStart, t.phase, t.inTLS = now, "tls", true })
}

func (t *roundTripTrace) tlsDone(_ tls.ConnectionState, err error) {
	t.record(func(now time.Time) {
		if !t.tlsStart.IsZero() {
			t.phases.TLS += now.Sub(t.tlsStart)
			t.tlsStart = time.Time{}
		}
		t.inTLS = err != nil
		t.phase = "request"
	})
}

func (t *roundTripTrace) wroteRequest(httptrace.WroteRequestInfo) {
	t.record(func(time.Time) { t.phase = "ttfb" })
}

// gotFirstByte ends the TTFB phase, which runs from the request starting
// out (an upload included) to the answer's first byte. The hook runs on the
// goroutine whose read brought that byte, right after it: the connection's
// latest arrival stamp is that read's.
func (t *roundTripTrace) gotFirstByte() {
	t.record(func(now time.Time) {
		start, first := t.request, now
		if c := t.conn; c != nil {
			if at, ok := c.requestStart(); ok {
				start = at
			}
			if at, ok := c.lastArrival(); ok && !at.Before(start) && !at.After(now) {
				first = at
			}
		}
		if !start.IsZero() {
			t.phases.TTFB += first.Sub(start)
		}
		t.first, t.phase = first, "transfer"
	})
}

// finish closes the trace at end (the body read, or the failure) and
// returns a copy of the phases (so a kept Result does not hold the trace),
// the phase that was under way, and whether a TLS handshake was under way
// or failed. Hooks that run later are ignored.
func (t *roundTripTrace) finish(end time.Time) (ph *Phases, phase string, inTLS bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.done {
		if !t.first.IsZero() {
			t.phases.Transfer += t.lastByte(end).Sub(t.first)
		}
		t.done = true
	}
	ph = new(Phases)
	*ph = t.phases
	return ph, t.phase, t.inTLS
}

func maxTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}
