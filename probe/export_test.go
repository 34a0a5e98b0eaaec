package probe

import (
	"net"
	"time"
)

// ServedStamps tells a test server (its connections wrapped with
// StampConn) when the request on c arrived by the kernel's clock and when
// its answer began to be written: the server's true time for the request.
func ServedStamps(c net.Conn) (arrived, wrote time.Time, ok bool) {
	sc := stampOf(c)
	if sc == nil {
		return time.Time{}, time.Time{}, false
	}
	a, ok := sc.lastArrival()
	w := sc.wrote.Load()
	return a, fromOffset(w), ok && w != 0
}

// StampConn is stampConn for tests outside the package.
var StampConn = stampConn
