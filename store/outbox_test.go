package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestOutboxLifecycle(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		ctx := context.Background()
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		ids, err := s.EnqueueOutbox(ctx, []OutboxEntry{
			{Channel: "twilio", Recipient: "+31600000001", Event: "incident.opened", Text: "a"},
			{Channel: "twilio", Recipient: "+31600000002", Event: "incident.opened", Text: "b"},
			{Channel: "webhook", Recipient: "https://h.example/x", Event: "incident.opened", Payload: []byte(`{}`)},
		}, now)
		if err != nil || len(ids) != 3 {
			t.Fatalf("enqueue: %v %v", ids, err)
		}
		got, err := s.ClaimOutbox(ctx, "twilio", now, 10)
		if err != nil || len(got) != 2 || got[0].ID != ids[0] || got[0].Status != OutboxSending || got[0].Attempts != 1 || got[0].Reconcile {
			t.Fatalf("claim = %+v, %v", got, err)
		}
		if again, _ := s.ClaimOutbox(ctx, "twilio", now, 10); len(again) != 0 {
			t.Fatalf("claimed twice: %+v", again)
		}
		// 1: sent. 2: uncertain, due in a minute.
		if err := s.FinishOutbox(ctx, []OutboxOutcome{
			{ID: ids[0], Status: OutboxSent, ProviderID: "SM1", ProviderStatus: "queued", At: now},
			{ID: ids[1], Status: OutboxUncertain, NextAttemptAt: now.Add(time.Minute), Error: "HTTP 500", At: now},
		}); err != nil {
			t.Fatal(err)
		}
		m, _ := s.GetOutbox(ctx, ids[0])
		if m.Status != OutboxSent || m.ProviderID != "SM1" || m.SentAt == nil || m.NextAttemptAt != nil {
			t.Errorf("sent row %+v", m)
		}
		// Status callbacks: out of order, a final status sticks.
		for _, st := range []string{"delivered", "sent"} {
			if ok, err := s.SetOutboxProviderStatus(ctx, "SM1", st); !ok || err != nil {
				t.Fatalf("provider status %s: %v %v", st, ok, err)
			}
		}
		if m, _ := s.GetOutbox(ctx, ids[0]); m.ProviderStatus != "delivered" {
			t.Errorf("provider status %q, want delivered", m.ProviderStatus)
		}
		// The uncertain one comes back for reconciliation, keeping its claim time.
		got, _ = s.ClaimOutbox(ctx, "twilio", now.Add(30*time.Second), 10)
		if len(got) != 0 {
			t.Fatalf("claimed before due: %+v", got)
		}
		got, _ = s.ClaimOutbox(ctx, "twilio", now.Add(2*time.Minute), 10)
		if len(got) != 1 || !got[0].Reconcile || !got[0].ClaimedAt.Equal(now) {
			t.Fatalf("reconcile claim %+v", got)
		}
		// Crash: RecoverOutbox turns sending into uncertain.
		if n, err := s.RecoverOutbox(ctx, now.Add(3*time.Minute)); n != 1 || err != nil {
			t.Fatalf("recover = %d, %v", n, err)
		}
		if m, _ := s.GetOutbox(ctx, ids[1]); m.Status != OutboxUncertain {
			t.Errorf("recovered row %+v", m)
		}
		// Permanent failure deactivates and cancels the rest.
		got, _ = s.ClaimOutbox(ctx, "twilio", now.Add(3*time.Minute), 10)
		if _, err := s.EnqueueOutbox(ctx, []OutboxEntry{{Channel: "twilio", Recipient: "+31600000002", Text: "c"}}, now); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishOutbox(ctx, []OutboxOutcome{{ID: got[0].ID, Status: OutboxFailed, Error: "21610", Deactivate: "21610 unsubscribed", At: now}}); err != nil {
			t.Fatal(err)
		}
		r, _ := s.GetRecipient(ctx, "twilio", "+31600000002")
		if r.Active || r.DeactivatedReason != "21610 unsubscribed" {
			t.Errorf("recipient %+v", r)
		}
		counts, _ := s.OutboxCounts(ctx)
		if counts[OutboxCancelled] != 1 || counts[OutboxFailed] != 1 || counts[OutboxSent] != 1 || counts[OutboxPending] != 1 {
			t.Errorf("counts %v", counts)
		}
		// New messages to it are cancelled at once; START reactivates.
		ids, _ = s.EnqueueOutbox(ctx, []OutboxEntry{{Channel: "twilio", Recipient: "+31600000002", Text: "d"}}, now)
		if m, _ := s.GetOutbox(ctx, ids[0]); m.Status != OutboxCancelled {
			t.Errorf("message to deactivated recipient is %s", m.Status)
		}
		if err := s.SetRecipientActive(ctx, "twilio", "+31600000002", true, "", now); err != nil {
			t.Fatal(err)
		}
		ids, _ = s.EnqueueOutbox(ctx, []OutboxEntry{{Channel: "twilio", Recipient: "+31600000002", Text: "e"}}, now)
		if m, _ := s.GetOutbox(ctx, ids[0]); m.Status != OutboxPending {
			t.Errorf("message to reactivated recipient is %s", m.Status)
		}
	})
}

func TestEnqueueFanout10kIsFast(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		entries := make([]OutboxEntry, 10000)
		for i := range entries {
			entries[i] = OutboxEntry{Channel: "twilio", Recipient: fmt.Sprintf("+3161%07d", i), Event: "incident.updated", Text: "update"}
		}
		start := time.Now()
		ids, err := s.EnqueueOutbox(context.Background(), entries, time.Now())
		if err != nil || len(ids) != len(entries) {
			t.Fatalf("enqueue: %d ids, %v", len(ids), err)
		}
		if d := time.Since(start); d > time.Minute { // ~0.4 s normally; -race makes SQLite ~50× slower
			t.Errorf("enqueueing 10,000 took %s", d)
		}
		t.Logf("enqueued 10,000 in %s", time.Since(start))
	})
}

// Twilio can call back before the send's outcome (with the message SID) is
// recorded: the status waits and is applied then, a final one winning.
func TestEarlyStatusCallbackWaitsForTheSend(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		ctx := context.Background()
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		ids, err := s.EnqueueOutbox(ctx, []OutboxEntry{
			{Channel: "twilio", Recipient: "+31600000001", Event: "incident.opened", Text: "a"},
			{Channel: "twilio", Recipient: "+31600000002", Event: "incident.opened", Text: "b"},
			{Channel: "twilio", Recipient: "+31600000003", Event: "incident.opened", Text: "c"},
		}, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ClaimOutbox(ctx, "twilio", now, 10); err != nil {
			t.Fatal(err)
		}
		early := []struct{ id, status string }{
			{"SMearly", "sent"}, {"SMearly", "delivered"}, {"SMearly", "sent"}, // a final status wins
			{"SMalso", "sent"},
		}
		for _, e := range early {
			if ok, err := s.SetOutboxProviderStatus(ctx, e.id, e.status); !ok || err != nil {
				t.Fatalf("early status %s of %s: %v %v", e.status, e.id, ok, err)
			}
		}
		// One batch: two messages with early statuses, one without.
		if err := s.FinishOutbox(ctx, []OutboxOutcome{
			{ID: ids[0], Status: OutboxSent, ProviderID: "SMearly", ProviderStatus: "queued", At: now},
			{ID: ids[1], Status: OutboxSent, ProviderID: "SMnone", ProviderStatus: "queued", At: now},
			{ID: ids[2], Status: OutboxSent, ProviderID: "SMalso", ProviderStatus: "queued", At: now},
		}); err != nil {
			t.Fatal(err)
		}
		for i, want := range []string{"delivered", "queued", "sent"} {
			if m, _ := s.GetOutbox(ctx, ids[i]); m.ProviderStatus != want {
				t.Errorf("message %d: provider status %q, want %q", i+1, m.ProviderStatus, want)
			}
		}
		if left := countRows(t, s, "early_provider_status"); left != 0 {
			t.Fatalf("%d early statuses left behind", left)
		}
	})
}
