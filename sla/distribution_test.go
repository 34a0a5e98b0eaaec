package sla

import (
	"math"
	"testing"
	"time"
)

// TestLatencyDistribution checks the bucket bounds (inclusive upper bounds,
// so the 2000 ms threshold is one), the overflow bucket beyond the dense
// histogram, that timeouts stay out, and that the counts add up.
func TestLatencyDistribution(t *testing.T) {
	durations := []int64{0, 100, 101, 2000, 2001, 9999, 10_000, 10_001, 40_000}
	var obs []Observation
	for i, d := range durations {
		obs = append(obs, lat(t0.Add(time.Duration(i)*time.Second), true, d, ""))
	}
	obs = append(obs, lat(t0.Add(time.Minute), false, 0, ReasonTimeout))
	s := run(t, screenTerms(), t0, t10, nil, obs...).Screens[0]
	want := map[int64]int64{100: 2, 200: 1, 2000: 1, 2100: 1, 10_000: 2, math.MaxInt64: 2}
	if len(s.Distribution) != BucketLimitMS/BucketMS+1 {
		t.Fatalf("%d buckets, want %d", len(s.Distribution), BucketLimitMS/BucketMS+1)
	}
	var sum int64
	for i, b := range s.Distribution {
		if i < len(s.Distribution)-1 && b.UpToMS != int64(i+1)*BucketMS {
			t.Errorf("bucket %d: up to %d ms", i, b.UpToMS)
		}
		if b.Count != want[b.UpToMS] {
			t.Errorf("bucket up to %d ms: %d, want %d", b.UpToMS, b.Count, want[b.UpToMS])
		}
		sum += b.Count
	}
	if last := s.Distribution[len(s.Distribution)-1]; last.UpToMS != math.MaxInt64 {
		t.Errorf("overflow bucket up to %d", last.UpToMS)
	}
	if sum != s.Total-1 { // all but the timeout
		t.Errorf("buckets hold %d, want %d", sum, s.Total-1)
	}
}

// TestLatencyDistributionTrimmed checks that empty buckets after the last
// non-empty one are left out, and that no ok duration means no buckets.
func TestLatencyDistributionTrimmed(t *testing.T) {
	s := run(t, screenTerms(), t0, t10, nil, lat(t0, true, 250, "")).Screens[0]
	if got := s.Distribution; len(got) != 3 || got[2] != (LatencyBucket{UpToMS: 300, Count: 1}) {
		t.Errorf("distribution %+v", got)
	}
	s = run(t, screenTerms(), t0, t10, nil, lat(t0, false, 0, ReasonTimeout)).Screens[0]
	if s.Distribution != nil {
		t.Errorf("distribution without ok durations: %+v", s.Distribution)
	}
}
