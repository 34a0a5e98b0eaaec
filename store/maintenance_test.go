package store

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// at returns 2026-03-<day> hh:mm UTC.
func at(day, hh, mm int) time.Time {
	return time.Date(2026, 3, day, hh, mm, 0, 0, time.UTC)
}

func TestMaintenanceSchedule(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		ctx := context.Background()
		in := testWindow()
		in.Title = "  Database upgrade "
		in.Components = []string{"web", " api", "web"}
		amsterdam := time.FixedZone("CET", 3600)
		in.Start = in.Start.In(amsterdam)
		now := testNow.Add(456 * time.Microsecond) // stored to the millisecond
		m, err := s.ScheduleMaintenance(ctx, in, now)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^mw-[a-z2-7]{8}$`).MatchString(m.ID) {
			t.Errorf("ID = %q, want mw- and 8 base32 characters", m.ID)
		}
		want := Maintenance{
			ID:          m.ID,
			Title:       "Database upgrade",
			Components:  []string{"api", "web"},
			Start:       at(9, 22, 0),
			End:         at(9, 23, 0),
			AnnouncedAt: testNow,
			CreatedAt:   testNow,
		}
		assertWindow(t, "returned", m, want)
		got, err := s.GetMaintenance(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		assertWindow(t, "read back", got, want)
		assertRevisions(t, s, m.ID, []MaintenanceRevision{
			{Revision: 1, Kind: RevisionAnnounced, Start: want.Start, End: want.End, AnnouncedAt: testNow, RecordedAt: testNow},
		})

		m2, err := s.ScheduleMaintenance(ctx, testWindow(), now)
		if err != nil {
			t.Fatal(err)
		}
		if m2.ID == m.ID {
			t.Errorf("two windows got the same id %s", m.ID)
		}
	})
}

func TestMaintenanceScheduleRetroactive(t *testing.T) {
	// An emergency recorded after the fact is legitimate; it is simply
	// announced after it started (so it is unplanned for every SLA).
	forEachState(t, func(t *testing.T, s *State) {
		in := testWindow()
		in.Start, in.End = at(1, 3, 0), at(1, 4, 0)
		m, err := s.ScheduleMaintenance(context.Background(), in, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if !m.AnnouncedAt.Equal(testNow) || !m.AnnouncedAt.After(m.Start) {
			t.Errorf("AnnouncedAt = %v, want the server's now %v, after the start", m.AnnouncedAt, testNow)
		}
	})
}

func TestMaintenanceScheduleInvalid(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		ctx := context.Background()
		ended := at(9, 23, 0)
		for _, c := range []struct {
			name   string
			change func(m *Maintenance)
			now    time.Time
			want   []string
		}{
			{"no title", func(m *Maintenance) { m.Title = " " }, testNow, []string{"title is empty: give the window a title"}},
			{"no components", func(m *Maintenance) { m.Components = nil }, testNow, []string{"no components: name at least one"}},
			{"empty component", func(m *Maintenance) { m.Components = []string{"api", ""} }, testNow, []string{"component 2 of 2 is empty"}},
			{"no start", func(m *Maintenance) { m.Start = time.Time{} }, testNow, []string{"start is missing"}},
			{"seconds", func(m *Maintenance) { m.End = m.End.Add(30 * time.Second) }, testNow, []string{"end 2026-03-09T23:00:30Z is not a whole minute: drop the seconds"}},
			{"end before start", func(m *Maintenance) { m.Start, m.End = m.End, m.Start }, testNow, []string{"end 2026-03-09T22:00:00Z is not after start 2026-03-09T23:00:00Z"}},
			{"empty span", func(m *Maintenance) { m.End = m.Start }, testNow, []string{"is not after start"}},
			{"caller's id", func(m *Maintenance) { m.ID = "mw-mine" }, testNow, []string{"id is set: vigil assigns it"}},
			{"caller's announcement", func(m *Maintenance) { m.AnnouncedAt = at(1, 0, 0) }, testNow, []string{"announced_at is set: vigil sets it"}},
			{"caller's created_at", func(m *Maintenance) { m.CreatedAt = at(1, 0, 0) }, testNow, []string{"created_at is set"}},
			{"already ended", func(m *Maintenance) { m.ActualEnd = &ended }, testNow, []string{"actual_end is set: schedule the window first, then complete it"}},
			{"already cancelled", func(m *Maintenance) { m.CancelledAt = &ended }, testNow, []string{"cancelled_at is set"}},
			{"no clock", func(m *Maintenance) {}, time.Time{}, []string{"announcement time is missing"}},
			{"every problem at once", func(m *Maintenance) { m.Title, m.Components, m.End = "", nil, m.Start }, testNow,
				[]string{"title is empty", "no components", "is not after start"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := testWindow()
				c.change(&in)
				_, err := s.ScheduleMaintenance(ctx, in, c.now)
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("ScheduleMaintenance = %v, want ErrInvalid", err)
				}
				for _, w := range c.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
			})
		}
		ms, err := s.ListMaintenance(ctx, at(1, 0, 0), at(31, 0, 0), true)
		if err != nil || len(ms) != 0 {
			t.Errorf("invalid windows were stored: %v, %v", ms, err)
		}
	})
}

func TestMaintenanceReschedule(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		later := testNow.Add(24 * time.Hour)
		for _, c := range []struct {
			name       string
			start, end time.Time
			kind       RevisionKind // "" for no change
		}{
			{"earlier start", at(9, 21, 30), at(9, 23, 0), RevisionReannounced},
			{"later end", at(9, 22, 0), at(9, 23, 30), RevisionReannounced},
			{"moved later", at(9, 22, 30), at(9, 23, 30), RevisionReannounced},
			{"moved earlier", at(9, 21, 30), at(9, 22, 30), RevisionReannounced},
			{"moved to another day", at(12, 22, 0), at(12, 23, 0), RevisionReannounced},
			{"widened", at(9, 21, 0), at(10, 0, 0), RevisionReannounced},
			{"later start", at(9, 22, 15), at(9, 23, 0), RevisionShortened},
			{"earlier end", at(9, 22, 0), at(9, 22, 45), RevisionShortened},
			{"narrowed", at(9, 22, 15), at(9, 22, 45), RevisionShortened},
			{"unchanged", at(9, 22, 0), at(9, 23, 0), ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				ctx := context.Background()
				orig, err := s.ScheduleMaintenance(ctx, testWindow(), testNow)
				if err != nil {
					t.Fatal(err)
				}
				m, err := s.RescheduleMaintenance(ctx, orig.ID, c.start, c.end, later)
				if err != nil {
					t.Fatal(err)
				}
				want := orig
				want.Start, want.End = c.start, c.end
				if c.kind == RevisionReannounced {
					want.AnnouncedAt = later
				}
				assertWindow(t, "returned", m, want)
				got, err := s.GetMaintenance(ctx, orig.ID)
				if err != nil {
					t.Fatal(err)
				}
				assertWindow(t, "read back", got, want)
				revs := []MaintenanceRevision{
					{Revision: 1, Kind: RevisionAnnounced, Start: orig.Start, End: orig.End, AnnouncedAt: testNow, RecordedAt: testNow},
				}
				if c.kind != "" {
					revs = append(revs, MaintenanceRevision{Revision: 2, Kind: c.kind, Start: c.start, End: c.end, AnnouncedAt: want.AnnouncedAt, RecordedAt: later})
				}
				assertRevisions(t, s, orig.ID, revs)
			})
		}
	})
}

func TestMaintenanceRescheduleHistory(t *testing.T) {
	// Shortening and then extending again is a new announcement: the rule
	// compares with the current schedule, not the first one.
	forEachState(t, func(t *testing.T, s *State) {
		ctx := context.Background()
		m, err := s.ScheduleMaintenance(ctx, testWindow(), testNow)
		if err != nil {
			t.Fatal(err)
		}
		t1, t2, t3 := testNow.Add(time.Hour), testNow.Add(2*time.Hour), testNow.Add(3*time.Hour)
		steps := []struct {
			start, end, now time.Time
		}{
			{at(9, 22, 0), at(9, 22, 30), t1},  // shortened
			{at(9, 22, 0), at(9, 23, 0), t2},   // back to the original end: ends later than now scheduled
			{at(9, 22, 10), at(9, 22, 50), t3}, // shortened
		}
		for _, st := range steps {
			if m, err = s.RescheduleMaintenance(ctx, m.ID, st.start, st.end, st.now); err != nil {
				t.Fatal(err)
			}
		}
		if !m.AnnouncedAt.Equal(t2) {
			t.Errorf("AnnouncedAt = %v, want %v (the re-announcement)", m.AnnouncedAt, t2)
		}
		assertRevisions(t, s, m.ID, []MaintenanceRevision{
			{Revision: 1, Kind: RevisionAnnounced, Start: at(9, 22, 0), End: at(9, 23, 0), AnnouncedAt: testNow, RecordedAt: testNow},
			{Revision: 2, Kind: RevisionShortened, Start: at(9, 22, 0), End: at(9, 22, 30), AnnouncedAt: testNow, RecordedAt: t1},
			{Revision: 3, Kind: RevisionReannounced, Start: at(9, 22, 0), End: at(9, 23, 0), AnnouncedAt: t2, RecordedAt: t2},
			{Revision: 4, Kind: RevisionShortened, Start: at(9, 22, 10), End: at(9, 22, 50), AnnouncedAt: t2, RecordedAt: t3},
		})
	})
}

func TestMaintenanceRescheduleRefused(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		ctx := context.Background()
		done := schedule(t, s)
		if _, err := s.CompleteMaintenance(ctx, done.ID, at(9, 22, 40)); err != nil {
			t.Fatal(err)
		}
		off := schedule(t, s)
		if _, err := s.CancelMaintenance(ctx, off.ID, testNow); err != nil {
			t.Fatal(err)
		}
		open := schedule(t, s)
		for _, c := range []struct {
			name       string
			id         string
			start, end time.Time
			is         error
			want       string
		}{
			{"unknown", "mw-nothere", at(9, 22, 0), at(9, 23, 0), ErrNotFound, "maintenance window mw-nothere: not found"},
			{"completed", done.ID, at(9, 21, 0), at(9, 23, 0), ErrConflict, "already completed at 2026-03-09T22:40:00Z, it cannot be rescheduled"},
			{"cancelled", off.ID, at(9, 21, 0), at(9, 23, 0), ErrConflict, "already cancelled at 2026-03-02T08:30:15.123Z, it cannot be rescheduled"},
			{"invalid span", open.ID, at(9, 23, 0), at(9, 22, 0), ErrInvalid, "is not after start"},
			{"seconds", open.ID, at(9, 22, 0).Add(time.Second), at(9, 23, 0), ErrInvalid, "is not a whole minute"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.RescheduleMaintenance(ctx, c.id, c.start, c.end, testNow.Add(time.Hour))
				if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.want) {
					t.Errorf("RescheduleMaintenance = %v, want %v containing %q", err, c.is, c.want)
				}
			})
		}
		got, err := s.GetMaintenance(ctx, open.ID)
		if err != nil {
			t.Fatal(err)
		}
		assertWindow(t, "after refused reschedules", got, open)
	})
}

func TestMaintenanceComplete(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		ctx := context.Background()
		for _, c := range []struct {
			name string
			end  time.Time
		}{
			{"early", at(9, 22, 40).Add(12*time.Second + 345*time.Millisecond)},
			{"on time", at(9, 23, 0)},
			{"late", at(9, 23, 25)},
			{"at the start", at(9, 22, 0)},
		} {
			t.Run(c.name, func(t *testing.T) {
				m := schedule(t, s)
				done, err := s.CompleteMaintenance(ctx, m.ID, c.end.In(time.FixedZone("X", 7200)))
				if err != nil {
					t.Fatal(err)
				}
				want := m
				want.ActualEnd = &c.end
				assertWindow(t, "returned", done, want)
				got, err := s.GetMaintenance(ctx, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				assertWindow(t, "read back", got, want)
				_, err = s.CompleteMaintenance(ctx, m.ID, c.end.Add(time.Minute))
				wantErr := "already completed at " + c.end.Format(time.RFC3339Nano)
				if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), wantErr) {
					t.Errorf("second CompleteMaintenance = %v, want ErrConflict saying %q", err, wantErr)
				}
				_, err = s.CancelMaintenance(ctx, m.ID, c.end.Add(time.Minute))
				if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), wantErr+", it cannot be cancelled") {
					t.Errorf("CancelMaintenance of a completed window = %v, want ErrConflict", err)
				}
			})
		}
		t.Run("before the start", func(t *testing.T) {
			m := schedule(t, s)
			_, err := s.CompleteMaintenance(ctx, m.ID, at(9, 21, 59))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "is before the window's start 2026-03-09T22:00:00Z") ||
				!strings.Contains(err.Error(), "cancel the window if it never began") {
				t.Errorf("CompleteMaintenance = %v, want ErrInvalid saying what to do", err)
			}
		})
		t.Run("unknown", func(t *testing.T) {
			_, err := s.CompleteMaintenance(ctx, "mw-nothere", at(9, 22, 30))
			if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "mw-nothere") {
				t.Errorf("CompleteMaintenance = %v, want ErrNotFound naming the id", err)
			}
		})
		t.Run("no time", func(t *testing.T) {
			m := schedule(t, s)
			if _, err := s.CompleteMaintenance(ctx, m.ID, time.Time{}); !errors.Is(err, ErrInvalid) {
				t.Errorf("CompleteMaintenance = %v, want ErrInvalid", err)
			}
		})
	})
}

func TestMaintenanceCancel(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		ctx := context.Background()
		m := schedule(t, s)
		when := testNow.Add(time.Hour)
		got, err := s.CancelMaintenance(ctx, m.ID, when)
		if err != nil {
			t.Fatal(err)
		}
		want := m
		want.CancelledAt = &when
		assertWindow(t, "returned", got, want)
		if got, err = s.GetMaintenance(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		assertWindow(t, "read back", got, want)
		for name, call := range map[string]func() error{
			"cancel again": func() error { _, err := s.CancelMaintenance(ctx, m.ID, when.Add(time.Hour)); return err },
			"complete":     func() error { _, err := s.CompleteMaintenance(ctx, m.ID, at(9, 22, 30)); return err },
		} {
			err := call()
			if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "already cancelled at 2026-03-02T09:30:15.123Z") {
				t.Errorf("%s: %v, want ErrConflict saying when it was cancelled", name, err)
			}
		}
		if _, err := s.CancelMaintenance(ctx, "mw-nothere", when); !errors.Is(err, ErrNotFound) {
			t.Errorf("CancelMaintenance of an unknown window = %v, want ErrNotFound", err)
		}
	})
}

func TestMaintenanceGetUnknown(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		_, err := s.GetMaintenance(context.Background(), "mw-nothere")
		if !errors.Is(err, ErrNotFound) || err.Error() != "get maintenance: maintenance window mw-nothere: not found" {
			t.Errorf("GetMaintenance = %v", err)
		}
		if _, err := s.MaintenanceRevisions(context.Background(), "mw-nothere"); !errors.Is(err, ErrNotFound) {
			t.Errorf("MaintenanceRevisions = %v, want ErrNotFound", err)
		}
	})
}

func TestMaintenanceList(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		ctx := context.Background()
		add := func(start, end time.Time) Maintenance {
			in := testWindow()
			in.Start, in.End = start, end
			m, err := s.ScheduleMaintenance(ctx, in, testNow)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		// Scheduled out of order on purpose.
		b := add(at(10, 10, 0), at(10, 11, 0))
		a := add(at(10, 8, 0), at(10, 9, 0))
		over := add(at(10, 12, 0), at(10, 13, 0)) // overruns to 13:30
		if _, err := s.CompleteMaintenance(ctx, over.ID, at(10, 13, 30)); err != nil {
			t.Fatal(err)
		}
		early := add(at(10, 14, 0), at(10, 16, 0)) // finishes at 14:30
		if _, err := s.CompleteMaintenance(ctx, early.ID, at(10, 14, 30)); err != nil {
			t.Fatal(err)
		}
		off := add(at(10, 9, 30), at(10, 10, 30))
		if _, err := s.CancelMaintenance(ctx, off.ID, testNow); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name      string
			from, to  time.Time
			cancelled bool
			want      []Maintenance
		}{
			{"everything", at(1, 0, 0), at(31, 0, 0), false, []Maintenance{a, b, over, early}},
			{"with cancelled, by start", at(1, 0, 0), at(31, 0, 0), true, []Maintenance{a, off, b, over, early}},
			{"to is exclusive", at(10, 7, 0), at(10, 8, 0), false, nil},
			{"first minute", at(10, 7, 0), at(10, 8, 1), false, []Maintenance{a}},
			{"end is exclusive", at(10, 9, 0), at(10, 9, 30), false, nil},
			{"last minute", at(10, 8, 59), at(10, 9, 30), false, []Maintenance{a}},
			{"inside", at(10, 10, 15), at(10, 10, 16), false, []Maintenance{b}},
			{"around", at(10, 7, 0), at(10, 11, 30), false, []Maintenance{a, b}},
			{"cancelled left out", at(10, 9, 30), at(10, 10, 0), false, nil},
			{"cancelled asked for", at(10, 9, 30), at(10, 10, 0), true, []Maintenance{off}},
			{"overrun counts", at(10, 13, 10), at(10, 13, 20), false, []Maintenance{over}},
			{"after the overrun", at(10, 13, 30), at(10, 14, 0), false, nil},
			{"early finish keeps the schedule", at(10, 15, 0), at(10, 15, 1), false, []Maintenance{early}},
			{"sub-millisecond to", at(10, 8, 0).Add(-time.Microsecond), at(10, 8, 0).Add(time.Microsecond), false, []Maintenance{a}},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := s.ListMaintenance(ctx, c.from, c.to, c.cancelled)
				if err != nil {
					t.Fatal(err)
				}
				if ids(got) != ids(c.want) {
					t.Errorf("ListMaintenance = %s, want %s", ids(got), ids(c.want))
				}
				for _, m := range got {
					if len(m.Components) != 2 {
						t.Errorf("%s: components %v, want api and web", m.ID, m.Components)
					}
				}
			})
		}
		if _, err := s.ListMaintenance(ctx, at(10, 0, 0), at(10, 0, 0), false); !errors.Is(err, ErrInvalid) {
			t.Errorf("ListMaintenance of an empty range = %v, want ErrInvalid", err)
		}
	})
}

func TestMaintenanceConcurrentUse(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		ctx := context.Background()
		const writers, each = 4, 10
		var wg sync.WaitGroup
		created := make(chan string, writers*each)
		for range writers {
			wg.Go(func() {
				for range each {
					m, err := s.ScheduleMaintenance(ctx, testWindow(), testNow)
					if err != nil {
						t.Error(err)
						return
					}
					created <- m.ID
					if _, err := s.RescheduleMaintenance(ctx, m.ID, m.Start, m.End.Add(time.Minute), testNow.Add(time.Minute)); err != nil {
						t.Error(err)
					}
				}
			})
			wg.Go(func() {
				for range each {
					if _, err := s.ListMaintenance(ctx, at(1, 0, 0), at(31, 0, 0), true); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		close(created)
		ms, err := s.ListMaintenance(ctx, at(1, 0, 0), at(31, 0, 0), true)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != writers*each || len(created) != writers*each {
			t.Errorf("%d windows listed, %d created, want %d", len(ms), len(created), writers*each)
		}
		for _, m := range ms {
			if !m.End.Equal(at(9, 23, 1)) {
				t.Errorf("%s ends at %v, want the rescheduled end", m.ID, m.End)
			}
		}
	})
}

// schedule stores testWindow and returns it.
func schedule(t *testing.T, s *State) Maintenance {
	t.Helper()
	m, err := s.ScheduleMaintenance(context.Background(), testWindow(), testNow)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// ids lists the windows' ids in order, for messages.
func ids(ms []Maintenance) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return "[" + strings.Join(out, " ") + "]"
}

// assertWindow compares two windows field by field; times must be equal
// instants and in UTC.
func assertWindow(t *testing.T, what string, got, want Maintenance) {
	t.Helper()
	if got.ID != want.ID || got.Title != want.Title || !slices.Equal(got.Components, want.Components) {
		t.Errorf("%s: id %q title %q components %q, want %q %q %q", what, got.ID, got.Title, got.Components, want.ID, want.Title, want.Components)
	}
	times := []struct {
		name      string
		got, want time.Time
	}{
		{"Start", got.Start, want.Start},
		{"End", got.End, want.End},
		{"AnnouncedAt", got.AnnouncedAt, want.AnnouncedAt},
		{"CreatedAt", got.CreatedAt, want.CreatedAt},
	}
	optional := []struct {
		name      string
		got, want *time.Time
	}{{"ActualEnd", got.ActualEnd, want.ActualEnd}, {"CancelledAt", got.CancelledAt, want.CancelledAt}}
	for _, o := range optional {
		if (o.got == nil) != (o.want == nil) {
			t.Errorf("%s: %s = %v, want %v", what, o.name, o.got, o.want)
			continue
		}
		if o.got != nil {
			times = append(times, struct {
				name      string
				got, want time.Time
			}{o.name, *o.got, *o.want})
		}
	}
	for _, tt := range times {
		if !tt.got.Equal(tt.want) || tt.got.Location() != time.UTC {
			t.Errorf("%s: %s = %v, want %v in UTC", what, tt.name, tt.got, tt.want)
		}
	}
}

// assertRevisions checks the history of window id.
func assertRevisions(t *testing.T, s *State, id string, want []MaintenanceRevision) {
	t.Helper()
	got, err := s.MaintenanceRevisions(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("revisions of %s: %+v, want %+v", id, got, want)
	}
	for i := range want {
		want[i].WindowID = id
		g, w := got[i], want[i]
		if g.WindowID != w.WindowID || g.Revision != w.Revision || g.Kind != w.Kind || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) ||
			!g.AnnouncedAt.Equal(w.AnnouncedAt) || !g.RecordedAt.Equal(w.RecordedAt) {
			t.Errorf("revision %d of %s = %+v, want %+v", i+1, id, g, w)
		}
	}
}
