package probe

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	live := context.Background()
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Millisecond))
	defer cancel()
	cancelled, cancel2 := context.WithCancel(context.Background())
	cancel2()

	dial := func(err error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: err}}
	}
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		err   error
		inTLS bool
		want  Reason
	}{
		{"deadline passed, whatever the error", expired, dial(syscall.ECONNREFUSED), false, ReasonTimeout},
		{"cancelled", cancelled, errors.New("x"), false, ReasonTimeout},
		{"deadline error", live, fmt.Errorf("read: %w", context.DeadlineExceeded), false, ReasonTimeout},
		{"socket deadline", live, &net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}, false, ReasonTimeout},
		{"resolver timeout is dns", live, &net.DNSError{Err: "i/o timeout", Name: "a", IsTimeout: true}, false, ReasonDNS},
		{"no such host", live, &net.DNSError{Err: "no such host", Name: "a", IsNotFound: true}, false, ReasonDNS},
		{"refused", live, dial(syscall.ECONNREFUSED), false, ReasonConnect},
		{"unreachable", live, dial(syscall.EHOSTUNREACH), false, ReasonConnect},
		{"reset while reading", live, &net.OpError{Op: "read", Err: &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}}, false, ReasonConnect},
		{"unknown CA", live, fmt.Errorf("x: %w", x509.UnknownAuthorityError{}), false, ReasonTLS},
		{"hostname", live, x509.HostnameError{Certificate: &x509.Certificate{}, Host: "a"}, false, ReasonTLS},
		{"EOF during handshake", live, io.EOF, true, ReasonTLS},
		{"EOF", live, io.EOF, false, ReasonProtocol},
		{"unexpected EOF", live, io.ErrUnexpectedEOF, false, ReasonProtocol},
		{"malformed", live, errors.New(`malformed HTTP response "SSH-2.0"`), false, ReasonProtocol},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, msg := classify(tc.ctx, tc.err, tc.inTLS)
			if got != tc.want {
				t.Errorf("classify(%v) = %q (%s), want %q", tc.err, got, msg, tc.want)
			}
			if msg == "" {
				t.Error("empty message")
			}
		})
	}
	if r, msg := classify(live, nil, false); r != ReasonNone || msg != "" {
		t.Errorf("classify(nil) = %q %q", r, msg)
	}
}
