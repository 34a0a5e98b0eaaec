//go:build !linux

package probe

import (
	"net"
	"time"
)

// stampConn returns c as it is: kernel receive stamps are read on Linux
// only, elsewhere probes are timed by the goroutines' clock.
func stampConn(c net.Conn) net.Conn { return c }

// connectRTT is unknown here: the connect phase is the goroutine's.
func connectRTT(net.Conn) time.Duration { return 0 }
