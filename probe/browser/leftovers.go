package browser

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"
)

// killLeftovers kills every process whose command line names dir, until
// none shows up for a few passes in a row: a dying browser's helpers can
// still fork. Chromium's crash handler daemonizes, so it is no child of
// the browser; it names the browser's private config directory.
func killLeftovers(dir string) {
	const (
		quietPasses = 3
		pause       = 10 * time.Millisecond
		limit       = 2 * time.Second
	)
	deadline := time.Now().Add(limit)
	for quiet := 0; quiet < quietPasses && time.Now().Before(deadline); time.Sleep(pause) {
		if killProcessesNaming(dir) == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
}

// killProcessesNaming sends SIGKILL to the processes with dir in an
// argument and returns how many it found. Without /proc it finds none.
func killProcessesNaming(dir string) int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	self, want := os.Getpid(), []byte(dir)
	n := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil || !bytes.Contains(cmdline, want) {
			continue
		}
		if syscall.Kill(pid, syscall.SIGKILL) == nil {
			n++
		}
	}
	return n
}
