package main

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/statuspage"
	"github.com/vigilmon/vigil/store"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// The status page's sources, adapted from the daemon's stores and its
// running config.

// pageCatalog lists the configured components with their checks; it
// follows reloads and rebuilds the list only when the config changed.
type pageCatalog struct {
	live *liveConfig

	mu    sync.Mutex
	cfg   *configs.Config
	comps []statuspage.Component
}

func (c *pageCatalog) Components() []statuspage.Component {
	cfg := c.live.get()
	c.mu.Lock()
	defer c.mu.Unlock()
	if cfg != c.cfg {
		c.cfg, c.comps = cfg, pageComponents(cfg)
	}
	return c.comps
}

// pageComponents translates the config: components in config order, each
// with its checks. A check is a key screen when it has a latency objective
// of its own, else when an SLA names it in one (the strictest threshold).
func pageComponents(cfg *configs.Config) []statuspage.Component {
	thresholds := map[string]time.Duration{}
	for _, s := range cfg.SLAs {
		for _, o := range s.Latency {
			if th := o.Threshold.D(); thresholds[o.Check] == 0 || th < thresholds[o.Check] {
				thresholds[o.Check] = th
			}
		}
	}
	for _, ch := range cfg.Checks {
		if ch.Objective != nil {
			thresholds[ch.Name] = ch.Objective.Threshold.D()
		}
	}
	byComp := map[string][]statuspage.Check{}
	for _, ch := range cfg.Checks {
		interval := ch.Interval.D()
		if h := ch.Heartbeat; h != nil {
			interval = h.Period.D() + h.Grace.D()
		}
		byComp[ch.Component] = append(byComp[ch.Component], statuspage.Check{Name: ch.Name, Interval: interval, Threshold: thresholds[ch.Name]})
	}
	out := make([]statuspage.Component, 0, len(cfg.Components))
	for _, c := range cfg.Components {
		out = append(out, statuspage.Component{ID: c.ID, Name: c.Name, Group: c.Group, Description: c.Description, Checks: byComp[c.ID]})
	}
	return out
}

// pageLatest reads the daemon's latest word on each check: the location
// quorum's verdict over the latest result of each location.
type pageLatest struct{ latest *api.Latest }

func (l pageLatest) Latest(check string) (statuspage.Result, bool) {
	r, ok := l.latest.Verdict(check)
	if !ok {
		return statuspage.Result{}, false
	}
	return statuspage.Result{Start: r.Start, OK: r.OK, Duration: r.Duration}, true
}

// pageState reads incidents and maintenance windows from the state
// database.
type pageState struct{ state *store.State }

func (s pageState) Incidents(ctx context.Context, from, to time.Time) ([]statuspage.Incident, error) {
	incs, err := s.state.ListIncidents(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]statuspage.Incident, 0, len(incs))
	for _, inc := range incs {
		pi := statuspage.Incident{
			ID: inc.ID, Title: inc.Title, Components: inc.Components, Status: inc.Status,
			OpenedAt: inc.OpenedAt, ResolvedAt: inc.ResolvedAt, InMaintenance: inc.InMaintenance,
		}
		for _, u := range inc.Updates {
			pi.Updates = append(pi.Updates, statuspage.Update{Seq: u.Seq, At: u.At, Status: u.Status, Message: u.Message, Notify: u.Notify})
		}
		out = append(out, pi)
	}
	return out, nil
}

func (s pageState) Maintenance(ctx context.Context, from, to time.Time) ([]statuspage.Maintenance, error) {
	ws, err := s.state.ListMaintenance(ctx, from, to, true)
	if err != nil {
		return nil, err
	}
	out := make([]statuspage.Maintenance, 0, len(ws))
	for _, w := range ws {
		out = append(out, pageWindow(w))
	}
	return out, nil
}

func pageWindow(w store.Maintenance) statuspage.Maintenance {
	return statuspage.Maintenance{
		ID: w.ID, Title: w.Title, Components: w.Components, Start: w.Start, End: w.End,
		AnnouncedAt: w.AnnouncedAt, CreatedAt: w.CreatedAt, ActualEnd: w.ActualEnd, CancelledAt: w.CancelledAt,
	}
}

// pageLatency reads a key screen's ok results from the results store.
type pageLatency struct{ results *resultsdb.Results }

func (l pageLatency) Timings(ctx context.Context, check string, from, to time.Time) ([]statuspage.Timing, error) {
	var out []statuspage.Timing
	err := readObservations(ctx, l.results, []string{check}, []string{check}, from, to, func(_, _ string, samples []sla.Sample) error {
		// The page reads a day of each key screen every minute on the
		// cores that serve it: a batch at a time, waiting requests first.
		runtime.Gosched()
		for _, s := range samples {
			if s.OK {
				out = append(out, statuspage.Timing{Start: time.UnixMilli(s.StartMS), Duration: time.Duration(s.DurationMS) * time.Millisecond})
			}
		}
		return nil
	})
	return out, err
}
