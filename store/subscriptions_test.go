package store

import (
	"context"
	"testing"
)

func TestSubscriptions(t *testing.T) {
	ctx := context.Background()
	forEachState(t, func(t *testing.T, s *State) {
		now := incAt(9, 0)
		if _, err := s.AddSubscription(ctx, "+31612345670", "web", true, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddSubscription(ctx, "+31612345670", "api", true, now); err != nil {
			t.Fatal(err)
		}
		sub, err := s.AddSubscription(ctx, "+31612345671", "web", false, now)
		if err != nil || sub.ConfirmedAt != nil || !sub.Active {
			t.Fatalf("unconfirmed: %+v %v", sub, err)
		}
		phones, err := s.SubscriberPhones(ctx, []string{"web", "api"})
		if err != nil || len(phones) != 1 || phones[0] != "+31612345670" {
			t.Fatalf("confirmed subscribers: %v %v", phones, err)
		}
		if err := s.ConfirmSubscription(ctx, "+31612345671", "web", now); err != nil {
			t.Fatal(err)
		}
		if phones, _ := s.SubscriberPhones(ctx, []string{"web"}); len(phones) != 2 {
			t.Fatalf("after confirming: %v", phones)
		}
		// STOP: every subscription of the phone and the recipient.
		if n, err := s.SetSubscriberActive(ctx, "twilio", "+31612345670", false, "replied STOP", now); err != nil || n != 2 {
			t.Fatalf("stop: %d %v", n, err)
		}
		if phones, _ := s.SubscriberPhones(ctx, []string{"web", "api"}); len(phones) != 1 || phones[0] != "+31612345671" {
			t.Fatalf("after STOP: %v", phones)
		}
		if r, _ := s.GetRecipient(ctx, "twilio", "+31612345670"); r.Active {
			t.Fatal("STOP left the recipient active")
		}
		if _, err := s.SetSubscriberActive(ctx, "twilio", "+31612345670", true, "", now); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.GetRecipient(ctx, "twilio", "+31612345670"); !r.Active {
			t.Fatal("START left the recipient inactive")
		}
		if subs, _ := s.ListSubscriptions(ctx, "web"); len(subs) != 2 || !subs[0].Active {
			t.Fatalf("list: %+v", subs)
		}
	})
}

func TestSaveIncidentAndEnqueueOnce(t *testing.T) {
	ctx := context.Background()
	forEachState(t, func(t *testing.T, s *State) {
		inc := testIncident("inc-aaaaaaaa", incAt(9, 0))
		entries := []OutboxEntry{{Channel: "log", Recipient: "+31612345670", Event: "incident.opened", Text: "x"}}
		if ids, err := s.SaveIncidentAndEnqueue(ctx, inc, entries, incAt(9, 0)); err != nil || len(ids) != 1 {
			t.Fatalf("first save: %v %v", ids, err)
		}
		// The same version again: nothing more is enqueued.
		if ids, err := s.SaveIncidentAndEnqueue(ctx, inc, entries, incAt(9, 0)); err != nil || len(ids) != 0 {
			t.Fatalf("second save: %v %v", ids, err)
		}
		fresh, err := s.EnqueueMaintenanceNotice(ctx, "mw-1", NoticeStarted, entries, incAt(9, 0))
		if err != nil || !fresh {
			t.Fatal(fresh, err)
		}
		if fresh, _ := s.EnqueueMaintenanceNotice(ctx, "mw-1", NoticeStarted, entries, incAt(9, 0)); fresh {
			t.Fatal("notice enqueued twice")
		}
		if ms, _ := s.ListOutbox(ctx, "", 0); len(ms) != 2 {
			t.Fatalf("outbox: %d messages, want 2", len(ms))
		}
	})
}
