package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/sla"
)

// mwEntry is one maintenance window of MW.yaml.
type mwEntry struct {
	ID          string   `yaml:"id"`
	Title       string   `yaml:"title"` // optional, for people; not used
	Components  []string `yaml:"components"`
	Start       rfc3339  `yaml:"start"`
	End         rfc3339  `yaml:"end"`
	AnnouncedAt rfc3339  `yaml:"announced_at"`
	ActualEnd   *rfc3339 `yaml:"actual_end"`
}

// rfc3339 is a time written in RFC 3339, nothing looser (YAML's own
// timestamps also take dates without a time or zone).
type rfc3339 struct{ time.Time }

// UnmarshalYAML implements yaml.Unmarshaler.
func (t *rfc3339) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.Parse(time.RFC3339Nano, n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not an RFC 3339 time: write e.g. 2026-10-06T22:00:00+02:00", n.Line, n.Value)
	}
	t.Time = v
	return nil
}

// readWindows reads MW.yaml: a YAML list of maintenance windows, strictly
// (unknown keys are errors), with every component known to the config.
// An empty file is an empty list.
func readWindows(path string, cfg *configs.Config) ([]sla.Window, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("maintenance file: %w", err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	var entries []mwEntry
	if err := dec.Decode(&entries); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("maintenance file %s: %w (it is a list of {id, components, start, end, announced_at, actual_end})", path, err)
	}
	known := componentIDs(cfg)
	var errs []error
	windows := make([]sla.Window, 0, len(entries))
	for i, e := range entries {
		for _, c := range e.Components {
			if !slices.Contains(known, c) {
				errs = append(errs, fmt.Errorf("maintenance file %s: window %d (%s): unknown component %q: the config defines %s",
					path, i+1, e.ID, c, strings.Join(known, ", ")))
			}
		}
		w := sla.Window{ID: e.ID, Components: e.Components, Start: e.Start.Time, End: e.End.Time, AnnouncedAt: e.AnnouncedAt.Time}
		if e.ActualEnd != nil {
			t := e.ActualEnd.Time
			w.ActualEnd = &t
		}
		windows = append(windows, w)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return windows, nil
}
