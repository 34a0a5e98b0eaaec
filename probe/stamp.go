package probe

import (
	"net"
	"sync/atomic"
	"time"
)

// stampedConn is a TCP connection that knows when its bytes arrived by
// the kernel's clock (SO_TIMESTAMPNS, the way ping times its replies), not
// by when a goroutine got around to reading them. A daemon running
// thousands of probes is sometimes busy (garbage collection, a commit, a
// descheduled CPU); with arrival stamps its own busyness does not show up
// in the durations it reports for the target.
//
// Times are monotonic offsets from clockBase (0 = none yet), set by
// net/http's goroutines while the probe reads them, hence atomics:
//   - created: when the connection was wrapped, just after it was made;
//   - request: when the first write since markRequest began (the request
//     starting out, after any TLS handshake);
//   - last: the arrival of the latest data read, or when the end of the
//     stream was read (a FIN carries no stamp).
//
// handshake is the TCP handshake's round trip as the kernel measured it (0
// when unknown): the connect phase without the wait for the dialling
// goroutine to be woken.
type stampedConn struct {
	net.Conn
	handshake time.Duration
	created   int64
	request   atomic.Int64
	last      atomic.Int64
}

// clockBase anchors the monotonic offsets a stampedConn keeps: an hour
// back, so that the offset of any time this process deals with is positive
// (0 means none).
var clockBase = time.Now().Add(-time.Hour)

func monoOffset(t time.Time) int64 { return int64(t.Sub(clockBase)) }

func fromOffset(ns int64) time.Time { return clockBase.Add(time.Duration(ns)) }

func newStampedConn(c net.Conn, handshake time.Duration) stampedConn {
	return stampedConn{Conn: c, handshake: handshake, created: monoOffset(time.Now())}
}

func (c *stampedConn) stamps() *stampedConn { return c }

// Write notes the start of the request.
func (c *stampedConn) Write(p []byte) (int, error) {
	c.request.CompareAndSwap(0, monoOffset(time.Now()))
	return c.Conn.Write(p)
}

// markRequest says that the next write starts the request: the ones before
// were the TLS handshake's.
func (c *stampedConn) markRequest() { c.request.Store(0) }

// stamped records the kernel's arrival stamp (wall-clock Unix ns, 0 = none)
// of the data one read returned; seen is when that read returned. A stamp
// from before the connection existed means the wall clock was stepped.
func (c *stampedConn) stamped(ns int64, seen time.Time) {
	if at, ok := arrival(ns, seen); ok {
		if off := monoOffset(at); off >= c.created {
			c.last.Store(off)
		}
	}
}

// ended records that a read found the end of the stream at seen.
func (c *stampedConn) ended(seen time.Time) { c.last.Store(monoOffset(seen)) }

// requestStart returns when the request began to go out, if it has.
func (c *stampedConn) requestStart() (time.Time, bool) {
	r := c.request.Load()
	return fromOffset(r), r != 0
}

// lastArrival returns when the latest data read arrived, if any was.
func (c *stampedConn) lastArrival() (time.Time, bool) {
	l := c.last.Load()
	return fromOffset(l), l != 0
}

// maxReadDelay bounds how late a read can plausibly be; a larger gap
// between a stamp and its read means the wall clock was stepped.
const maxReadDelay = time.Minute

// arrival maps a kernel stamp (wall-clock ns) onto the monotonic clock by
// way of seen, the time the read returned: seen moved back by how late the
// read was. ok is false without a stamp or with an implausible one.
func arrival(ns int64, seen time.Time) (time.Time, bool) {
	if ns == 0 {
		return time.Time{}, false
	}
	late := seen.Sub(time.Unix(0, ns)) // time.Unix has no monotonic reading: wall minus wall
	if late < 0 || late > maxReadDelay {
		return time.Time{}, false
	}
	return seen.Add(-late), true
}

// stampOf returns the stamped connection under c (a TLS connection wraps
// it), or nil.
func stampOf(c net.Conn) *stampedConn {
	for c != nil {
		switch v := c.(type) {
		case interface{ stamps() *stampedConn }:
			return v.stamps()
		case interface{ NetConn() net.Conn }:
			c = v.NetConn()
		default:
			return nil
		}
	}
	return nil
}
