package sla

import (
	"errors"
	"math/rand"
	"reflect"
	"testing"
	"time"
)

// samples are obs (of one series) as Samples.
func samples(obs []Observation) []Sample {
	out := make([]Sample, len(obs))
	for i, o := range obs {
		out[i] = Sample{StartMS: o.StartMS, DurationMS: o.DurationMS, IntervalMS: o.IntervalMS, Reason: o.Reason, OK: o.OK}
	}
	return out
}

// TestAddBatchEqualsAdd feeds random cases once with Add and once with
// AddBatch (random batches, series interleaved) and wants the same results.
func TestAddBatchEqualsAdd(t *testing.T) {
	iterations := 300
	if testing.Short() || raceEnabled {
		iterations = 60
	}
	for seed := int64(1); seed <= int64(iterations); seed++ {
		rng := rand.New(rand.NewSource(seed))
		c := newRandomCase(rng, 1500)
		want := c.compute(t, rand.New(rand.NewSource(seed)), c.ws)

		calc, err := NewCalculatorForPeriod(c.terms, c.period, c.ws)
		if err != nil {
			t.Fatal(err)
		}
		next := make([]int, len(c.series))
		for left := len(c.series); left > 0; {
			i := rng.Intn(len(c.series))
			ss := c.series[i]
			if next[i] == len(ss) {
				continue
			}
			k := min(next[i]+rng.Intn(2000), len(ss))
			if err := calc.AddBatch(ss[0].Check, ss[0].Location, samples(ss[next[i]:k])); err != nil {
				t.Fatalf("seed %d: AddBatch: %v", seed, err)
			}
			if next[i] = k; k == len(ss) {
				left--
			}
		}
		got, err := calc.Result()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: AddBatch and Add differ:\n%s\n%s", seed, show(got), show(want))
		}
	}
}

// TestAddBatchErrors: AddBatch fails where a loop of Add does, with the
// same error, having recorded the same samples before it.
func TestAddBatchErrors(t *testing.T) {
	terms := testTerms()
	terms.Latency = []LatencyObjective{{Check: "web", ThresholdMS: 100, TargetPPM: 950_000}}
	chk := "web"
	p := Period{Start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC)}
	base := p.Start.UnixMilli()
	good := func(i int) Sample { return Sample{StartMS: base + int64(i)*minuteMS, IntervalMS: minuteMS, OK: true} }
	cases := map[string]struct {
		check, loc string
		ss         []Sample
	}{
		"no check":     {"", "l", []Sample{good(0)}},
		"no location":  {chk, "", []Sample{good(0)}},
		"interval":     {chk, "l", []Sample{good(0), {StartMS: base + minuteMS}}},
		"duration":     {chk, "l", []Sample{good(0), {StartMS: base + minuteMS, IntervalMS: minuteMS, DurationMS: -1}}},
		"ok reason":    {chk, "l", []Sample{good(0), {StartMS: base + minuteMS, IntervalMS: minuteMS, OK: true, Reason: "x"}}},
		"out of order": {chk, "l", []Sample{good(0), good(5), good(3), good(6)}},
		"after end":    {chk, "l", []Sample{good(0), good(500), good(3), good(6)}},
		"before":       {chk, "l", []Sample{good(-20), good(-1), good(0), good(1), good(2), good(61), good(62), good(64)}},
	}
	for name, tc := range cases {
		add, _ := NewCalculatorForPeriod(terms, p, nil)
		batch, _ := NewCalculatorForPeriod(terms, p, nil)
		var addErr error
		for _, s := range tc.ss {
			if addErr = add.Add(s.observation(tc.check, tc.loc)); addErr != nil {
				break
			}
		}
		batchErr := batch.AddBatch(tc.check, tc.loc, tc.ss)
		if (addErr == nil) != (batchErr == nil) || (addErr != nil && addErr.Error() != batchErr.Error()) ||
			errors.Is(addErr, ErrOutOfOrder) != errors.Is(batchErr, ErrOutOfOrder) {
			t.Errorf("%s: AddBatch error %v, Add %v", name, batchErr, addErr)
		}
		want, _ := add.Result()
		got, _ := batch.Result()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: results differ", name)
		}
		if err := batch.AddBatch(chk, "l", []Sample{good(1)}); !errors.Is(err, ErrFinished) {
			t.Errorf("%s: AddBatch after Result: %v", name, err)
		}
	}
}
