package clock

import (
	"testing"
	"time"
)

func fired(t Timer) bool {
	select {
	case <-t.C():
		return true
	default:
		return false
	}
}

func TestFakeTimersFireInOrderWhenTimePasses(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := NewFake(start)
	a := f.NewTimer(2 * time.Second)
	b := f.NewTimer(time.Second)
	if f.Timers() != 2 {
		t.Fatalf("%d timers pending", f.Timers())
	}
	f.Advance(999 * time.Millisecond)
	if fired(a) || fired(b) {
		t.Fatal("fired early")
	}
	f.Advance(time.Millisecond)
	if !fired(b) || fired(a) {
		t.Fatal("b must fire at 1 s, a not yet")
	}
	if !a.Stop() || f.Timers() != 0 {
		t.Fatal("stopping a pending timer must report true and remove it")
	}
	f.Advance(time.Hour)
	if fired(a) {
		t.Fatal("a stopped timer fired")
	}
	a.Reset(time.Second)
	f.Advance(time.Second)
	if !fired(a) {
		t.Fatal("reset timer did not fire")
	}
	if got := f.Now(); !got.Equal(start.Add(time.Hour + 2*time.Second)) {
		t.Fatalf("now %v", got)
	}
	if z := f.NewTimer(0); !fired(z) {
		t.Fatal("a zero timer fires at once")
	}
}
