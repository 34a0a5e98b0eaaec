package main

import (
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/probe"
)

// buildJobs turns the configured checks into scheduler jobs. Heartbeats
// are not scheduled: their jobs ping vigil (see probe.HeartbeatMonitor).
// Only the checks meant for cfg.Location run (see Check.RunsAt; agents run
// the others). Browser checks share the Chromium of b.
func buildJobs(cfg *configs.Config, b *browsers) ([]probe.Job, error) {
	jobs := make([]probe.Job, 0, len(cfg.Checks))
	for _, c := range cfg.Checks {
		if c.Heartbeat != nil || !c.RunsAt(cfg.Location) {
			continue
		}
		var (
			p   probe.Prober
			err error
		)
		if c.Browser != nil {
			p, err = b.prober(c)
		} else {
			p, err = probe.New(c)
		}
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", c.Name, err)
		}
		fp, err := json.Marshal(c)
		if err != nil {
			return nil, fmt.Errorf("check %s: fingerprint: %w", c.Name, err)
		}
		jobs = append(jobs, probe.Job{
			Name: c.Name, Interval: c.Interval.D(), Timeout: c.Timeout.D(),
			Prober: p, Fingerprint: string(fp),
		})
	}
	return jobs, nil
}

// target is the thing a check looks at, for people.
func target(c configs.Check) string {
	switch {
	case c.HTTP != nil:
		return c.HTTP.Method + " " + c.HTTP.URL
	case c.TCP != nil:
		return c.TCP.Address
	case c.DNS != nil:
		return c.DNS.Type + " " + c.DNS.Name + " @" + c.DNS.Server
	case c.TLS != nil:
		return c.TLS.Address
	case c.Screen != nil && len(c.Screen.Steps) > 0:
		last := c.Screen.Steps[len(c.Screen.Steps)-1].HTTP
		return fmt.Sprintf("%d steps, last %s %s", len(c.Screen.Steps), last.Method, last.URL)
	case c.Browser != nil && len(c.Browser.Steps) > 0:
		return fmt.Sprintf("%d browser steps from %s", len(c.Browser.Steps), c.Browser.Steps[0].Navigate)
	case c.Heartbeat != nil:
		return "POST /api/v1/heartbeats/" + c.Name
	}
	return ""
}

// objectives maps the checks with a latency objective to its threshold.
func objectives(cfg *configs.Config) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, c := range cfg.Checks {
		if c.Objective != nil {
			out[c.Name] = c.Objective.Threshold.D()
		}
	}
	return out
}

// catalog is the current list of checks, swapped whole on reload.
type catalog struct {
	v atomic.Pointer[[]api.CheckInfo]
}

func (c *catalog) set(cfg *configs.Config) {
	list := make([]api.CheckInfo, 0, len(cfg.Checks))
	for _, ch := range cfg.Checks {
		info := api.CheckInfo{
			Name: ch.Name, Component: ch.Component, Kind: ch.Kind(), Target: target(ch),
			Interval: ch.Interval.D(), Timeout: ch.Timeout.D(),
		}
		if h := ch.Heartbeat; h != nil {
			info.Interval, info.Timeout = h.Period.D(), h.Grace.D()
		}
		if o := ch.Objective; o != nil {
			info.Objective = &api.Objective{Threshold: o.Threshold.D(), TargetPPM: int64(o.Target)}
		}
		list = append(list, info)
	}
	c.v.Store(&list)
}

// Checks implements api.Catalog.
func (c *catalog) Checks() []api.CheckInfo {
	if p := c.v.Load(); p != nil {
		return *p
	}
	return nil
}
