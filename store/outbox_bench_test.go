package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// BenchmarkOutboxClaim measures the outbox's delivery bookkeeping on each
// backend: b.N due messages are claimed in batches of 50 and recorded as
// sent, by one worker, and by four workers (on PostgreSQL spread over two
// instances sharing the database). It reports messages/s.
func BenchmarkOutboxClaim(b *testing.B) {
	for _, be := range backends {
		for _, workers := range []int{1, 4} {
			b.Run(fmt.Sprintf("%s/%d-workers", be.name, workers), func(b *testing.B) {
				benchmarkClaim(b, be, workers)
			})
		}
	}
}

func benchmarkClaim(b *testing.B, be backend, workers int) {
	ctx := context.Background()
	states := be.openInstances(b)
	first := states[0]
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	entries := make([]OutboxEntry, b.N)
	for i := range entries {
		entries[i] = OutboxEntry{Channel: "twilio", Recipient: fmt.Sprintf("+3161%07d", i), Event: "incident.opened", Text: "x"}
	}
	if _, err := first.EnqueueOutbox(ctx, entries, now); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := range workers {
		s := states[w%len(states)]
		wg.Go(func() {
			for {
				msgs, err := s.ClaimOutbox(ctx, "twilio", now, 50)
				if err != nil {
					b.Error(err)
					return
				}
				if len(msgs) == 0 {
					return
				}
				outcomes := make([]OutboxOutcome, len(msgs))
				for i, m := range msgs {
					outcomes[i] = OutboxOutcome{ID: m.ID, Status: OutboxSent, ProviderID: fmt.Sprintf("SM%d", m.ID), At: now}
				}
				if err := s.FinishOutbox(ctx, outcomes); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	if counts, err := first.OutboxCounts(ctx); err != nil || counts[OutboxSent] != b.N {
		b.Fatalf("counts %v (%v), want %d sent", counts, err, b.N)
	}
}
