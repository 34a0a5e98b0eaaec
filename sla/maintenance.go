package sla

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Window is a maintenance window (section 3). Start and End are the
// scheduled whole minutes; AnnouncedAt is when it was first published (see
// Reschedule); ActualEnd, when set, is when an operator closed it.
type Window struct {
	ID          string
	Components  []string
	Start, End  time.Time
	AnnouncedAt time.Time
	ActualEnd   *time.Time
}

// Reschedule applies the rescheduling rule of section 3 and returns the
// changed window: starting earlier or ending later is a new announcement at
// time at (for the whole window); shortening keeps the old announcement.
func Reschedule(w Window, start, end, at time.Time) (Window, error) {
	if !isWholeMinute(start) || !isWholeMinute(end) || !end.After(start) {
		return w, fmt.Errorf("reschedule window %q: start and end must be whole minutes with end after start", w.ID)
	}
	if start.Before(w.Start) || end.After(w.End) {
		w.AnnouncedAt = at
	}
	w.Start, w.End = start, end
	return w, nil
}

// windowEval is a window judged against the terms and the period.
type windowEval struct {
	w       Window
	comps   []int // in-scope components, as indexes into the scope
	planned bool
	reason  string
	notice  time.Duration
	lo, hi  int // exclusion span in period minutes [lo, hi), empty unless planned
}

// validateWindows reports every problem with the windows at once.
func validateWindows(ws []Window) error {
	var errs []error
	ids := map[string]bool{}
	for i, w := range ws {
		name := w.ID
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
			errs = append(errs, fmt.Errorf("maintenance window %s: id is empty", name))
		} else if ids[w.ID] {
			errs = append(errs, fmt.Errorf("maintenance window %q: listed twice: ids must be unique", w.ID))
		}
		ids[w.ID] = true
		if len(w.Components) == 0 {
			errs = append(errs, fmt.Errorf("maintenance window %s: no components", name))
		}
		switch {
		case w.Start.IsZero() || w.End.IsZero():
			errs = append(errs, fmt.Errorf("maintenance window %s: start and end must be set", name))
		case !isWholeMinute(w.Start) || !isWholeMinute(w.End):
			errs = append(errs, fmt.Errorf("maintenance window %s: start %s and end %s must be whole minutes",
				name, w.Start.Format(time.RFC3339Nano), w.End.Format(time.RFC3339Nano)))
		case !w.End.After(w.Start):
			errs = append(errs, fmt.Errorf("maintenance window %s: end %s must be after start %s",
				name, w.End.Format(time.RFC3339), w.Start.Format(time.RFC3339)))
		}
		if w.AnnouncedAt.IsZero() {
			errs = append(errs, fmt.Errorf("maintenance window %s: announced_at is missing: set when the window was first published", name))
		}
		if w.ActualEnd != nil && w.ActualEnd.IsZero() {
			errs = append(errs, fmt.Errorf("maintenance window %s: actual_end is set but zero: leave it out when the window was not closed", name))
		}
	}
	return errors.Join(errs...)
}

// evaluateWindows judges each window that concerns the scope and overlaps
// the period, computes its exclusion span, and returns them sorted by start.
func evaluateWindows(ws []Window, t *Terms, scope map[string]int, f *frame) []*windowEval {
	var out []*windowEval
	for _, w := range ws {
		e := &windowEval{w: w}
		for _, c := range w.Components {
			if i, ok := scope[c]; ok {
				e.comps = append(e.comps, i)
			}
		}
		last := w.End
		if w.ActualEnd != nil && w.ActualEnd.After(last) {
			last = *w.ActualEnd
		}
		if len(e.comps) == 0 || !w.Start.Before(f.endTime()) || !last.After(f.startTime()) {
			continue // another customer's or another month's window
		}
		e.notice = w.Start.Sub(w.AnnouncedAt)
		e.planned, e.reason = t.Judge(w)
		if e.planned {
			end := w.End
			if w.ActualEnd != nil && w.ActualEnd.Before(end) {
				// An early close returns the rest of the minute too: only
				// whole minutes before actual_end are excluded.
				end = w.ActualEnd.Truncate(time.Minute)
			}
			e.lo = max(f.minute(w.Start.UnixMilli()), 0)
			e.hi = f.minute(end.UnixMilli())
			if end.UnixMilli() <= f.startMS {
				e.hi = 0
			}
			if e.hi < e.lo {
				e.hi = e.lo
			}
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].w.Start.Equal(out[j].w.Start) {
			return out[i].w.Start.Before(out[j].w.Start)
		}
		return out[i].w.ID < out[j].w.ID
	})
	return out
}

// firstDisallowed returns the first local minute of [start, end) outside the
// allowed hours, if any.
func firstDisallowed(a *AllowedHours, start, end time.Time, loc *time.Location) (time.Time, bool) {
	if a.all() {
		return time.Time{}, false
	}
	for m := start; m.Before(end); m = m.Add(time.Minute) {
		lt := m.In(loc)
		if !a.allows(lt) {
			return lt, true
		}
	}
	return time.Time{}, false
}

// exclusions applies the budget and returns, per in-scope component, the
// minutes it is excluded, and the minutes any component is.
func exclusions(ws []*windowEval, nComps int, budget time.Duration, f *frame) (perComp []bitset, any bitset) {
	perComp = make([]bitset, nComps)
	for i := range perComp {
		perComp[i] = newBitset(f.n)
	}
	any = newBitset(f.n)
	for _, e := range ws {
		any.setRange(e.lo, e.hi)
	}
	if budget > 0 {
		// One minute of budget per calendar minute in which any planned
		// window is excluding, in time order; the rest is not excluded.
		left := int(budget / time.Minute)
		for w, word := range any {
			for b := 0; b < 64 && word != 0; b++ {
				if word&(1<<uint(b)) == 0 {
					continue
				}
				if left > 0 {
					left--
				} else {
					any[w] &^= 1 << uint(b)
				}
				word &^= 1 << uint(b)
			}
		}
	}
	for _, e := range ws {
		span := newBitset(f.n)
		span.setRange(e.lo, e.hi)
		for i, w := range span {
			span[i] = w & any[i]
		}
		for _, c := range e.comps {
			perComp[c].or(span)
		}
	}
	return perComp, any
}

// fmtHours formats a duration as hours, never rounding up: 72h, 71h30m,
// 119h59m59s.
func fmtHours(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	h := d / time.Hour
	m := (d % time.Hour) / time.Minute
	s := (d % time.Minute) / time.Second
	out := fmt.Sprintf("%dh", h)
	if m != 0 || s != 0 {
		out += fmt.Sprintf("%dm", m)
	}
	if s != 0 {
		out += fmt.Sprintf("%ds", s)
	}
	if neg {
		out = "-" + out
	}
	return out
}
