package probe

import (
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// stampedPair returns a stamped client connection and the server's end.
func stampedPair(t *testing.T) (*linuxStampedConn, *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	sc, ok := stampConn(c).(*linuxStampedConn)
	if !ok {
		t.Fatalf("stampConn gave %T, want a stamped connection", stampConn(c))
	}
	srv := (<-accepted).(*net.TCPConn)
	t.Cleanup(func() { sc.Close(); srv.Close() })
	return sc, srv
}

// A read that happens long after the bytes arrived still reports when they
// arrived; the end of the stream is dated when it is read.
func TestStampedConnReportsArrivalNotReadTime(t *testing.T) {
	c, srv := stampedPair(t)
	if _, err := c.Write([]byte("GET")); err != nil {
		t.Fatal(err)
	}
	requested, ok := c.requestStart()
	if !ok {
		t.Fatal("the write was not noted as the request's start")
	}
	if _, err := io.ReadFull(srv, make([]byte, 3)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	_, _ = srv.Write([]byte("a"))
	if n, err := c.Read(buf); err != nil || n != 1 { // at once: stamp and read agree
		t.Fatalf("first read = %d, %v", n, err)
	}
	first, ok := c.lastArrival()
	if !ok || first.Before(requested) {
		t.Fatalf("first arrival %v (ok %v) before the request at %v", first, ok, requested)
	}
	const gap = 40 * time.Millisecond
	time.Sleep(gap)
	sent := time.Now()
	_, _ = srv.Write([]byte("bc"))
	time.Sleep(2 * gap) // the client reads late
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "bc" {
		t.Fatalf("second read = %q, %v", buf[:n], err)
	}
	readAt := time.Now()
	last, _ := c.lastArrival()
	if d := last.Sub(sent); d < 0 || d > gap/2 {
		t.Errorf("last segment stamped %v after it was sent, want about 0", d)
	}
	if d := readAt.Sub(last); d < 2*gap {
		t.Errorf("last stamped %v before the read, want at least %v", d, 2*gap)
	}

	srv.Close()
	if _, err := c.Read(buf); err != io.EOF {
		t.Fatalf("read after close = %v, want EOF", err)
	}
	if end, _ := c.lastArrival(); end.Before(readAt) {
		t.Errorf("the end of the stream dated %v before it was read", readAt.Sub(end))
	}
}

// Reads end the way net.TCPConn's do: EOF, deadlines, resets.
func TestStampedConnReadErrors(t *testing.T) {
	t.Run("eof", func(t *testing.T) {
		c, srv := stampedPair(t)
		srv.Close()
		if _, err := c.Read(make([]byte, 4)); err != io.EOF {
			t.Errorf("err = %v, want io.EOF", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		c, _ := stampedPair(t)
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		_, err := c.Read(make([]byte, 4))
		var ne net.Error
		if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("err = %v, want a net.Error timeout wrapping os.ErrDeadlineExceeded", err)
		}
	})
	t.Run("reset", func(t *testing.T) {
		c, srv := stampedPair(t)
		_ = srv.SetLinger(0) // close with RST
		srv.Close()
		_, err := c.Read(make([]byte, 4))
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("err = %v, want ECONNRESET", err)
		}
		var op *net.OpError
		if !errors.As(err, &op) || op.Op != "read" {
			t.Errorf("err = %#v, want a *net.OpError for read", err)
		}
	})
	t.Run("closed", func(t *testing.T) {
		c, _ := stampedPair(t)
		go func() { time.Sleep(20 * time.Millisecond); c.Close() }()
		_, err := c.Read(make([]byte, 4))
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("err = %v, want net.ErrClosed", err)
		}
	})
}
