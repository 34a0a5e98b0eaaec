package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// crashChildEnv names the data dir of TestHelperStateCrashChild; it is set
// only by TestStateDurableAcrossKill for the child it starts.
const crashChildEnv = "VIGIL_TEST_STATE_CRASH_CHILD_DIR"

// TestHelperStateCrashChild is the child of TestStateDurableAcrossKill:
// it schedules windows as fast as it can and prints each id once
// ScheduleMaintenance has returned, until it is killed.
func TestHelperStateCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("helper process of TestStateDurableAcrossKill")
	}
	s, err := OpenState(dir, nil)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	deadline := time.Now().Add(time.Minute) // never outlive a parent that died
	for i := 0; time.Now().Before(deadline); i++ {
		in := testWindow()
		in.Title = fmt.Sprintf("crash test %d", i)
		m, err := s.ScheduleMaintenance(context.Background(), in, time.Now())
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		// os.Stdout is unbuffered: the parent may see this line as soon as
		// the write returns.
		fmt.Println("scheduled", m.ID)
	}
	os.Exit(3)
}

// TestStateDurableAcrossKill kills a process with SIGKILL while it
// schedules windows and checks that every window whose call had returned
// is in the database afterwards.
func TestStateDurableAcrossKill(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("in the child")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStateCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const killAfter = 30
	var acknowledged []string
	lines := bufio.NewScanner(out)
	killed := false
	for lines.Scan() {
		line := lines.Text()
		if msg, ok := strings.CutPrefix(line, "error "); ok {
			t.Fatalf("child: %s", msg)
		}
		id, ok := strings.CutPrefix(line, "scheduled ")
		if !ok {
			continue
		}
		acknowledged = append(acknowledged, id)
		if len(acknowledged) == killAfter && !killed {
			// Mid-way: the child is inside its next ScheduleMaintenance.
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child ended before it was killed: %v", err)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die of SIGKILL: %v", cmd.ProcessState)
	}

	s, err := OpenState(dir, nil)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	for _, id := range acknowledged {
		if _, err := s.GetMaintenance(ctx, id); err != nil {
			t.Errorf("window %s was acknowledged before the kill but is lost: %v", id, err)
		}
		if revs, err := s.MaintenanceRevisions(ctx, id); err != nil || len(revs) != 1 {
			t.Errorf("window %s: revisions %v, %v, want its announcement", id, revs, err)
		}
	}
	all, err := s.ListMaintenance(ctx, at(1, 0, 0), at(31, 0, 0), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < len(acknowledged) {
		t.Errorf("%d windows after the kill, %d acknowledged", len(all), len(acknowledged))
	}
	t.Logf("%d windows acknowledged before SIGKILL, %d found after reopening", len(acknowledged), len(all))
}
