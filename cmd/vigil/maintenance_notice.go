package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/store"
)

// announce enqueues the scheduled notice of a window scheduled from the
// command line for the subscribers of its components (the running daemon's
// outbox worker sends it); a window already over is announced to nobody.
func (m *maintenanceCmd) announce(ctx context.Context, cfg *configs.Config, st *store.State, w store.Maintenance) error {
	now := m.now()
	if !now.Before(effectiveEnd(w)) {
		return nil
	}
	fan, err := newFanout(cfg, st)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(m.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := enqueueMaintenanceNotice(ctx, st, fan, w, store.NoticeScheduled, now, logger); err != nil {
		return fmt.Errorf("window %s is scheduled, but its notice to subscribers was not: %w", w.ID, err)
	}
	return nil
}
