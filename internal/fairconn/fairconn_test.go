package fairconn

import (
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// An HTTP server over the listener answers keep-alive requests as usual,
// and yields once per response before reading the next request.
func TestKeepAliveRequestsYieldOncePerResponse(t *testing.T) {
	var yields atomic.Int64
	defer func(old func()) { yield = old }(yield)
	yield = func() { yields.Add(1) }

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "page "+r.URL.Path)
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(Listener(ln))
	defer srv.Close()

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const n = 50
	buf := make([]byte, 4096)
	for i := range n {
		if _, err := io.WriteString(c, "GET /x HTTP/1.1\r\nHost: vigil\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		m, err := c.Read(buf)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if resp := string(buf[:m]); !strings.HasPrefix(resp, "HTTP/1.1 200 OK") || !strings.HasSuffix(resp, "page /x") {
			t.Fatalf("request %d: %q", i, resp)
		}
	}
	// The server reads request i+1 after writing response i: n-1 reads
	// follow a response by the time the last answer is in.
	if got := yields.Load(); got < n-1 || got > n {
		t.Errorf("%d yields for %d responses on one connection, want one per response", got, n)
	}
}

// CloseWrite reaches the TCP connection: the peer reads EOF and can still
// write.
func TestCloseWriteHalfCloses(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	fl := Listener(ln)
	done := make(chan string, 1)
	go func() {
		c, err := fl.Accept()
		if err != nil {
			done <- err.Error()
			return
		}
		defer c.Close()
		_ = c.(interface{ CloseWrite() error }).CloseWrite()
		b, _ := io.ReadAll(c)
		done <- string(b)
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("after CloseWrite the peer read %d bytes, %v; want EOF", n, err)
	}
	io.WriteString(c, "still open")
	c.Close()
	if got := <-done; got != "still open" {
		t.Errorf("the half-closed side read %q", got)
	}
}
