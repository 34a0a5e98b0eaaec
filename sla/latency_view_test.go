package sla

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func viewSamples(list ...LatencySample) func(func(LatencySample) bool) {
	return slices.Values(list)
}

func okMS(ms int64) LatencySample { return LatencySample{OK: true, DurationMS: ms} }
func failedMS(ms int64, reason string) LatencySample {
	return LatencySample{DurationMS: ms, Reason: reason}
}

func TestLatencyViewCounts(t *testing.T) {
	v, err := SummarizeLatency(viewSamples(
		okMS(2000), // exactly the threshold is good
		okMS(2001), // slow
		okMS(10),
		failedMS(5000, ReasonTimeout), // slow too
		failedMS(30, "status"),        // availability's business
		failedMS(0, "connect"),
	), 2000, 950_000)
	if err != nil {
		t.Fatal(err)
	}
	if v.ThresholdMS != 2000 || *v.TargetPPM != 950_000 || v.Count != 4 || v.OK != 3 || v.Good != 2 ||
		v.Timeouts != 1 || v.OtherFailures != 2 || *v.CompliancePPM != 500_000 || *v.Compliance != "50.000%" || *v.Met {
		t.Errorf("view %+v", v)
	}
	if *v.P50MS != 2000 || *v.P95MS != 2001 || *v.P99MS != 2001 {
		t.Errorf("percentiles %d %d %d, want 2000 2001 2001", *v.P50MS, *v.P95MS, *v.P99MS)
	}
}

// Met compares in integers: 19 of 20 is exactly 95%.
func TestLatencyViewMetBoundary(t *testing.T) {
	for _, tc := range []struct {
		good, slow int
		target     int64
		met        bool
		compliance string
	}{
		{19, 1, 950_000, true, "95.000%"},
		{18, 1, 950_000, false, "94.736%"},
		{99_999, 1, 999_990, true, "99.999%"},
		{99_999, 1, 999_999, false, "99.999%"}, // shows as 99.999% yet misses 99.9999%
	} {
		var list []LatencySample
		for range tc.good {
			list = append(list, okMS(100))
		}
		for range tc.slow {
			list = append(list, failedMS(10_000, ReasonTimeout))
		}
		v, err := SummarizeLatency(viewSamples(list...), 2000, tc.target)
		if err != nil {
			t.Fatal(err)
		}
		if *v.Met != tc.met || *v.Compliance != tc.compliance {
			t.Errorf("%d good, %d slow, target %d: met %t %s, want %t %s", tc.good, tc.slow, tc.target, *v.Met, *v.Compliance, tc.met, tc.compliance)
		}
	}
}

func TestLatencyViewEmptyAndNoTarget(t *testing.T) {
	v, err := SummarizeLatency(viewSamples(failedMS(10, "dns")), 2000, 950_000)
	if err != nil {
		t.Fatal(err)
	}
	if v.Count != 0 || v.OtherFailures != 1 || v.CompliancePPM != nil || v.Compliance != nil || v.Met != nil || v.P50MS != nil || v.P95MS != nil || v.P99MS != nil {
		t.Errorf("no eligible results: %+v", v)
	}
	// Only timeouts: a compliance of 0, but no ok durations to rank.
	v, _ = SummarizeLatency(viewSamples(failedMS(10_000, ReasonTimeout)), 2000, 950_000)
	if v.Count != 1 || *v.CompliancePPM != 0 || *v.Met || v.P50MS != nil {
		t.Errorf("only timeouts: %+v", v)
	}
	// No target: the figures, but nothing to meet.
	v, _ = SummarizeLatency(viewSamples(okMS(1500)), 1000, 0)
	if v.TargetPPM != nil || v.Met != nil || v.Good != 0 || *v.CompliancePPM != 0 || *v.P99MS != 1500 {
		t.Errorf("no target: %+v", v)
	}
}

func TestLatencyViewRejects(t *testing.T) {
	for _, tc := range []struct {
		name      string
		list      []LatencySample
		threshold int64
		target    int64
	}{
		{"negative duration", []LatencySample{okMS(1), okMS(-1)}, 2000, 950_000},
		{"ok with reason", []LatencySample{{OK: true, DurationMS: 1, Reason: "timeout"}}, 2000, 950_000},
		{"zero threshold", nil, 0, 950_000},
		{"target over 100%", nil, 2000, 1_000_001},
	} {
		if _, err := SummarizeLatency(viewSamples(tc.list...), tc.threshold, tc.target); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// TestLatencyViewBruteForce checks the view against the definitions of
// section 5 computed naively: sort, rank, cross-multiply.
func TestLatencyViewBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	reasons := []string{ReasonTimeout, "status", "connect", "assertion"}
	for round := range 200 {
		n := rng.IntN(300)
		threshold := int64(1 + rng.IntN(3000))
		target := int64(rng.IntN(ppm + 1))
		list := make([]LatencySample, n)
		for i := range list {
			var ms int64
			switch rng.IntN(10) {
			case 0:
				ms = threshold // the boundary, often
			case 1:
				ms = denseMS + int64(rng.IntN(100_000)) // beyond the dense histogram
			default:
				ms = int64(rng.IntN(4000))
			}
			if rng.IntN(5) == 0 {
				list[i] = failedMS(ms, reasons[rng.IntN(len(reasons))])
			} else {
				list[i] = okMS(ms)
			}
		}
		got, err := SummarizeLatency(viewSamples(list...), threshold, target)
		if err != nil {
			t.Fatal(err)
		}
		want := naiveLatencyView(list, threshold, target)
		if !sameView(got, want) {
			t.Fatalf("round %d (n %d, threshold %d, target %d):\n got %s\nwant %s", round, n, threshold, target, viewString(got), viewString(want))
		}
	}
}

func naiveLatencyView(list []LatencySample, threshold, target int64) LatencyView {
	v := LatencyView{ThresholdMS: threshold}
	var oks []int64
	for _, s := range list {
		switch {
		case s.OK:
			oks = append(oks, s.DurationMS)
			if s.DurationMS <= threshold {
				v.Good++
			}
		case s.Reason == ReasonTimeout:
			v.Timeouts++
		default:
			v.OtherFailures++
		}
	}
	v.OK = int64(len(oks))
	v.Count = v.OK + v.Timeouts
	if target > 0 {
		v.TargetPPM = &target
	}
	if v.Count > 0 {
		c := v.Good * 1_000_000 / v.Count
		v.CompliancePPM = &c
		milli := v.Good * 100_000 / v.Count // thousandths of a percent, truncated
		s := fmt.Sprintf("%d.%03d%%", milli/1000, milli%1000)
		v.Compliance = &s
		if target > 0 {
			met := v.Good*1_000_000 >= target*v.Count
			v.Met = &met
		}
	}
	if len(oks) > 0 {
		slices.Sort(oks)
		rank := func(p int) *int64 {
			r := (p*len(oks) + 99) / 100 // ceil(p/100*n), 1-based
			x := oks[r-1]
			return &x
		}
		v.P50MS, v.P95MS, v.P99MS = rank(50), rank(95), rank(99)
	}
	return v
}

func sameView(a, b LatencyView) bool {
	eq := func(x, y *int64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqb := func(x, y *bool) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqs := func(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.ThresholdMS == b.ThresholdMS && a.Count == b.Count && a.OK == b.OK && a.Good == b.Good &&
		a.Timeouts == b.Timeouts && a.OtherFailures == b.OtherFailures && eq(a.TargetPPM, b.TargetPPM) &&
		eq(a.CompliancePPM, b.CompliancePPM) && eqs(a.Compliance, b.Compliance) && eqb(a.Met, b.Met) &&
		eq(a.P50MS, b.P50MS) && eq(a.P95MS, b.P95MS) && eq(a.P99MS, b.P99MS)
}

func viewString(v LatencyView) string {
	i := func(p *int64) any {
		if p == nil {
			return "nil"
		}
		return *p
	}
	b := "nil"
	if v.Met != nil {
		b = map[bool]string{true: "true", false: "false"}[*v.Met]
	}
	return fmt.Sprint("count ", v.Count, " ok ", v.OK, " good ", v.Good, " timeouts ", v.Timeouts, " other ", v.OtherFailures,
		" compliance ", i(v.CompliancePPM), " met ", b, " p50 ", i(v.P50MS), " p95 ", i(v.P95MS), " p99 ", i(v.P99MS))
}

// BenchmarkSummarizeLatency streams a month of one key screen probed every
// 30 s from three locations (267,840 results) through the view: the
// latency API's work per request, less the store.
func BenchmarkSummarizeLatency(b *testing.B) {
	const n = 31 * 24 * 120 * 3
	rng := rand.New(rand.NewPCG(1, 2))
	list := make([]LatencySample, n)
	for i := range list {
		ms := int64(400 * math.Exp(0.85*rng.NormFloat64())) // the demo's long tail
		if i%500 == 0 {
			list[i] = failedMS(10_000, ReasonTimeout)
		} else {
			list[i] = okMS(ms)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SummarizeLatency(viewSamples(list...), 2000, 950_000); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "results/s")
}
