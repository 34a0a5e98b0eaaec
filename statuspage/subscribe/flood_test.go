package subscribe

import (
	"fmt"
	"testing"
	"time"
)

func TestFloodGuard(t *testing.T) {
	g := newFloodGuard()
	for i := range floodBurst {
		if v := g.allow("a", t0); !v.ok {
			t.Fatalf("request %d refused", i+1)
		}
	}
	first := g.allow("a", t0)
	second := g.allow("a", t0.Add(time.Second))
	if first.ok || !first.starts || first.wait != floodEvery {
		t.Errorf("first refusal: %+v, want refused, starting, wait %s", first, floodEvery)
	}
	if second.ok || second.starts || second.wait != floodEvery-time.Second {
		t.Errorf("second refusal: %+v, want refused, not starting, wait %s", second, floodEvery-time.Second)
	}
	if v := g.allow("a", t0.Add(floodEvery)); !v.ok {
		t.Errorf("after %s: refused", floodEvery)
	}
	if v := g.allow("a", t0.Add(floodEvery)); v.ok || !v.starts {
		t.Errorf("a new flood: %+v, want refused and logged", v)
	}
}

// TestFloodGuardBounded: beyond floodTracked addresses new ones share one
// bucket, and full buckets are swept to make room.
func TestFloodGuardBounded(t *testing.T) {
	g := newFloodGuard()
	for i := range floodTracked {
		g.allow(fmt.Sprintf("10.0.%d.%d", i/256, i%256), t0)
	}
	for i := range floodBurst {
		if v := g.allow(fmt.Sprintf("192.0.2.%d", i), t0); !v.ok {
			t.Fatalf("overflow request %d refused", i+1)
		}
	}
	if v := g.allow("198.51.100.1", t0); v.ok {
		t.Error("the shared overflow bucket did not run dry")
	}
	if n := len(g.buckets); n != floodTracked {
		t.Errorf("%d addresses tracked, want %d", n, floodTracked)
	}
	// Once the tracked buckets are full again a sweep frees them.
	later := t0.Add(floodEvery)
	if v := g.allow("198.51.100.2", later); !v.ok {
		t.Error("a new address after the sweep was refused")
	}
	if n := len(g.buckets); n != 1 {
		t.Errorf("%d addresses tracked after the sweep, want 1", n)
	}
}
