package browser

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat;
// it is 100 on every Linux vigil runs on.
const clockTicks = 100

// procInfo is what the tests read of one process from /proc.
type procInfo struct {
	pid, ppid int
	state     byte   // R, S, Z, …
	cpuTicks  uint64 // user + system time, in clockTicks
	// childTicks is the CPU time of its children that ended and were
	// waited for: a renderer that lived for one run leaves its time here.
	childTicks uint64
	cmdline    string // arguments joined by spaces
}

// readProc reads /proc/<pid>/stat and cmdline.
func readProc(pid int) (procInfo, error) {
	p, err := readStat(pid)
	if err != nil {
		return p, err
	}
	cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	p.cmdline = strings.TrimSpace(string(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '})))
	return p, nil
}

// readStat reads /proc/<pid>/stat only (no cmdline).
func readStat(pid int) (procInfo, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procInfo{}, err
	}
	// The command name, in parentheses, may hold spaces: the fields
	// start after the last ')'.
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return procInfo{}, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(string(stat[end+1:]))
	if len(f) < 15 {
		return procInfo{}, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	p := procInfo{pid: pid, state: f[0][0]}
	p.ppid, _ = strconv.Atoi(f[1])
	utime, _ := strconv.ParseUint(f[11], 10, 64)
	stime, _ := strconv.ParseUint(f[12], 10, 64)
	p.cpuTicks = utime + stime
	cutime, _ := strconv.ParseUint(f[13], 10, 64)
	cstime, _ := strconv.ParseUint(f[14], 10, 64)
	p.childTicks = cutime + cstime
	return p, nil
}

// allProcs reads every process of the machine.
func allProcs() map[int]procInfo { return scanProcs(readProc) }

// allStats reads every process of the machine without command lines:
// cheap enough to sample often.
func allStats() map[int]procInfo { return scanProcs(readStat) }

func scanProcs(read func(int) (procInfo, error)) map[int]procInfo {
	entries, _ := os.ReadDir("/proc")
	out := make(map[int]procInfo, len(entries))
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, err := read(pid); err == nil {
			out[pid] = p
		}
	}
	return out
}

// tree returns root and all its living descendants.
func tree(procs map[int]procInfo, root int) []procInfo {
	var out []procInfo
	for _, p := range treeWithZombies(procs, root) {
		if p.state != 'Z' {
			out = append(out, p)
		}
	}
	return out
}

// treeWithZombies returns root and all its descendants, the ones that
// ended but were not waited for yet included (they still report their
// CPU time).
func treeWithZombies(procs map[int]procInfo, root int) []procInfo {
	children := map[int][]int{}
	for _, p := range procs {
		children[p.ppid] = append(children[p.ppid], p.pid)
	}
	var out []procInfo
	var walk func(int)
	walk = func(pid int) {
		p, ok := procs[pid]
		if !ok {
			return
		}
		out = append(out, p)
		for _, c := range children[pid] {
			walk(c)
		}
	}
	walk(root)
	return out
}

// rssKiB reads VmRSS of a process, 0 when it is gone.
func rssKiB(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// running reports whether pid is a process that still runs (a zombie
// holds no memory and runs nothing: it only waits for its parent).
func running(pid int) bool {
	p, err := readStat(pid)
	return err == nil && p.state != 'Z'
}

// userDataDir is the profile directory on a Chromium command line.
func userDataDir(cmdline string) string {
	for _, arg := range strings.Fields(cmdline) {
		if v, ok := strings.CutPrefix(arg, "--user-data-dir="); ok {
			return v
		}
	}
	return ""
}

// browserPID is the pid of the runner's current browser, 0 when none.
func (r *Runner) browserPID() int {
	r.lock <- struct{}{}
	defer func() { <-r.lock }()
	if r.cur == nil || !r.cur.alive() {
		return 0
	}
	return r.cur.pid
}

// current is the runner's current browser, nil when none.
func (r *Runner) current() *process {
	r.lock <- struct{}{}
	defer func() { <-r.lock }()
	return r.cur
}

// kill sends SIGKILL to pid.
func kill(t testing.TB, pid int) {
	t.Helper()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill %d: %v", pid, err)
	}
}
