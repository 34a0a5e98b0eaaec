package resultsdb

import (
	"errors"
	"fmt"

	"github.com/prometheus/prometheus/storage"

	"github.com/vigilmon/vigil/probe"
)

// appendResult appends the samples of one result to app in the layout of
// the package doc, reusing the series of refs. The success sample goes
// first: when the TSDB refuses it (too old, duplicate) none of the others is
// appended, so the stored result stays whole, and err says why. partial
// reports samples after the first that could not be appended: the result is
// stored, incompletely.
func appendResult(app storage.AppenderV2, refs refCache, res *probe.Result) (err, partial error) {
	g := refs.group(res)
	t := res.Start.UnixMilli()
	ok := 0.0
	if res.OK {
		ok = 1
	}
	if err := appendSample(app, &g.success, t, ok); err != nil {
		return err, nil
	}
	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	note(appendSample(app, &g.duration, t, res.Duration.Seconds()))
	if iv := res.Interval.Seconds(); g.lastInterval.needs(t, iv) {
		if err := appendSample(app, &g.interval, t, iv); err != nil {
			note(err)
		} else {
			g.lastInterval.wrote(t, iv)
		}
	}
	if res.Status != 0 {
		note(appendSample(app, &g.status, t, float64(res.Status)))
	}
	if !res.OK && res.Reason != probe.ReasonNone {
		note(appendSample(app, g.failure(res.Reason), t, 1))
	}
	if res.Phases != nil {
		for i, name := range probe.PhaseNames {
			note(appendSample(app, &g.phases[i], t, res.Phases.Get(name).Seconds()))
		}
	}
	return nil, errors.Join(errs...)
}

// appendSample appends one float sample to s, reusing and updating its reference.
func appendSample(app storage.AppenderV2, s *seriesRef, t int64, v float64) error {
	ref, err := app.Append(s.ref, s.lset, 0, t, v, nil, nil, storage.AOptions{})
	if err != nil {
		return fmt.Errorf("append %s: %w", s.lset.Get(labelName), err)
	}
	s.ref = ref
	return nil
}

// appendResult appends res to the writer's open appender and logs a result
// that could be stored only in part.
func (w *batchWriter) appendResult(res *probe.Result) error {
	err, partial := appendResult(w.app, w.refs, res)
	if partial != nil {
		w.r.logger.Warn("probe result stored incompletely",
			"check", res.Check, "location", res.Location, "start", res.Start, "err", partial)
	}
	return err
}
