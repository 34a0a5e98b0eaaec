package main

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/vigilmon/vigil/alert"
	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store"
)

const (
	// alertTick is how often the evaluator's Tick runs (reminders, the end
	// of maintenance).
	alertTick = 15 * time.Second
	// alertQueue is how many results may wait for the evaluator. It only
	// fills when the state database stalls; results beyond it are dropped
	// (and counted) rather than block the scheduler.
	alertQueue = 4096
)

// incidentOp is an engineer's operation (or a read) run by the loop on
// the evaluator, whose state only the loop touches.
type incidentOp struct {
	run  func(e *alert.Evaluator) ([]alert.Event, error)
	done chan error
}

// alerter owns the alert.Evaluator: one goroutine feeds it the probe
// results, the ticks and the engineers' operations, saves every event's
// incident and enqueues its notifications in the same transaction, then
// wakes the outbox worker.
type alerter struct {
	ev     *alert.Evaluator
	st     *store.State
	fan    *fanout
	wake   func()
	logger *slog.Logger
	now    func() time.Time

	results chan probe.Result
	ops     chan incidentOp

	open      atomic.Int64 // open incidents, for /metrics
	dropped   atomic.Int64 // results dropped because the queue was full
	saveFails atomic.Int64 // events whose incident could not be saved
	// standby is set while another instance leads (high availability):
	// results are not evaluated and incident changes are refused.
	standby atomic.Bool
}

// Observe hands r to the evaluator without ever blocking the caller.
func (a *alerter) Observe(r probe.Result) {
	if a.standby.Load() {
		return
	}
	select {
	case a.results <- r:
	default:
		if a.dropped.Add(1)%100 == 1 {
			a.logger.Warn("alerting is behind: probe result not evaluated", "check", r.Check, "dropped", a.dropped.Load())
		}
	}
}

// Run evaluates until ctx ends.
func (a *alerter) Run(ctx context.Context) error {
	t := time.NewTicker(alertTick)
	defer t.Stop()
	a.open.Store(int64(openCount(a.ev)))
	for {
		select {
		case <-ctx.Done():
			return nil
		case r := <-a.results:
			a.handle(ctx, a.ev.Observe(r))
		case <-t.C:
			a.handle(ctx, a.ev.Tick())
		case op := <-a.ops:
			evs, err := op.run(a.ev)
			if err == nil {
				err = a.handle(ctx, evs)
			}
			op.done <- err
		}
	}
}

// do runs fn on the evaluator in the loop and waits until its events are
// saved and enqueued.
func (a *alerter) do(ctx context.Context, fn func(e *alert.Evaluator) ([]alert.Event, error)) error {
	if a.standby.Load() {
		return api.ErrStandby
	}
	op := incidentOp{run: fn, done: make(chan error, 1)}
	select {
	case a.ops <- op:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-op.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// handle saves each event's incident with its notifications, in order,
// and wakes the outbox worker. It returns the first failure; the events
// after it are still handled.
func (a *alerter) handle(ctx context.Context, evs []alert.Event) error {
	if len(evs) == 0 {
		return nil
	}
	var first error
	queued := 0
	for _, ev := range evs {
		entries, warn, err := a.fan.incidentEntries(ctx, ev)
		if warn != nil {
			a.logger.Warn("incident text", "err", warn)
		}
		if err != nil {
			// Still save the incident: a lost page is bad, a lost
			// incident record worse.
			a.logger.Error("incident notifications not built", "incident", ev.Incident.ID, "err", err)
		}
		ids, err := a.st.SaveIncidentAndEnqueue(ctx, toStore(ev.Incident), entries, a.now())
		if err != nil {
			a.saveFails.Add(1)
			a.logger.Error("incident event not saved", "incident", ev.Incident.ID, "event", ev.Kind, "err", err)
			first = cmpErr(first, err)
			continue
		}
		queued += len(ids)
		a.logger.Info("incident event", "incident", ev.Incident.ID, "event", ev.Kind, "status", ev.Incident.Status,
			"silent", ev.Silent, "silent_because", ev.SilentBecause, "messages", len(ids))
	}
	a.open.Store(int64(openCount(a.ev)))
	if queued > 0 {
		a.wake()
	}
	return first
}

// cmpErr keeps the first error.
func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// openCount counts the evaluator's open incidents.
func openCount(e *alert.Evaluator) int {
	n := 0
	for _, inc := range e.Incidents() {
		if inc.Open() {
			n++
		}
	}
	return n
}
