package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// testVerification is a pending verification created at now for phone.
func testVerification(id, phone string, now time.Time) Verification {
	return Verification{ID: id, Phone: phone, Components: []string{"web", "api"},
		CodeHash: []byte("hash-of-" + id), CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
}

func TestVerificationSaveReplacesAndSweeps(t *testing.T) {
	ctx := context.Background()
	forEachState(t, func(t *testing.T, s *State) {
		now := incAt(9, 0)
		if err := s.SaveVerification(ctx, testVerification("v1", "+31612345670", now), now); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveVerification(ctx, testVerification("old", "+31612345671", now), now); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetVerification(ctx, "v1")
		if err != nil || got.Phone != "+31612345670" || !slices.Equal(got.Components, []string{"web", "api"}) ||
			string(got.CodeHash) != "hash-of-v1" || !got.ExpiresAt.Equal(now.Add(10*time.Minute)) || got.Attempts != 0 {
			t.Fatalf("read back: %+v %v", got, err)
		}
		// A new request for the same number replaces the pending one.
		later := now.Add(11 * time.Minute)
		if err := s.SaveVerification(ctx, testVerification("v2", "+31612345670", later), later); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetVerification(ctx, "v1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("replaced verification: %v, want not found", err)
		}
		if _, err := s.GetVerification(ctx, "v2"); err != nil {
			t.Errorf("new verification: %v", err)
		}
		// The other number's verification expired and was swept on the way.
		if _, err := s.GetVerification(ctx, "old"); !errors.Is(err, ErrNotFound) {
			t.Errorf("expired verification: %v, want swept", err)
		}
		if n := countRows(t, s, "subscribe_verifications"); n != 1 {
			t.Errorf("%d verifications stored, want 1", n)
		}
		if err := s.DeleteVerification(ctx, "v2"); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, s, "subscribe_verifications"); n != 0 {
			t.Errorf("%d verifications after delete, want 0", n)
		}
	})
}

func TestVerificationSaveRejectsInvalid(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		now := incAt(9, 0)
		for name, mutate := range map[string]func(*Verification){
			"no id":            func(v *Verification) { v.ID = "" },
			"no hash":          func(v *Verification) { v.CodeHash = nil },
			"no components":    func(v *Verification) { v.Components = nil },
			"comma":            func(v *Verification) { v.Components = []string{"a,b"} },
			"expires at once":  func(v *Verification) { v.ExpiresAt = v.CreatedAt },
			"empty component":  func(v *Verification) { v.Components = []string{""} },
			"phone is missing": func(v *Verification) { v.Phone = "" },
		} {
			v := testVerification("v1", "+31612345670", now)
			mutate(&v)
			if err := s.SaveVerification(context.Background(), v, now); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: %v, want ErrInvalid", name, err)
			}
		}
	})
}

func TestConfirmVerification(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		now := incAt(9, 0)
		attempt := func(id string, seen int, hash string) VerifyAttempt {
			return VerifyAttempt{ID: id, SeenAttempts: seen, CodeHash: []byte(hash), MaxAttempts: 3, Channel: "twilio"}
		}
		t.Run("wrong then right", func(t *testing.T) {
			s, _ := b.open(t)
			if err := s.SetRecipientActive(ctx, "twilio", "+31612345670", false, "replied STOP", now); err != nil {
				t.Fatal(err)
			}
			if err := s.SaveVerification(ctx, testVerification("v1", "+31612345670", now), now); err != nil {
				t.Fatal(err)
			}
			out, v, err := s.ConfirmVerification(ctx, attempt("v1", 0, "nope"), now)
			if err != nil || out != VerifyWrongCode || v.Attempts != 1 {
				t.Fatalf("wrong code: %v %+v %v", out, v, err)
			}
			if subs, _ := s.ListSubscriptions(ctx, ""); len(subs) != 0 {
				t.Fatalf("a wrong code subscribed: %+v", subs)
			}
			// The form of the first attempt cannot be used again.
			if out, _, _ := s.ConfirmVerification(ctx, attempt("v1", 0, "hash-of-v1"), now); out != VerifyStale {
				t.Fatalf("replayed form: %v, want stale", out)
			}
			out, _, err = s.ConfirmVerification(ctx, attempt("v1", 1, "hash-of-v1"), now.Add(time.Minute))
			if err != nil || out != VerifyConfirmed {
				t.Fatalf("right code: %v %v", out, err)
			}
			subs, _ := s.ListSubscriptions(ctx, "")
			if len(subs) != 2 || subs[0].ConfirmedAt == nil || !subs[0].Active || subs[0].Component != "api" {
				t.Fatalf("subscriptions: %+v", subs)
			}
			if r, _ := s.GetRecipient(ctx, "twilio", "+31612345670"); !r.Active {
				t.Error("confirming left the recipient inactive")
			}
			if _, _, err := s.ConfirmVerification(ctx, attempt("v1", 1, "hash-of-v1"), now); !errors.Is(err, ErrNotFound) {
				t.Errorf("second confirmation: %v, want not found", err)
			}
		})
		t.Run("locked", func(t *testing.T) {
			s, _ := b.open(t)
			if err := s.SaveVerification(ctx, testVerification("v1", "+31612345670", now), now); err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				if out, _, err := s.ConfirmVerification(ctx, attempt("v1", i, "nope"), now); err != nil || out != VerifyWrongCode {
					t.Fatalf("attempt %d: %v %v", i+1, out, err)
				}
			}
			out, v, err := s.ConfirmVerification(ctx, attempt("v1", 3, "hash-of-v1"), now)
			if err != nil || out != VerifyLocked || v.Attempts != 3 {
				t.Fatalf("after 3 wrong codes: %v %+v %v", out, v, err)
			}
			if subs, _ := s.ListSubscriptions(ctx, ""); len(subs) != 0 {
				t.Fatalf("a locked verification subscribed: %+v", subs)
			}
		})
		t.Run("expired", func(t *testing.T) {
			s, _ := b.open(t)
			if err := s.SaveVerification(ctx, testVerification("v1", "+31612345670", now), now); err != nil {
				t.Fatal(err)
			}
			out, _, err := s.ConfirmVerification(ctx, attempt("v1", 0, "hash-of-v1"), now.Add(10*time.Minute))
			if err != nil || out != VerifyExpired {
				t.Fatalf("at expiry: %v %v", out, err)
			}
			if _, err := s.GetVerification(ctx, "v1"); !errors.Is(err, ErrNotFound) {
				t.Errorf("expired verification kept: %v", err)
			}
		})
	})
}

func TestUnsubscribePhone(t *testing.T) {
	ctx := context.Background()
	forEachState(t, func(t *testing.T, s *State) {
		now := incAt(9, 0)
		for _, c := range []string{"web", "api"} {
			if _, err := s.AddSubscription(ctx, "+31612345670", c, true, now); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddSubscription(ctx, "+31612345671", "web", true, now); err != nil {
			t.Fatal(err)
		}
		if n, err := s.UnsubscribePhone(ctx, "+31612345670"); err != nil || n != 2 {
			t.Fatalf("unsubscribe: %d %v", n, err)
		}
		subs, _ := s.ListSubscriptions(ctx, "")
		if len(subs) != 1 || subs[0].Phone != "+31612345671" {
			t.Fatalf("left: %+v", subs)
		}
		if n, err := s.UnsubscribePhone(ctx, "+31612345670"); err != nil || n != 0 {
			t.Fatalf("again: %d %v", n, err)
		}
	})
}
