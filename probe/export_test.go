package probe

import (
	"net"
	"time"
)

// StampAccepted is stampConn for a test server's accepted connections,
// which may hold data that arrived before Accept returned (stampConn takes
// a stamp from before it was called for a stepped clock).
func StampAccepted(c net.Conn) net.Conn {
	c = stampConn(c)
	if sc := stampOf(c); sc != nil {
		sc.created = 1
	}
	return c
}

// ArrivalOf tells a test server (its connections wrapped with StampConn)
// when the latest data it read on c arrived by the kernel's clock: called
// by a handler, the request's arrival.
func ArrivalOf(c net.Conn) (time.Time, bool) {
	if sc := stampOf(c); sc != nil {
		return sc.lastArrival()
	}
	return time.Time{}, false
}

// FirstWriteOf tells a test server when its first write on c began: its
// answer going out.
func FirstWriteOf(c net.Conn) (time.Time, bool) {
	if sc := stampOf(c); sc != nil {
		return sc.requestStart()
	}
	return time.Time{}, false
}
