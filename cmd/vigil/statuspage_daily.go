package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/statuspage"
	"github.com/vigilmon/vigil/store"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// Cache rules of the daily availability.
const (
	// dailySettle is how long after a day ends its figures can still
	// change: a probe started before midnight is stored when it finishes
	// (at most a timeout later) and committed a second after.
	dailySettle = 5 * time.Minute
	// dailyRecentEvery is how often the unsettled days (today, and
	// yesterday just after midnight) are counted again.
	dailyRecentEvery = 3 * time.Minute
)

// dailyAvailability counts each component's minutes per local day by the
// rules of SLA.md with the sla package, for the status page's bars. Terms
// for the page: no notice needed, so every maintenance window the store
// holds counts as maintenance, also one recorded after it began (its
// announcement is taken as its start); cancelled windows count for nothing.
//
// Settled days never change, so each is counted once and kept; the
// unsettled ones are counted again at most every dailyRecentEvery. The
// cache is dropped when the components' checks change (a reload) or the
// maintenance windows of the days shown do (a window recorded, closed or
// cancelled after the fact).
type dailyAvailability struct {
	live        *liveConfig
	results     *resultsdb.Results
	state       *store.State
	recentEvery time.Duration

	mu      sync.Mutex
	key     string                                     // scope and windows the cache was counted with
	settled map[int64]map[string]statuspage.DayMinutes // by day start (Unix ms), per component
	recent  map[int64]map[string]statuspage.DayMinutes // the unsettled days, as last counted
	from    time.Time                                  // the first day recent holds
	counted time.Time                                  // when recent was counted
	passes  int                                        // counting passes, for tests
}

func newDailyAvailability(live *liveConfig, results *resultsdb.Results, state *store.State) *dailyAvailability {
	return &dailyAvailability{live: live, results: results, state: state, recentEvery: dailyRecentEvery}
}

// Daily implements statuspage.Availability.
func (d *dailyAvailability) Daily(ctx context.Context, days []time.Time, now time.Time) (map[string][]statuspage.DayMinutes, error) {
	if len(days) == 0 {
		return map[string][]statuspage.DayMinutes{}, nil
	}
	cfg := d.live.get()
	scope := componentChecks(cfg)
	first, end := days[0], nextDay(days[len(days)-1])
	stored, err := d.state.ListMaintenance(ctx, first, end, false)
	if err != nil {
		return nil, fmt.Errorf("maintenance windows: %w", err)
	}
	windows := make([]sla.Window, 0, len(stored))
	for _, m := range stored {
		w := slaWindow(m)
		if w.AnnouncedAt.After(w.Start) {
			w.AnnouncedAt = w.Start // the page needs no notice
		}
		windows = append(windows, w)
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	if key := cacheKey(scope, windows); key != d.key {
		d.key, d.settled, d.recent = key, map[int64]map[string]statuspage.DayMinutes{}, nil
	}
	// Settled days not counted yet, in one pass from the first of them.
	var missing []time.Time
	firstUnsettled := len(days)
	for i, day := range days {
		if nextDay(day).Add(dailySettle).After(now) {
			firstUnsettled = i
			break
		}
		if _, ok := d.settled[day.UnixMilli()]; !ok {
			missing = append(missing, day)
		}
	}
	if len(missing) > 0 {
		counted, err := d.count(ctx, cfg, scope, windows, missing[0], nextDay(missing[len(missing)-1]))
		if err != nil {
			return nil, err
		}
		for day, byComp := range counted {
			d.settled[day] = byComp
		}
	}
	if firstUnsettled < len(days) {
		from := days[firstUnsettled]
		if d.recent == nil || !from.Equal(d.from) || now.Sub(d.counted) >= d.recentEvery {
			counted, err := d.count(ctx, cfg, scope, windows, from, now.Truncate(time.Minute))
			if err != nil {
				return nil, err
			}
			d.recent, d.from, d.counted = counted, from, now
		}
	}
	for day := range d.settled {
		if day < first.UnixMilli() {
			delete(d.settled, day) // no longer shown
		}
	}

	out := make(map[string][]statuspage.DayMinutes, len(scope))
	for _, comp := range cfg.Components {
		ms := make([]statuspage.DayMinutes, len(days))
		for i, day := range days {
			src := d.settled
			if i >= firstUnsettled {
				src = d.recent
			}
			ms[i] = src[day.UnixMilli()][comp.ID]
		}
		out[comp.ID] = ms
	}
	return out, nil
}

// count computes the minutes of every local day in [from, to) for each
// component with checks: one calculator per component (the scope of one),
// fed from one read of all their checks' results.
func (d *dailyAvailability) count(ctx context.Context, cfg *configs.Config, scope map[string][]string, windows []sla.Window,
	from, to time.Time) (map[int64]map[string]statuspage.DayMinutes, error) {
	out := map[int64]map[string]statuspage.DayMinutes{}
	if !to.After(from) {
		return out, nil
	}
	d.passes++
	p := sla.Period{Start: from, End: to}
	calcs := map[string]*sla.Calculator{}
	byCheck := map[string]*sla.Calculator{}
	var checks []string
	for comp, compChecks := range scope {
		terms := sla.Terms{
			Customer: "status page", Location: from.Location(), Components: []string{comp},
			CheckComponents: map[string]string{}, AvailabilityTargetPPM: 1_000_000,
		}
		for _, ch := range compChecks {
			terms.CheckComponents[ch] = comp
		}
		calc, err := sla.NewCalculatorForPeriod(terms, p, windows)
		if err != nil {
			return nil, fmt.Errorf("availability of %s: %w", comp, err)
		}
		calcs[comp] = calc
		for _, ch := range compChecks {
			byCheck[ch] = calc
			checks = append(checks, ch)
		}
	}
	if len(checks) == 0 {
		return out, nil
	}
	slices.Sort(checks)
	err := readObservations(ctx, d.results, checks, nil, from.Add(-lookBack(cfg, checks)), to,
		func(check, location string, samples []sla.Sample) error {
			return byCheck[check].AddBatch(check, location, samples)
		})
	if err != nil {
		return nil, err
	}
	for comp, calc := range calcs {
		res, err := calc.Result()
		if err != nil {
			return nil, fmt.Errorf("availability of %s: %w", comp, err)
		}
		for _, day := range res.Daily {
			date, err := time.ParseInLocation(time.DateOnly, day.Date, from.Location())
			if err != nil {
				return nil, fmt.Errorf("availability of %s: day %q: %w", comp, day.Date, err)
			}
			start := date.UnixMilli()
			if out[start] == nil {
				out[start] = map[string]statuspage.DayMinutes{}
			}
			out[start][comp] = statuspage.DayMinutes{Up: day.Up, Down: day.Down, Excluded: day.Excluded, NoData: day.Unmonitored}
		}
	}
	return out, nil
}

// componentChecks maps each component to its checks, sorted.
func componentChecks(cfg *configs.Config) map[string][]string {
	out := map[string][]string{}
	for _, ch := range cfg.Checks {
		out[ch.Component] = append(out[ch.Component], ch.Name)
	}
	for _, chs := range out {
		slices.Sort(chs)
	}
	return out
}

// cacheKey fingerprints what counted days depend on besides the results.
func cacheKey(scope map[string][]string, windows []sla.Window) string {
	var sb strings.Builder
	comps := make([]string, 0, len(scope))
	for c := range scope {
		comps = append(comps, c)
	}
	slices.Sort(comps)
	for _, c := range comps {
		fmt.Fprintf(&sb, "c %s %s\n", c, strings.Join(scope[c], ","))
	}
	for _, w := range windows {
		end := ""
		if w.ActualEnd != nil {
			end = w.ActualEnd.UTC().Format(time.RFC3339Nano)
		}
		fmt.Fprintf(&sb, "w %s %s %s %s %s %s\n", w.ID, strings.Join(w.Components, ","),
			w.Start.UTC().Format(time.RFC3339), w.End.UTC().Format(time.RFC3339), w.AnnouncedAt.UTC().Format(time.RFC3339Nano), end)
	}
	sum := sha256.Sum256([]byte(sb.String()))
	return hex.EncodeToString(sum[:])
}

// nextDay is the local midnight after day's.
func nextDay(day time.Time) time.Time {
	y, m, dd := day.Date()
	return time.Date(y, m, dd+1, 0, 0, 0, 0, day.Location())
}
