package probe

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// stampConn turns on kernel receive stamps for a TCP connection and
// returns it wrapped; anything else, or a socket that refuses, is returned
// as it is and measured by the goroutines' clock.
func stampConn(c net.Conn) net.Conn {
	keepStampingOn()
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return c
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return c
	}
	var (
		optErr error
		rtt    time.Duration
	)
	if err := raw.Control(func(fd uintptr) {
		optErr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1)
		rtt = handshakeRTT(fd)
	}); err != nil || optErr != nil {
		return c
	}
	return &linuxStampedConn{stampedConn: newStampedConn(c, rtt), raw: raw}
}

// handshakeRTT is the TCP handshake's round trip as the kernel timed it on
// a freshly connected socket, or 0 when the SYN had to be sent again (then
// the wait counts too and only the goroutine's clock has it).
func handshakeRTT(fd uintptr) time.Duration {
	info, err := unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil || info.Total_retrans != 0 {
		return 0
	}
	return time.Duration(info.Rtt) * time.Microsecond
}

// connectRTT is handshakeRTT for a connection just dialled, or 0.
func connectRTT(c net.Conn) (rtt time.Duration) {
	if tc, ok := c.(*net.TCPConn); ok {
		if raw, err := tc.SyscallConn(); err == nil {
			_ = raw.Control(func(fd uintptr) { rtt = handshakeRTT(fd) })
		}
	}
	return rtt
}

// keepStampingOn holds one socket with receive stamps on for the life of
// the process. The kernel stamps packets only while some socket asks for
// it, and turns stamping on in deferred work: a probe's connection that was
// the only one would miss the stamps of its first packets.
var keepStampingOn = sync.OnceFunc(func() {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return
	}
	if unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1) != nil {
		unix.Close(fd)
	}
})

// linuxStampedConn reads with recvmsg to get the SCM_TIMESTAMPNS message:
// for TCP the kernel reports the arrival of the latest segment the read
// consumed (segments queued before a read are merged under the latest
// one's stamp).
type linuxStampedConn struct {
	stampedConn
	raw syscall.RawConn
}

// Read reads like net.TCPConn.Read (deadlines, close and errors behave the
// same) and records the arrival stamps.
func (c *linuxStampedConn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	var (
		n     int
		stamp int64
		rerr  error
	)
	err := c.raw.Read(func(fd uintptr) bool {
		var oob [64]byte // room for the one timestamp message
		for {
			var oobn int
			n, oobn, _, _, rerr = unix.Recvmsg(int(fd), p, oob[:], 0)
			if rerr == nil {
				raceSync(fd)
				stamp = receiveStamp(oob[:oobn])
			}
			if rerr != unix.EINTR {
				return rerr != unix.EAGAIN // EAGAIN: wait until readable
			}
		}
	})
	if err != nil { // a deadline or a close, as net.TCPConn reports it
		var op *net.OpError
		if errors.As(err, &op) {
			err = op.Err
		}
		return 0, c.opError(err)
	}
	if rerr != nil {
		return 0, c.opError(os.NewSyscallError("read", rerr))
	}
	if n == 0 {
		c.ended(time.Now())
		return 0, io.EOF
	}
	c.stamped(stamp, time.Now())
	return n, nil
}

func (c *linuxStampedConn) opError(err error) error {
	return &net.OpError{Op: "read", Net: "tcp", Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: err}
}

// receiveStamp finds SCM_TIMESTAMPNS in a control message buffer and
// returns it as Unix nanoseconds, or 0.
func receiveStamp(oob []byte) int64 {
	for len(oob) >= unix.SizeofCmsghdr {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
		if h.Len < unix.SizeofCmsghdr || int(h.Len) > len(oob) {
			return 0
		}
		data := oob[unix.SizeofCmsghdr:h.Len]
		if h.Level == unix.SOL_SOCKET && h.Type == unix.SCM_TIMESTAMPNS && len(data) >= int(unsafe.Sizeof(unix.Timespec{})) {
			ts := (*unix.Timespec)(unsafe.Pointer(&data[0]))
			return ts.Nano()
		}
		next := cmsgAlign(int(h.Len))
		if next >= len(oob) {
			break
		}
		oob = oob[next:]
	}
	return 0
}

// cmsgAlign rounds a control message length up as CMSG_ALIGN does.
func cmsgAlign(n int) int {
	const align = int(unsafe.Sizeof(uintptr(0)))
	return (n + align - 1) &^ (align - 1)
}
