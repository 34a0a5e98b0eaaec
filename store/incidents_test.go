package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// incAt returns 2026-03-02 hh:mm UTC.
func incAt(hh, mm int) time.Time { return time.Date(2026, 3, 2, hh, mm, 0, 0, time.UTC) }

// incPtr returns a pointer to t.
func incPtr(t time.Time) *time.Time { return &t }

// testIncident is a valid open incident with one update.
func testIncident(id string, opened time.Time) Incident {
	return Incident{
		ID:         id,
		Title:      "Web shop unavailable",
		Components: []string{"web"},
		Status:     "investigating",
		OpenedAt:   opened,
		Announced:  true,
		Version:    1,
		Updates: []IncidentUpdate{
			{Seq: 1, At: opened, Status: "investigating", Message: "Web shop is not working as expected.", Notify: true},
		},
	}
}

// resolvedIncident returns inc resolved at t, as the next version.
func resolvedIncident(inc Incident, t time.Time) Incident {
	inc.Status, inc.ResolvedAt, inc.Announced = "resolved", &t, false
	inc.Version++
	inc.Updates = append(append([]IncidentUpdate(nil), inc.Updates...),
		IncidentUpdate{Seq: len(inc.Updates) + 1, At: t, Status: "resolved", Message: "Working again."})
	return inc
}

func TestIncidentSaveAndGet(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		ctx := context.Background()
		in := testIncident("inc-aaaaaaaa", incAt(9, 0).Add(1234*time.Microsecond))
		in.Components = []string{"web", "api", "web"}
		in.LastPagedAt = incPtr(incAt(9, 0))
		if err := s.SaveIncident(ctx, in); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetIncident(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := in
		want.Components = []string{"api", "web"}
		want.OpenedAt = incAt(9, 0).Add(time.Millisecond)
		want.Updates = []IncidentUpdate{{Seq: 1, At: want.OpenedAt, Status: "investigating", Message: in.Updates[0].Message, Notify: true}}
		assertIncident(t, got, want)

		// The next versions: acknowledged, then resolved; a repeated save is harmless.
		acked := want
		acked.AckedAt, acked.AckedBy, acked.Version = incPtr(incAt(9, 5)), "alice", 2
		done := resolvedIncident(acked, incAt(9, 30))
		done.Reopens, done.InMaintenance = 1, true
		for _, v := range []Incident{acked, acked, done, done} {
			if err := s.SaveIncident(ctx, v); err != nil {
				t.Fatalf("save version %d: %v", v.Version, err)
			}
		}
		got, err = s.GetIncident(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		assertIncident(t, got, done)

		// An older snapshot never rolls the incident back.
		if err := s.SaveIncident(ctx, acked); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "older than the stored version 3") {
			t.Errorf("save older version = %v, want ErrConflict", err)
		}
		// Another incident under the same id is refused.
		clash := testIncident(in.ID, incAt(11, 0))
		clash.Version = 9
		if err := s.SaveIncident(ctx, clash); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "already belongs to the incident opened at") {
			t.Errorf("save clashing id = %v, want ErrConflict", err)
		}
		if _, err := s.GetIncident(ctx, "inc-nothere"); !errors.Is(err, ErrNotFound) {
			t.Errorf("GetIncident(unknown) = %v, want ErrNotFound", err)
		}
	})
}

func TestIncidentSaveInvalid(t *testing.T) {
	forEachState(t, func(t *testing.T, s *State) {
		bad := Incident{ID: "x", Status: "down", Version: 0, ResolvedAt: incPtr(incAt(1, 0)), AckedBy: "bob",
			Updates: []IncidentUpdate{{Seq: 2, At: incAt(1, 0), Status: "resolved"}}}
		err := s.SaveIncident(context.Background(), bad)
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("err = %v, want ErrInvalid", err)
		}
		for _, want := range []string{
			`id "x" is not an incident id`, "title is empty", "no components", `status "down" is not one of`,
			"opened_at is missing", "resolved_at must be set exactly when", "acked_at and acked_by go together",
			"version 0 is not positive", "update 1 has seq 2",
		} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q:\n%v", want, err)
			}
		}
	})
}

func TestIncidentListAndActive(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s, dsn := b.open(t)
		ctx := context.Background()
		early := resolvedIncident(testIncident("inc-early", incAt(0, 0)), incAt(0, 30))    // [00:00, 00:30)
		mid := resolvedIncident(testIncident("inc-mid", incAt(1, 0)), incAt(2, 0))         // [01:00, 02:00)
		recent := resolvedIncident(testIncident("inc-recent", incAt(2, 50)), incAt(2, 55)) // [02:50, 02:55)
		open := testIncident("inc-open", incAt(3, 0))                                      // [03:00, …)
		for _, inc := range []Incident{open, mid, early, recent} {
			if err := s.SaveIncident(ctx, inc); err != nil {
				t.Fatal(err)
			}
		}
		ids := func(incs []Incident) []string {
			var out []string
			for _, inc := range incs {
				out = append(out, inc.ID)
			}
			return out
		}
		for _, c := range []struct {
			from, to time.Time
			want     []string
		}{
			{incAt(1, 30), incAt(4, 0), []string{"inc-mid", "inc-recent", "inc-open"}},
			{incAt(0, 30), incAt(1, 0), nil}, // both ends exclusive of the neighbours
			{incAt(0, 29), incAt(1, 1), []string{"inc-early", "inc-mid"}},
			{incAt(5, 0), incAt(6, 0), []string{"inc-open"}}, // still open
		} {
			got, err := s.ListIncidents(ctx, c.from, c.to)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(got), c.want) {
				t.Errorf("ListIncidents(%s, %s) = %v, want %v", c.from.Format("15:04"), c.to.Format("15:04"), ids(got), c.want)
			}
		}
		if _, err := s.ListIncidents(ctx, incAt(2, 0), incAt(2, 0)); !errors.Is(err, ErrInvalid) {
			t.Errorf("ListIncidents(empty range) = %v, want ErrInvalid", err)
		}

		// After a restart: the open incident and the one resolved since 02:50.
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s2 := b.reopen(t, dsn)
		got, err := s2.ActiveIncidents(ctx, incAt(2, 50))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"inc-recent", "inc-open"}; !reflect.DeepEqual(ids(got), want) {
			t.Errorf("ActiveIncidents = %v, want %v", ids(got), want)
		}
		assertIncident(t, got[1], open)
	})
}

// assertIncident compares two incidents field by field.
func assertIncident(t *testing.T, got, want Incident) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("incident:\n got: %+v\nwant: %+v", got, want)
	}
}
