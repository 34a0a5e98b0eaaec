package main

import (
	"slices"
	"sync/atomic"

	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/store"
)

// unplannedWarnings judges window m against the terms of every customer
// whose SLA covers one of its components, and returns a warning for each
// that would count it as unplanned, in the order of the config. A
// customer whose terms do not translate is warned about too: better a
// false alarm than a silent cost.
func unplannedWarnings(cfg *configs.Config, m store.Maintenance) []api.Warning {
	w := slaWindow(m)
	var out []api.Warning
	for _, s := range cfg.SLAs {
		if !slices.ContainsFunc(m.Components, func(c string) bool { return slices.Contains(s.Components, c) }) {
			continue
		}
		terms, err := termsFor(cfg, s.Customer)
		if err != nil {
			out = append(out, api.NewWarning(s.Customer, "its SLA terms could not be read: "+err.Error()))
			continue
		}
		if planned, reason := terms.Judge(w); !planned {
			out = append(out, api.NewWarning(s.Customer, reason))
		}
	}
	return out
}

// slaWindow is the stored window as the SLA calculator takes it.
func slaWindow(m store.Maintenance) sla.Window {
	return sla.Window{
		ID: m.ID, Components: m.Components, Start: m.Start, End: m.End,
		AnnouncedAt: m.AnnouncedAt, ActualEnd: m.ActualEnd,
	}
}

// componentIDs lists the configured component ids, sorted.
func componentIDs(cfg *configs.Config) []string {
	out := make([]string, 0, len(cfg.Components))
	for _, c := range cfg.Components {
		out = append(out, c.ID)
	}
	slices.Sort(out)
	return out
}

// liveConfig holds the running config, swapped whole on reload; it
// implements api.MaintenancePolicy for the daemon.
type liveConfig struct {
	v atomic.Pointer[configs.Config]
}

func (l *liveConfig) set(cfg *configs.Config) { l.v.Store(cfg) }
func (l *liveConfig) get() *configs.Config    { return l.v.Load() }

// Components implements api.MaintenancePolicy.
func (l *liveConfig) Components() []string { return componentIDs(l.get()) }

// Warnings implements api.MaintenancePolicy.
func (l *liveConfig) Warnings(m store.Maintenance) []api.Warning {
	return unplannedWarnings(l.get(), m)
}
