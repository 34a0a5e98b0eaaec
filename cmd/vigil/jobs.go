package main

import (
	"encoding/json"
	"fmt"
	"sync/atomic"

	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/probe"
)

// buildJobs turns the configured checks into scheduler jobs.
func buildJobs(cfg *configs.Config) ([]probe.Job, error) {
	jobs := make([]probe.Job, 0, len(cfg.Checks))
	for _, c := range cfg.Checks {
		p, err := probe.New(c)
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
	}
	return ""
}

// catalog is the current list of checks, swapped whole on reload.
type catalog struct {
	v atomic.Pointer[[]api.CheckInfo]
}

func (c *catalog) set(cfg *configs.Config) {
	list := make([]api.CheckInfo, 0, len(cfg.Checks))
	for _, ch := range cfg.Checks {
		list = append(list, api.CheckInfo{
			Name: ch.Name, Component: ch.Component, Kind: ch.Kind(), Target: target(ch),
			Interval: ch.Interval.D(), Timeout: ch.Timeout.D(),
		})
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
