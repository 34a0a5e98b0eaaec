package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// newWindow checks a window to be scheduled and returns it normalized:
// title and components trimmed, components sorted without duplicates,
// times in UTC, AnnouncedAt and CreatedAt set to now. The error wraps
// ErrInvalid and lists every problem with what to do about it.
func newWindow(m Maintenance, now time.Time) (Maintenance, error) {
	var problems []string
	if m.ID != "" {
		problems = append(problems, "id is set: vigil assigns it, leave it empty")
	}
	if !m.AnnouncedAt.IsZero() {
		problems = append(problems, "announced_at is set: vigil sets it to the time the window is scheduled, leave it empty")
	}
	if !m.CreatedAt.IsZero() {
		problems = append(problems, "created_at is set: vigil sets it, leave it empty")
	}
	if m.ActualEnd != nil {
		problems = append(problems, "actual_end is set: schedule the window first, then complete it")
	}
	if m.CancelledAt != nil {
		problems = append(problems, "cancelled_at is set: schedule the window first, then cancel it")
	}
	m.Title = strings.TrimSpace(m.Title)
	if m.Title == "" {
		problems = append(problems, "title is empty: give the window a title people will see")
	}
	comps, compProblems := normalizeComponents(m.Components)
	problems = append(problems, compProblems...)
	problems = append(problems, checkSpan(m.Start, m.End)...)
	if now.IsZero() {
		problems = append(problems, "announcement time is missing: pass the server's clock")
	}
	if len(problems) > 0 {
		return Maintenance{}, invalid(problems)
	}
	now = stamp(now)
	m.Components = comps
	m.Start, m.End = m.Start.UTC(), m.End.UTC()
	m.AnnouncedAt, m.CreatedAt = now, now
	return m, nil
}

// normalizeComponents trims, sorts and deduplicates component names and
// reports empty ones and an empty list.
func normalizeComponents(in []string) ([]string, []string) {
	if len(in) == 0 {
		return nil, []string{"no components: name at least one component the window covers"}
	}
	var problems []string
	out := make([]string, 0, len(in))
	for i, c := range in {
		c = strings.TrimSpace(c)
		if c == "" {
			problems = append(problems, fmt.Sprintf("component %d of %d is empty: give its name or leave it out", i+1, len(in)))
			continue
		}
		out = append(out, c)
	}
	slices.Sort(out)
	return slices.Compact(out), problems
}

// checkSpan reports what is wrong with a scheduled span [start, end).
func checkSpan(start, end time.Time) []string {
	var problems []string
	for _, b := range []struct {
		name string
		t    time.Time
	}{{"start", start}, {"end", end}} {
		switch {
		case b.t.IsZero():
			problems = append(problems, fmt.Sprintf("%s is missing: give it as a whole minute", b.name))
		case !b.t.Truncate(time.Minute).Equal(b.t):
			problems = append(problems, fmt.Sprintf("%s %s is not a whole minute: drop the seconds", b.name, fmtTime(b.t)))
		}
	}
	if !start.IsZero() && !end.IsZero() && !end.After(start) {
		problems = append(problems, fmt.Sprintf("end %s is not after start %s: end the window after it starts", fmtTime(end), fmtTime(start)))
	}
	return problems
}

// invalid wraps ErrInvalid with every problem found.
func invalid(problems []string) error {
	return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
}

// windowIDEncoding spells IDs in lower case without padding.
var windowIDEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newWindowID returns an id, "mw-" and 8 random characters (40 bits), that
// no window in tx has. Random rather than sequential, so that an id never
// comes back after the database has been replaced: ids end up in reports,
// feeds and calendars (iCalendar UIDs).
func newWindowID(ctx context.Context, tx *txn) (string, error) {
	for range 5 {
		b := make([]byte, 5)
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("window id: %w", err)
		}
		id := "mw-" + windowIDEncoding.EncodeToString(b)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM maintenance_windows WHERE id = ?`, id).Scan(&n); err != nil {
			return "", fmt.Errorf("window id: %w", err)
		}
		if n == 0 {
			return id, nil
		}
	}
	return "", errors.New("window id: no unused id after 5 tries")
}
