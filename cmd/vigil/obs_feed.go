package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/vigilmon/vigil/sla"
)

// feedObservations reads OBS.csv twice. The first pass checks every row
// (the first bad one stops everything, with its line) and whether each
// (check, location) series is in time order. Ordered files, as exports
// are, are then streamed to add in a second pass, in memory that does not
// grow with the file; only a file with some series out of order is held
// in memory and sorted by (check, location, start) before it is added.
func feedObservations(ctx context.Context, name string, f io.ReadSeeker, checks map[string]bool,
	add func(sla.Observation) error) error {
	ordered, err := scanObservations(ctx, name, f, checks)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("observations file %s: %w", name, err)
	}
	r, err := newObsReader(name, f, checks)
	if err != nil {
		return err
	}
	if ordered {
		return eachObservation(ctx, r, func(o sla.Observation, line int) error {
			if err := add(o); err != nil {
				return fmt.Errorf("%s line %d: %w", name, line, err)
			}
			return nil
		})
	}
	type row struct {
		o    sla.Observation
		line int
	}
	var rows []row
	err = eachObservation(ctx, r, func(o sla.Observation, line int) error {
		rows = append(rows, row{o, line})
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.o.Check, b.o.Check), cmp.Compare(a.o.Location, b.o.Location), cmp.Compare(a.o.StartMS, b.o.StartMS))
	})
	for _, rw := range rows {
		if err := add(rw.o); err != nil {
			return fmt.Errorf("%s line %d: %w", name, rw.line, err)
		}
	}
	return nil
}

// scanObservations checks every row and reports whether each series is
// in time order.
func scanObservations(ctx context.Context, name string, f io.Reader, checks map[string]bool) (ordered bool, err error) {
	r, err := newObsReader(name, f, checks)
	if err != nil {
		return false, err
	}
	type key struct{ check, location string }
	last := map[key]int64{}
	ordered = true
	err = eachObservation(ctx, r, func(o sla.Observation, _ int) error {
		k := key{o.Check, o.Location}
		if prev, ok := last[k]; ok && o.StartMS < prev {
			ordered = false
		}
		last[k] = o.StartMS
		return nil
	})
	return ordered, err
}

// eachObservation calls fn for every row of r, stopping at the first
// error (or when ctx ends).
func eachObservation(ctx context.Context, r *obsReader, fn func(sla.Observation, int) error) error {
	for n := 0; ; n++ {
		if n%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		o, line, err := r.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(o, line); err != nil {
			return err
		}
	}
}
