package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Four outbox workers claim and finish messages at once, on PostgreSQL
// in two vigil instances sharing the database: every message is claimed
// exactly once and ends sent.
func TestOutboxClaimsOfConcurrentWorkersNeverOverlap(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		states := b.openInstances(t)
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		const messages = 600
		entries := make([]OutboxEntry, messages)
		for i := range entries {
			entries[i] = OutboxEntry{Channel: "twilio", Recipient: fmt.Sprintf("+3161%07d", i), Event: "incident.opened", Text: "x"}
		}
		ids, err := states[0].EnqueueOutbox(ctx, entries, now)
		if err != nil {
			t.Fatal(err)
		}

		var (
			mu      sync.Mutex
			claimed = map[int64]int{}
			wg      sync.WaitGroup
		)
		for w := range 4 {
			s := states[w%len(states)]
			wg.Go(func() {
				for {
					msgs, err := s.ClaimOutbox(ctx, "twilio", now, 7)
					if err != nil {
						t.Error(err)
						return
					}
					if len(msgs) == 0 {
						return
					}
					outcomes := make([]OutboxOutcome, len(msgs))
					mu.Lock()
					for i, m := range msgs {
						claimed[m.ID]++
						outcomes[i] = OutboxOutcome{ID: m.ID, Status: OutboxSent, ProviderID: fmt.Sprintf("SM%d", m.ID), At: now}
					}
					mu.Unlock()
					if err := s.FinishOutbox(ctx, outcomes); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		for _, id := range ids {
			if n := claimed[id]; n != 1 {
				t.Errorf("message %d claimed %d times, want once", id, n)
			}
		}
		counts, err := states[len(states)-1].OutboxCounts(ctx)
		if err != nil || counts[OutboxSent] != messages || len(counts) != 1 {
			t.Errorf("outbox counts %v (%v), want all %d sent", counts, err, messages)
		}
	})
}

// Writers change one maintenance window at the same time, on PostgreSQL
// from two instances: every change is applied once, in some order, and
// its history stays numbered 1, 2, 3 … without gaps, which takes one
// writer at a time.
func TestConcurrentChangesOfOneWindow(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		states := b.openInstances(t)
		m, err := states[0].ScheduleMaintenance(ctx, testWindow(), testNow)
		if err != nil {
			t.Fatal(err)
		}
		const writers, each = 4, 5
		var wg sync.WaitGroup
		for w := range writers {
			s := states[w%len(states)]
			wg.Go(func() {
				for i := range each {
					// Every change ends the window at a minute no other
					// change uses: each adds a revision.
					end := m.End.Add(time.Duration(1+w+writers*i) * time.Minute)
					if _, err := s.RescheduleMaintenance(ctx, m.ID, m.Start, end, testNow.Add(time.Hour)); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		revs, err := states[len(states)-1].MaintenanceRevisions(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 1+writers*each {
			t.Fatalf("%d revisions, want %d", len(revs), 1+writers*each)
		}
		for i, r := range revs {
			if r.Revision != i+1 {
				t.Errorf("revision %d is numbered %d", i+1, r.Revision)
			}
			if i == 0 {
				continue
			}
			// Each change was judged against the schedule before it, not
			// against one a concurrent change had replaced meanwhile.
			prev := revs[i-1]
			want, announced := RevisionShortened, prev.AnnouncedAt
			if r.Start.Before(prev.Start) || r.End.After(prev.End) {
				want, announced = RevisionReannounced, r.RecordedAt
			}
			if r.Kind != want || !r.AnnouncedAt.Equal(announced) {
				t.Errorf("revision %d (end %s after %s) is %s announced at %s, want %s announced at %s",
					r.Revision, r.End.Format("15:04"), prev.End.Format("15:04"), r.Kind, fmtTime(r.AnnouncedAt), want, fmtTime(announced))
			}
		}
		got, err := states[0].GetMaintenance(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := revs[len(revs)-1]; !got.End.Equal(last.End) {
			t.Errorf("window ends at %v, its last revision at %v", got.End, last.End)
		}
	})
}
