package sla

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrOutOfOrder is returned (wrapped) by Add for an observation older than
// the previous one of the same check and location.
var ErrOutOfOrder = errors.New("observation out of time order")

// ErrFinished is returned by Add after Result.
var ErrFinished = errors.New("calculator finished: Result was called")

// Calculator computes one customer's SLA for one period from a stream of
// observations. Create it with NewCalculator, feed every observation with
// Add, then call Result.
type Calculator struct {
	terms Terms
	f     frame

	scope      map[string]int // component -> index in terms.Components
	availCheck map[string]int // in-scope check -> component index
	objByCheck map[string][]int
	objectives []*objective

	windows []*windowEval
	compEx  []bitset // per in-scope component: minutes excluded
	anyEx   bitset   // minutes in which any in-scope component is excluded

	series map[seriesKey]*series
	// The series of the previous Add and the caller's strings that named it.
	last                    *series
	lastCheck, lastLocation string

	result *Result
}

type seriesKey struct{ check, location string }

// NewCalculator prepares the calculation of the calendar month in the terms'
// time zone. Windows may include others (other components, other months):
// only those that touch the scope and overlap the month are reported.
func NewCalculator(t Terms, year int, month time.Month, windows []Window) (*Calculator, error) {
	if t.Location == nil {
		return nil, t.validate()
	}
	p, err := MonthPeriod(t.Location, year, month)
	if err != nil {
		return nil, err
	}
	return NewCalculatorForPeriod(t, p, windows)
}

// NewCalculatorForPeriod is NewCalculator for any period of whole minutes
// (a month is the contract's period; shorter ones serve tests and previews).
func NewCalculatorForPeriod(t Terms, p Period, windows []Window) (*Calculator, error) {
	err := errors.Join(t.validate(), p.validate(), validateWindows(windows))
	if err != nil {
		return nil, err
	}
	t.Components = slices.Clone(t.Components)
	t.Credits = slices.Clone(t.Credits)
	t.Latency = slices.Clone(t.Latency)
	c := &Calculator{
		terms:      t,
		f:          newFrame(p, t.Location),
		scope:      map[string]int{},
		availCheck: map[string]int{},
		objByCheck: map[string][]int{},
		series:     map[seriesKey]*series{},
	}
	for i, comp := range t.Components {
		c.scope[comp] = i
	}
	for chk, comp := range t.CheckComponents {
		if i, ok := c.scope[comp]; ok {
			c.availCheck[chk] = i
		}
	}
	for i, o := range t.Latency {
		c.objectives = append(c.objectives, newObjective(o, &c.f, t.Location))
		c.objByCheck[o.Check] = append(c.objByCheck[o.Check], i)
	}
	c.windows = evaluateWindows(windows, &c.terms, c.scope, &c.f)
	c.compEx, c.anyEx = exclusions(c.windows, len(t.Components), t.MonthlyBudget, &c.f)
	return c, nil
}

// Period returns the period being calculated.
func (c *Calculator) Period() Period {
	return Period{Start: c.f.startTime().In(c.f.loc), End: c.f.endTime().In(c.f.loc)}
}

// Add records one observation. Observations of checks that neither cover an
// in-scope component nor have a latency objective are ignored, as are those
// at or after the period's end; those before the period only matter for
// coverage of its first minutes. Each (check, location) must arrive in time
// order (equal starts are fine); series may interleave. An observation that
// is rejected with an error leaves the calculator unchanged.
func (c *Calculator) Add(obs Observation) error {
	s := c.last
	// The store streams series by series: the previous series is the likely
	// one, and comparing with the caller's own strings is cheap. Result
	// clears c.last, so a finished calculator always takes this branch.
	if s == nil || obs.Check != c.lastCheck || obs.Location != c.lastLocation {
		if c.result != nil {
			return ErrFinished
		}
		if obs.Check == "" || obs.Location == "" {
			return obs.validate()
		}
		s = c.lookup(obs.Check, obs.Location)
		c.last, c.lastCheck, c.lastLocation = s, obs.Check, obs.Location
	}
	if s.ignored {
		return nil
	}
	if obs.IntervalMS <= 0 || obs.DurationMS < 0 || (obs.OK && obs.Reason != "") {
		return obs.validate()
	}
	ms := obs.StartMS
	if ms >= c.f.endMS {
		return nil
	}
	m := -1
	if ms >= c.f.startMS {
		m = int((ms - c.f.startMS) / minuteMS)
	}
	if s.avail {
		if ms < s.lastStart && s.seen() {
			return fmt.Errorf("%w: %s/%s at %s after %s: add each check and location in time order",
				ErrOutOfOrder, obs.Check, obs.Location, fmtMS(ms), fmtMS(s.lastStart))
		}
		s.add(m, ms, obs.OK, obs.IntervalMS, &c.f)
	}
	if len(s.objectives) > 0 && m >= 0 {
		for _, i := range s.objectives {
			c.objectives[i].add(m, &obs, c.anyEx.has(m))
		}
	}
	return nil
}

// lookup finds or creates the state of a series.
func (c *Calculator) lookup(check, location string) *series {
	k := seriesKey{check, location}
	if s := c.series[k]; s != nil {
		return s
	}
	s := &series{check: strings.Clone(check), location: strings.Clone(location), curMin: noMinute}
	_, s.avail = c.availCheck[check]
	s.objectives = c.objByCheck[check]
	s.ignored = !s.avail && len(s.objectives) == 0
	if s.avail {
		s.data, s.fail = newBitset(c.f.n), newBitset(c.f.n)
	}
	c.series[seriesKey{s.check, s.location}] = s
	return s
}

// Result finishes the calculation and returns the report numbers. Later
// calls return the same Result; Add fails after it.
func (c *Calculator) Result() (*Result, error) {
	if c.result != nil {
		return c.result, nil
	}
	n := c.f.n
	byCheck := map[string][]*series{}
	for _, s := range c.series {
		if s.avail {
			s.finish(n, &c.f)
			byCheck[s.check] = append(byCheck[s.check], s)
		}
	}
	compDown := make([]bitset, len(c.terms.Components))
	for i := range compDown {
		compDown[i] = newBitset(n)
	}
	anyData := newBitset(n)
	var scratch counters
	for chk, ss := range byCheck {
		down, data := checkState(ss, n, &scratch)
		compDown[c.availCheck[chk]].or(down)
		anyData.or(data)
	}
	class := classify(compDown, c.compEx, c.anyEx, anyData, n)
	for _, o := range c.objectives {
		o.settle(class)
	}
	c.result = c.buildResult(class)
	c.series, c.last, c.lastCheck, c.lastLocation = nil, nil, "", "" // free the per-series state
	return c.result, nil
}
