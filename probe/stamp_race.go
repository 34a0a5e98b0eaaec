//go:build race && linux

package probe

import "syscall"

// raceSync tells the race detector that data read from fd came from its
// writer, as syscall.Read does for net.Conn (recvmsg from x/sys does not):
// a zero-length read consumes nothing and carries the annotation.
func raceSync(fd uintptr) { _, _ = syscall.Read(int(fd), nil) }
