package store

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"
)

func TestLimitersSurviveReopen(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s, dsn := b.open(t)
		now := incAt(9, 0)
		states := []LimiterState{
			{Scope: "ip", Subject: "192.0.2.1", Tokens: 2.5, At: now, FullAt: now.Add(30 * time.Minute)},
			{Scope: "global", Subject: "all", Tokens: 99, At: now, FullAt: now.Add(36 * time.Second)},
		}
		if err := s.SaveLimiters(ctx, states, now); err != nil {
			t.Fatal(err)
		}
		// A second write replaces the first.
		states[0].Tokens, states[0].At = 1.5, now.Add(time.Second)
		if err := s.SaveLimiters(ctx, states[:1], now.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s = b.reopen(t, dsn)
		got, found, err := s.LoadLimiter(ctx, "ip", "192.0.2.1")
		if err != nil || !found || got.Tokens != 1.5 || !got.At.Equal(now.Add(time.Second)) || !got.FullAt.Equal(now.Add(30*time.Minute)) {
			t.Fatalf("after reopen: %+v %v %v", got, found, err)
		}
		if _, found, _ := s.LoadLimiter(ctx, "ip", "192.0.2.2"); found {
			t.Error("a bucket never written was found")
		}
		// Saving after the global bucket is full again sweeps it.
		if err := s.SaveLimiters(ctx, states[:1], now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, found, _ := s.LoadLimiter(ctx, "global", "all"); found {
			t.Error("a full bucket was kept")
		}
		if _, found, _ := s.LoadLimiter(ctx, "ip", "192.0.2.1"); !found {
			t.Error("a bucket still filling was swept")
		}
	})
}

func TestSaveLimitersRejectsInvalid(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		now := incAt(9, 0)
		for _, st := range []LimiterState{
			{Subject: "x", Tokens: 1},
			{Scope: "ip", Tokens: 1},
			{Scope: "ip", Subject: "x", Tokens: math.NaN()},
		} {
			if err := s.SaveLimiters(context.Background(), []LimiterState{st}, now); !errors.Is(err, ErrInvalid) {
				t.Errorf("%+v: %v, want ErrInvalid", st, err)
			}
		}
	})
}
