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
// Times are kept as monotonic offsets from clockBase (0 = none yet), set by
// net/http's goroutines while the probe reads them, hence atomics:
//   - wrote: when the latest Write began (a request going out);
//   - first: the arrival of the first segment after that write (the first
//     byte of the answer), and answerTo the write it answers;
//   - last: the arrival of the latest segment read.
//
// handshake is the TCP handshake's round trip as the kernel measured it (0
// when unknown): the connect phase without the wait for the dialling
// goroutine to be woken.
type stampedConn struct {
	net.Conn
	handshake time.Duration
	wrote     atomic.Int64
	answerTo  atomic.Int64
	first     atomic.Int64
	last      atomic.Int64
	await     atomic.Bool // a Write happened and no answer byte was read since
}

// clockBase anchors the monotonic offsets a stampedConn keeps.
var clockBase = time.Now()

func monoOffset(t time.Time) int64 { return int64(t.Sub(clockBase)) }

func fromOffset(ns int64) time.Time { return clockBase.Add(time.Duration(ns)) }

// Write marks the start of a request: the next segment that arrives after
// it is the answer's first byte.
func (c *stampedConn) Write(p []byte) (int, error) {
	c.wrote.Store(monoOffset(time.Now()))
	c.await.Store(true)
	return c.Conn.Write(p)
}

// stamped records the kernel's arrival stamp (wall-clock Unix ns, 0 = none)
// of the data one read returned; seen is when that read returned. Segments
// that arrived before the latest write (a TLS session ticket still in the
// buffer) are not its answer.
func (c *stampedConn) stamped(ns int64, seen time.Time) {
	at, ok := arrival(ns, seen)
	if !ok {
		return
	}
	off := monoOffset(at)
	c.last.Store(off)
	if wrote := c.wrote.Load(); c.await.Load() && off >= wrote {
		c.answerTo.Store(wrote)
		c.first.Store(off)
		c.await.Store(false)
	}
}

func (c *stampedConn) stamps() *stampedConn { return c }

// answer returns when the request began to go out and when the first byte
// of its answer arrived; ok is false until that byte has been read.
func (c *stampedConn) answer() (wrote, first time.Time, ok bool) {
	f := c.first.Load()
	if f == 0 {
		return time.Time{}, time.Time{}, false
	}
	return fromOffset(c.answerTo.Load()), fromOffset(f), true
}

// lastArrival returns when the latest segment read arrived, if any was.
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
