package sla

import (
	"math/rand"
	"reflect"
	"testing"
	"time"
)

func propertyCases(t *testing.T) int {
	if testing.Short() {
		return 40
	}
	return 200
}

// noBudgetCase is a random case without budget and allowed hours, so that
// an added window is planned and takes no budget from the others.
func noBudgetCase(rng *rand.Rand) randomCase {
	c := newRandomCase(rng, 600)
	c.terms.MonthlyBudget = 0
	c.terms.AllowedHours = nil
	return c
}

// Adding a planned window never adds down minutes (without a budget).
func TestPropertyPlannedWindowAddsNoDown(t *testing.T) {
	for seed := int64(1); seed <= int64(propertyCases(t)); seed++ {
		rng := rand.New(rand.NewSource(seed))
		c := noBudgetCase(rng)
		before := c.compute(t, rng, c.ws)
		n := c.period.Minutes()
		start := c.period.Start.Add(time.Duration(rng.Intn(n)) * time.Minute)
		extra := Window{
			ID: "extra", Components: []string{c.terms.Components[rng.Intn(len(c.terms.Components))]},
			Start: start, End: start.Add(time.Duration(1+rng.Intn(120)) * time.Minute),
			AnnouncedAt: start.Add(-c.terms.Notice - time.Hour),
		}
		after := c.compute(t, rng, append(c.ws, extra))
		bc, ac := before.Classes(), after.Classes()
		for i := range ac {
			if ac[i] == ClassDown && bc[i] != ClassDown {
				t.Fatalf("seed %d: minute %d became down after adding a planned window", seed, i)
			}
		}
		if after.Minutes.Down > before.Minutes.Down {
			t.Fatalf("seed %d: down %d -> %d", seed, before.Minutes.Down, after.Minutes.Down)
		}
	}
}

// With a monthly budget the property does not hold, by the contract's
// "in time order": an earlier window can use up the budget a later window
// needed. This test pins that consequence down.
func TestBudgetEarlierWindowCanAddDown(t *testing.T) {
	terms := testTerms()
	terms.MonthlyBudget = 10 * time.Minute
	from, to := at("2026-10-06 21:00"), at("2026-10-06 22:00")
	obs := append(okAll("web", from, at("2026-10-06 21:40")), failingAll("web", at("2026-10-06 21:40"), to)...)
	late := win("late", at("2026-10-06 21:40"), at("2026-10-06 21:50"), 200)
	early := win("early", at("2026-10-06 21:00"), at("2026-10-06 21:10"), 200)
	a := run(t, terms, from, to, []Window{late}, obs...)
	b := run(t, terms, from, to, []Window{late, early}, obs...)
	if a.Minutes.Down != 10 || b.Minutes.Down != 20 {
		t.Errorf("down %d -> %d, want 10 -> 20", a.Minutes.Down, b.Minutes.Down)
	}
}

// Excluding minutes that were down never lowers availability.
func TestPropertyExcludingDownNeverLowers(t *testing.T) {
	tried := 0
	for seed := int64(1); seed <= int64(propertyCases(t)); seed++ {
		rng := rand.New(rand.NewSource(seed))
		c := noBudgetCase(rng)
		before := c.compute(t, rng, c.ws)
		cls := before.Classes()
		// A random run of down minutes.
		var downs []int
		for i, x := range cls {
			if x == ClassDown {
				downs = append(downs, i)
			}
		}
		if len(downs) == 0 {
			continue
		}
		lo := downs[rng.Intn(len(downs))]
		hi := lo + 1
		for hi < len(cls) && cls[hi] == ClassDown && rng.Intn(20) > 0 {
			hi++
		}
		start := c.period.Start.Add(time.Duration(lo) * time.Minute)
		extra := Window{
			ID: "extra", Components: c.terms.Components,
			Start: start, End: start.Add(time.Duration(hi-lo) * time.Minute),
			AnnouncedAt: start.Add(-c.terms.Notice - time.Hour),
		}
		after := c.compute(t, rng, append(c.ws, extra))
		tried++
		b, a := before.Minutes, after.Minutes
		if a.Up != b.Up || a.Down != b.Down-int64(hi-lo) {
			t.Fatalf("seed %d: minutes %+v -> %+v after excluding %d down minutes", seed, b, a, hi-lo)
		}
		// after.up/(after.up+after.down) >= before.up/(before.up+before.down)
		if a.Up+a.Down > 0 && a.Up*(b.Up+b.Down) < b.Up*(a.Up+a.Down) {
			t.Fatalf("seed %d: availability fell from %v to %v", seed, *before.Availability, *after.Availability)
		}
		if after.AvailabilityPPM != nil && *after.AvailabilityPPM < *before.AvailabilityPPM {
			t.Fatalf("seed %d: availability ppm fell", seed)
		}
	}
	if tried < 10 {
		t.Fatalf("only %d cases had down minutes", tried)
	}
}

// The result does not depend on how the series interleave.
func TestPropertyInterleavingDoesNotMatter(t *testing.T) {
	for seed := int64(1); seed <= int64(propertyCases(t)); seed++ {
		c := newRandomCase(rand.New(rand.NewSource(seed)), 600)
		a := c.compute(t, rand.New(rand.NewSource(seed*7919)), c.ws)
		b := c.compute(t, rand.New(rand.NewSource(seed*104729)), c.ws)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("seed %d: results differ by interleaving", seed)
		}
	}
}

// Minutes add up, and without overlapping windows so do the windows.
func TestPropertyMinutesAddUp(t *testing.T) {
	for seed := int64(1); seed <= int64(propertyCases(t)); seed++ {
		rng := rand.New(rand.NewSource(seed))
		c := newRandomCase(rng, 600)
		r := c.compute(t, rng, c.ws)
		m := r.Minutes
		if m.Up+m.Down+m.Excluded+m.Unmonitored != m.Total || m.Total != int64(c.period.Minutes()) {
			t.Fatalf("seed %d: minutes %+v", seed, m)
		}
		var days Minutes
		for _, d := range r.Daily {
			days.Up += d.Up
			days.Down += d.Down
			days.Excluded += d.Excluded
			days.Unmonitored += d.Unmonitored
		}
		days.Total = m.Total
		if days != m {
			t.Fatalf("seed %d: days %+v, month %+v", seed, days, m)
		}
		var sum int64
		for _, w := range r.Maintenance {
			sum += w.ExcludedMinutes
		}
		if sum < m.Excluded {
			t.Fatalf("seed %d: windows exclude %d < %d", seed, sum, m.Excluded)
		}
	}
}
