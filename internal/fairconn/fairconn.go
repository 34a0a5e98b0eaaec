// Package fairconn owns one scheduling fix for vigil's HTTP servers: a
// connection that has just sent a response lets the other runnable
// goroutines go first before it reads the next request.
//
// Why: when a client answers a response with its next request at once (a
// load generator, a proxy on the same host), net/http finds that request
// already buffered, serves it, and hands over to its background reader
// and back through the scheduler's runnext slot, which inherits the time
// slice. One connection can so keep a P for a whole 10 ms slice, a few
// of them in turn, while connections whose requests have arrived wait in
// the run queue: measured under wrk, 50-110 ms waits and a status page
// p99 of 30-70 ms, where with the yield it is 7-13 ms. Yielding once per
// response (runtime.Gosched, some 100 ns) breaks the chain; everything
// else about the connection is net.Conn's.
package fairconn

import (
	"net"
	"runtime"
	"sync/atomic"
)

// yield is runtime.Gosched; tests count it.
var yield = runtime.Gosched

// Listener wraps ln so that its connections yield before reading what
// follows a write.
func Listener(ln net.Listener) net.Listener { return listener{ln} }

type listener struct{ net.Listener }

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c}, nil
}

// conn yields in the first Read after a Write. net/http reads and writes
// a connection from different goroutines (its background reader), hence
// the atomic.
type conn struct {
	net.Conn
	wrote atomic.Bool
}

func (c *conn) Write(p []byte) (int, error) {
	c.wrote.Store(true)
	return c.Conn.Write(p)
}

func (c *conn) Read(p []byte) (int, error) {
	if c.wrote.Swap(false) {
		yield()
	}
	return c.Conn.Read(p)
}

// CloseWrite half-closes a TCP connection, as net/http does before closing
// one whose request it did not read to the end (so the client sees the
// response, not a reset).
func (c *conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
