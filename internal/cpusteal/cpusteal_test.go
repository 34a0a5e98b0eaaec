package cpusteal

import (
	"runtime"
	"testing"
	"time"
)

func TestSince(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/stat")
	}
	start := Now()
	if start.total == 0 {
		t.Fatal("no CPU counters read from /proc/stat")
	}
	time.Sleep(50 * time.Millisecond) // at least a few clock ticks
	if p := Since(start); p < 0 || p > 100 {
		t.Errorf("Since = %v, want a share in [0, 100]", p)
	}
	if p := Since(Sample{steal: 1, total: ^uint64(0)}); p != 0 {
		t.Errorf("a start after now gave %v, want 0", p)
	}
}
