package main

import (
	"context"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"github.com/vigilmon/vigil/store"
)

// maintRefresh is how often the maintenance windows are re-read; changes
// through the admin API are seen at once, those of the CLI (which writes
// the state database directly) within this time. It is also how late a
// started or completed notice may be. A variable for tests, which shorten
// it (set it before serve starts).
var maintRefresh = 30 * time.Second

// maintClock is the maintenance watch's clock, a variable for tests that
// move it past a window's whole-minute start (set it before serve starts).
var maintClock = time.Now

// maintWatch keeps the maintenance windows of the state database in
// memory for the evaluator (it is its alert.Muter) and sends the
// subscribers' maintenance started and completed notices.
//
// Muting rule: a window mutes paging for its components while it is in
// force: from Start until End, or until ActualEnd when it was completed
// early; a cancelled window mutes nothing. Whether a customer's SLA would
// count the window as planned does not matter here: the engineers who
// announced the work are not to be paged about it (the SLA report judges
// the minutes separately).
type maintWatch struct {
	st      *store.State
	fan     *fanout
	wake    func()
	now     func() time.Time
	every   time.Duration // maintRefresh
	logger  *slog.Logger
	windows atomic.Pointer[[]store.Maintenance]
	changed chan struct{}
}

// newMaintWatch returns a watch with the windows loaded.
func newMaintWatch(ctx context.Context, st *store.State, fan *fanout, wake func(), logger *slog.Logger) (*maintWatch, error) {
	w := &maintWatch{st: st, fan: fan, wake: wake, now: maintClock, every: maintRefresh, logger: logger, changed: make(chan struct{}, 1)}
	if err := w.load(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

// inForce reports whether m mutes at t (see maintWatch).
func inForce(m store.Maintenance, t time.Time) bool {
	return m.CancelledAt == nil && !t.Before(m.Start) && t.Before(effectiveEnd(m))
}

// effectiveEnd is when m ends: End, or ActualEnd when it closed early.
func effectiveEnd(m store.Maintenance) time.Time {
	if m.ActualEnd != nil && m.ActualEnd.Before(m.End) {
		return *m.ActualEnd
	}
	return m.End
}

// Muted implements alert.Muter from memory.
func (w *maintWatch) Muted(component string, t time.Time) bool {
	ws := w.windows.Load()
	if ws == nil {
		return false
	}
	for _, m := range *ws {
		if inForce(m, t) && slices.Contains(m.Components, component) {
			return true
		}
	}
	return false
}

// Changed tells the watch that the schedule changed: it re-reads the
// windows now, so that the muting follows at once, and lets Run send the
// notices that became due.
func (w *maintWatch) Changed(ctx context.Context) {
	if err := w.load(ctx); err != nil {
		w.logger.Warn("maintenance windows not refreshed, keeping the last ones", "err", err)
	}
	w.kick()
}

// kick wakes Run; it never blocks.
func (w *maintWatch) kick() {
	select {
	case w.changed <- struct{}{}:
	default:
	}
}

// load reads the windows around now: those of the last day (whose
// completed notice may be due) to those starting within a week.
func (w *maintWatch) load(ctx context.Context) error {
	now := w.now()
	ms, err := w.st.ListMaintenance(ctx, now.Add(-24*time.Hour), now.Add(7*24*time.Hour), true)
	if err != nil {
		return err
	}
	w.windows.Store(&ms)
	return nil
}

// Run refreshes the windows every maintRefresh and on Changed, and sends
// the notices that are due, until ctx ends.
func (w *maintWatch) Run(ctx context.Context) error {
	t := time.NewTicker(w.every)
	defer t.Stop()
	for {
		if err := w.load(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			w.logger.Warn("maintenance windows not refreshed, keeping the last ones", "err", err)
		} else {
			w.notices(ctx)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-w.changed:
		}
	}
}

// notices enqueues the started notice of windows in force and the
// completed notice of windows that were announced as started and are over
// (ended, completed or cancelled). Each goes out once (the state database
// records it with the messages).
func (w *maintWatch) notices(ctx context.Context) {
	now := w.now()
	for _, m := range *w.windows.Load() {
		switch {
		case inForce(m, now):
			w.notice(ctx, m, store.NoticeStarted, now)
		case m.CancelledAt != nil || !now.Before(effectiveEnd(m)):
			if started, err := w.st.MaintenanceNoticeSent(ctx, m.ID, store.NoticeStarted); err == nil && started {
				w.notice(ctx, m, store.NoticeCompleted, now)
			}
		}
	}
}

// Scheduled sends the scheduled notice of a new window that has not ended
// (one recorded after the fact is announced to nobody).
func (w *maintWatch) Scheduled(ctx context.Context, m store.Maintenance) {
	if now := w.now(); now.Before(effectiveEnd(m)) {
		w.notice(ctx, m, store.NoticeScheduled, now)
	}
	w.Changed(ctx)
}

// Rescheduled announces window m again when the move made at now was a
// new announcement (it starts earlier or ends later: the store then sets
// AnnouncedAt to now) and the window has not ended. The subscribers (and
// webhooks) get the scheduled text with the new times; a window only
// shortened (starting later, ending earlier) is not announced again: what
// they were told still covers it.
//
// The store records one notice per window and kind, so a re-announcement
// cannot be recorded there; it goes to the outbox directly, from the one
// call that re-announced (a repeated move to the same span leaves
// AnnouncedAt as it was). A crash between the move and this enqueue loses
// the re-announcement, never duplicates it.
func (w *maintWatch) Rescheduled(ctx context.Context, m store.Maintenance, now time.Time) {
	if m.AnnouncedAt.After(m.CreatedAt) && m.AnnouncedAt.Equal(time.UnixMilli(now.UnixMilli())) && w.now().Before(effectiveEnd(m)) {
		entries, warn, err := w.fan.maintenanceEntries(ctx, store.NoticeScheduled, m, now)
		if warn != nil {
			w.logger.Warn("maintenance notice text", "err", warn)
		}
		if err == nil {
			_, err = w.st.EnqueueOutbox(ctx, entries, time.Now())
		}
		if err != nil {
			w.logger.Error("maintenance re-announcement not enqueued", "maintenance", m.ID, "err", err)
		} else {
			w.logger.Info("maintenance re-announcement enqueued", "maintenance", m.ID, "messages", len(entries))
			w.wake()
		}
	}
	w.Changed(ctx)
}

// notice enqueues m's notice of kind unless it was sent.
func (w *maintWatch) notice(ctx context.Context, m store.Maintenance, kind string, now time.Time) {
	if sent, err := w.st.MaintenanceNoticeSent(ctx, m.ID, kind); err != nil || sent {
		return
	}
	// The outbox runs on the wall clock, whatever the watch's clock says.
	if err := enqueueMaintenanceNoticeAt(ctx, w.st, w.fan, m, kind, now, time.Now(), w.logger); err != nil {
		w.logger.Error("maintenance notice not enqueued", "maintenance", m.ID, "kind", kind, "err", err)
		return
	}
	w.wake()
}

// enqueueMaintenanceNotice writes window m's notice of kind to the outbox
// (once per window and kind); the maintenance CLI uses it too.
func enqueueMaintenanceNotice(ctx context.Context, st *store.State, fan *fanout, m store.Maintenance, kind string, now time.Time, logger *slog.Logger) error {
	return enqueueMaintenanceNoticeAt(ctx, st, fan, m, kind, now, now, logger)
}

// enqueueMaintenanceNoticeAt writes window m's notice of kind, dated at,
// to the outbox at queued, once per window and kind.
func enqueueMaintenanceNoticeAt(ctx context.Context, st *store.State, fan *fanout, m store.Maintenance, kind string, at, queued time.Time, logger *slog.Logger) error {
	entries, warn, err := fan.maintenanceEntries(ctx, kind, m, at)
	if err != nil {
		return err
	}
	if warn != nil {
		logger.Warn("maintenance notice text", "err", warn)
	}
	fresh, err := st.EnqueueMaintenanceNotice(ctx, m.ID, kind, entries, queued)
	if err == nil && fresh {
		logger.Info("maintenance notice enqueued", "maintenance", m.ID, "kind", kind, "messages", len(entries))
	}
	return err
}

// notifyingMaintenances is the schedule as the admin API changes it: each
// change refreshes the muting at once, and a new window is announced to
// the subscribers of its components.
type notifyingMaintenances struct {
	*store.State
	w *maintWatch
}

// ScheduleMaintenance implements api.Maintenances.
func (n notifyingMaintenances) ScheduleMaintenance(ctx context.Context, m store.Maintenance, now time.Time) (store.Maintenance, error) {
	m, err := n.State.ScheduleMaintenance(ctx, m, now)
	if err == nil {
		n.w.Scheduled(ctx, m)
	}
	return m, err
}

// RescheduleMaintenance implements api.Maintenances: a move that is a new
// announcement is announced to the subscribers again (see Rescheduled).
func (n notifyingMaintenances) RescheduleMaintenance(ctx context.Context, id string, start, end, now time.Time) (store.Maintenance, error) {
	m, err := n.State.RescheduleMaintenance(ctx, id, start, end, now)
	if err == nil {
		n.w.Rescheduled(ctx, m, now)
	} else {
		n.w.Changed(ctx)
	}
	return m, err
}

// CompleteMaintenance implements api.Maintenances.
func (n notifyingMaintenances) CompleteMaintenance(ctx context.Context, id string, at time.Time) (store.Maintenance, error) {
	m, err := n.State.CompleteMaintenance(ctx, id, at)
	n.w.Changed(ctx)
	return m, err
}

// CancelMaintenance implements api.Maintenances.
func (n notifyingMaintenances) CancelMaintenance(ctx context.Context, id string, at time.Time) (store.Maintenance, error) {
	m, err := n.State.CancelMaintenance(ctx, id, at)
	n.w.Changed(ctx)
	return m, err
}
