package main

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/leader"
	"github.com/vigilmon/vigil/store"
)

// Roles of an instance, as /healthz and /metrics show them.
const (
	roleSingle  = "single"  // the state is SQLite: this instance is alone
	roleLeader  = "leader"  // it evaluates incidents and drains the outbox
	roleStandby = "standby" // another instance on the same PostgreSQL does
)

// role is this instance's current role.
type role struct{ v atomic.Value }

func (r *role) set(s string) { r.v.Store(s) }

func (r *role) String() string {
	if s, ok := r.v.Load().(string); ok {
		return s
	}
	return roleSingle
}

// runAlerting evaluates incidents and drains the outbox until ctx ends.
// With the state in SQLite this instance is alone and always does. With
// PostgreSQL, several instances may share the state: all probe, store
// their results and serve the page and the API, and only the leader
// (internal/leader) runs the alerting. Each lead starts from the
// incidents and outbox in the database, so nothing the previous leader
// saved is lost; messages it had in flight are reconciled, not resent
// blindly, by the outbox worker's recovery.
func runAlerting(ctx context.Context, cfg *configs.Config, al *alerting, r *role, logger *slog.Logger) error {
	dsn := cfg.Server.StateDSN()
	if !store.IsPostgresDSN(dsn) {
		r.set(roleSingle)
		return al.Run(ctx)
	}
	r.set(roleStandby)
	al.loop.standby.Store(true)
	logger = logger.With("component", "leader")
	el := leader.New(dsn, leader.Options{Logger: logger})
	return el.Run(ctx, func(lctx context.Context, term int64) {
		if err := al.loop.ev.Resume(lctx, stateIncidents{al.st}); err != nil {
			logger.Error("lead not taken: incidents not read from the state database", "term", term, "err", err)
			return
		}
		al.loop.open.Store(int64(openCount(al.loop.ev)))
		al.loop.standby.Store(false)
		r.set(roleLeader)
		defer func() {
			al.loop.standby.Store(true)
			r.set(roleStandby)
		}()
		if err := al.Run(lctx); err != nil && lctx.Err() == nil {
			logger.Error("alerting stopped while leading", "term", term, "err", err)
		}
	})
}
