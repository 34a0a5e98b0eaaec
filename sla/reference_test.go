package sla

import (
	"fmt"
	"math/big"
	"math/rand"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"
)

// A brute-force reference implementation of SLA.md, written straight from the
// text and independently of the streaming calculator: for every minute it
// scans every observation. It is slow and simple on purpose.

type refWindow struct {
	Planned  bool
	Excluded int64
}

type refScreen struct {
	Total, Good   int64
	P50, P95, P99 *int64
}

type refOut struct {
	Classes         []Class
	Minutes         Minutes
	AvailabilityPPM *int64
	Met             *bool
	Credit          *int64
	Windows         map[string]refWindow
	Screens         []refScreen
	Daily           []Day
}

func reference(terms Terms, p Period, ws []Window, obs []Observation) refOut {
	n := int(p.End.Sub(p.Start) / time.Minute)
	minuteAt := func(i int) time.Time { return p.Start.Add(time.Duration(i) * time.Minute) }

	type key struct{ check, loc string }
	series := map[key][]Observation{}
	locsOf := map[string][]string{}
	for _, o := range obs {
		k := key{o.Check, o.Location}
		if _, ok := series[k]; !ok {
			locsOf[o.Check] = append(locsOf[o.Check], o.Location)
		}
		series[k] = append(series[k], o)
	}

	// Section 2: a location in a minute.
	locVerdict := func(ss []Observation, s time.Time) (data, fail bool) {
		from, to := s.UnixMilli(), s.Add(time.Minute).UnixMilli()
		total, failed := 0, 0
		for _, o := range ss {
			if o.StartMS >= from && o.StartMS < to {
				total++
				if !o.OK {
					failed++
				}
			}
		}
		if total > 0 {
			return true, 2*failed >= total
		}
		found := false
		var latest int64
		for _, o := range ss {
			if o.StartMS < from && (!found || o.StartMS > latest) {
				found, latest = true, o.StartMS
			}
		}
		if !found {
			return false, false
		}
		var coverEnd int64
		for _, o := range ss {
			if o.StartMS == latest {
				total++
				if !o.OK {
					failed++
				}
				coverEnd = max(coverEnd, o.StartMS+o.IntervalMS)
			}
		}
		if coverEnd > from {
			return true, 2*failed >= total
		}
		return false, false
	}
	// checkState: 0 no data, 1 up, 2 down.
	checkState := func(check string, s time.Time) int {
		withData, failing := 0, 0
		for _, l := range locsOf[check] {
			d, f := locVerdict(series[key{check, l}], s)
			if d {
				withData++
				if f {
					failing++
				}
			}
		}
		switch {
		case withData == 0:
			return 0
		case 2*failing > withData:
			return 2
		}
		return 1
	}
	compState := func(comp string, s time.Time) (down, noData bool) {
		noData = true
		for chk, c := range terms.CheckComponents {
			if c != comp {
				continue
			}
			switch checkState(chk, s) {
			case 2:
				down, noData = true, false
			case 1:
				noData = false
			}
		}
		return down, noData
	}

	// Section 3.
	inScope := func(c string) bool { return slices.Contains(terms.Components, c) }
	allowedAt := func(t time.Time) bool {
		if terms.AllowedHours == nil {
			return true
		}
		lt := t.In(terms.Location)
		h := terms.AllowedHours.Weekdays
		if lt.Weekday() == time.Saturday || lt.Weekday() == time.Sunday {
			h = terms.AllowedHours.Weekends
		}
		tod := TimeOfDay(lt.Hour()*60 + lt.Minute())
		switch h.Kind {
		case HoursAll:
			return true
		case HoursSpan:
			if h.Span.From < h.Span.To {
				return tod >= h.Span.From && tod < h.Span.To
			}
			return tod >= h.Span.From || tod < h.Span.To
		}
		return false
	}
	type rw struct {
		w       Window
		planned bool
		exEnd   time.Time
	}
	var rel []rw
	for _, w := range ws {
		last := w.End
		if w.ActualEnd != nil && w.ActualEnd.After(last) {
			last = *w.ActualEnd
		}
		if !slices.ContainsFunc(w.Components, inScope) || !w.Start.Before(p.End) || !last.After(p.Start) {
			continue
		}
		planned := !w.AnnouncedAt.After(w.Start.Add(-terms.Notice))
		for m := w.Start; m.Before(w.End); m = m.Add(time.Minute) {
			if !allowedAt(m) {
				planned = false
			}
		}
		exEnd := w.End
		if w.ActualEnd != nil && w.ActualEnd.Before(exEnd) {
			exEnd = w.ActualEnd.Truncate(time.Minute)
		}
		rel = append(rel, rw{w, planned, exEnd})
	}
	excluding := func(r rw, s time.Time) bool { return r.planned && !s.Before(r.w.Start) && s.Before(r.exEnd) }
	within := make([]bool, n)
	used := time.Duration(0)
	for i := range n {
		for _, r := range rel {
			if excluding(r, minuteAt(i)) {
				if terms.MonthlyBudget == 0 || used < terms.MonthlyBudget {
					within[i] = true
					used += time.Minute
				}
				break
			}
		}
	}
	compExcluded := func(comp string, i int) bool {
		if !within[i] {
			return false
		}
		for _, r := range rel {
			if excluding(r, minuteAt(i)) && slices.Contains(r.w.Components, comp) {
				return true
			}
		}
		return false
	}

	// Section 4.
	out := refOut{Classes: make([]Class, n), Windows: map[string]refWindow{}}
	for i := range n {
		s := minuteAt(i)
		down, excluded, allNoData := false, false, true
		for _, c := range terms.Components {
			d, nd := compState(c, s)
			ex := compExcluded(c, i)
			if d && !ex {
				down = true
			}
			if ex {
				excluded = true
			}
			if !nd {
				allNoData = false
			}
		}
		switch {
		case down:
			out.Classes[i] = ClassDown
		case excluded:
			out.Classes[i] = ClassExcluded
		case allNoData:
			out.Classes[i] = ClassNoData
		default:
			out.Classes[i] = ClassUp
		}
	}
	for i, c := range out.Classes {
		date := minuteAt(i).In(terms.Location).Format("2006-01-02")
		if len(out.Daily) == 0 || out.Daily[len(out.Daily)-1].Date != date {
			out.Daily = append(out.Daily, Day{Date: date})
		}
		d := &out.Daily[len(out.Daily)-1]
		out.Minutes.Total++
		switch c {
		case ClassUp:
			out.Minutes.Up++
			d.Up++
		case ClassDown:
			out.Minutes.Down++
			d.Down++
		case ClassExcluded:
			out.Minutes.Excluded++
			d.Excluded++
		case ClassNoData:
			out.Minutes.Unmonitored++
			d.Unmonitored++
		}
	}
	for i := range out.Daily {
		d := &out.Daily[i]
		if d.Up+d.Down > 0 {
			v := new(big.Int).Div(big.NewInt(d.Up*1_000_000), big.NewInt(d.Up+d.Down)).Int64()
			d.AvailabilityPPM = &v
		}
	}
	if up, down := out.Minutes.Up, out.Minutes.Down; up+down > 0 {
		avail := big.NewRat(up, up+down)
		v := new(big.Int).Div(big.NewInt(up*1_000_000), big.NewInt(up+down)).Int64()
		out.AvailabilityPPM = &v
		met := avail.Cmp(big.NewRat(terms.AvailabilityTargetPPM, 1_000_000)) >= 0
		out.Met = &met
		cr := int64(0)
		best := int64(-1)
		for _, t := range terms.Credits {
			if avail.Cmp(big.NewRat(t.BelowPPM, 1_000_000)) < 0 && (best < 0 || t.BelowPPM < best) {
				best, cr = t.BelowPPM, t.CreditPercent
			}
		}
		out.Credit = &cr
	}
	for _, r := range rel {
		var ex int64
		for i := range n {
			if excluding(r, minuteAt(i)) && out.Classes[i] == ClassExcluded {
				ex++
			}
		}
		out.Windows[r.w.ID] = refWindow{Planned: r.planned, Excluded: ex}
	}

	// Section 5.
	for _, lo := range terms.Latency {
		var sc refScreen
		var durs []int64
		for _, o := range obs {
			if o.Check != lo.Check || o.StartMS < p.Start.UnixMilli() || o.StartMS >= p.End.UnixMilli() {
				continue
			}
			if out.Classes[(o.StartMS-p.Start.UnixMilli())/60_000] == ClassExcluded {
				continue
			}
			skip := false
			for _, w := range lo.Exclude {
				loc := w.Location
				if loc == nil {
					loc = terms.Location
				}
				lt := time.UnixMilli(o.StartMS).In(loc)
				tod := (lt.Hour()*3600+lt.Minute()*60+lt.Second())*1000 + lt.Nanosecond()/1e6
				from, to := int(w.From)*60_000, int(w.To)*60_000
				if (from < to && tod >= from && tod < to) || (from > to && (tod >= from || tod < to)) {
					skip = true
				}
			}
			if skip || (!o.OK && o.Reason != "timeout") {
				continue
			}
			sc.Total++
			if o.OK {
				durs = append(durs, o.DurationMS)
				if o.DurationMS <= lo.ThresholdMS {
					sc.Good++
				}
			}
		}
		sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
		rank := func(p int) *int64 {
			if len(durs) == 0 {
				return nil
			}
			r := 1
			for 100*r < p*len(durs) {
				r++
			}
			return &durs[r-1]
		}
		sc.P50, sc.P95, sc.P99 = rank(50), rank(95), rank(99)
		out.Screens = append(out.Screens, sc)
	}
	return out
}

// fromResult projects a Result onto what the reference computes.
func fromResult(r *Result) refOut {
	out := refOut{
		Classes: r.Classes(), Minutes: r.Minutes, AvailabilityPPM: r.AvailabilityPPM,
		Met: r.Met, Credit: r.CreditPercent, Windows: map[string]refWindow{}, Daily: r.Daily,
	}
	for _, m := range r.Maintenance {
		out.Windows[m.ID] = refWindow{Planned: m.Planned, Excluded: m.ExcludedMinutes}
	}
	for _, s := range r.Screens {
		out.Screens = append(out.Screens, refScreen{Total: s.Total, Good: s.Good, P50: s.P50MS, P95: s.P95MS, P99: s.P99MS})
	}
	return out
}

// randomCase is a small random SLA: a few components, checks and locations
// over a short period (often across a DST change), random maintenance and
// latency objectives. It returns the observations series by series.
type randomCase struct {
	terms  Terms
	period Period
	ws     []Window
	series [][]Observation
}

var (
	zones    = []string{"Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"}
	dstDates = []time.Time{
		time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 4, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	}
	hourChoices = []string{"21:00-07:00", "all", "none", "09:00-17:00", "22:30-23:15", "01:00-04:00", "all"}
)

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.Intn(len(xs))] }

func newRandomCase(rng *rand.Rand, maxMinutes int) randomCase {
	loc := mustLoc(pick(rng, zones))
	d := pick(rng, dstDates)
	if rng.Intn(3) == 0 {
		d = time.Date(2026, time.Month(1+rng.Intn(12)), 1+rng.Intn(28), 0, 0, 0, 0, time.UTC)
	}
	start := time.Date(d.Year(), d.Month(), d.Day(), rng.Intn(24), rng.Intn(60), 0, 0, loc).Add(-time.Duration(rng.Intn(36)) * time.Hour)
	if rng.Intn(4) == 0 {
		start = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	}
	n := 1 + rng.Intn(maxMinutes)
	p := Period{Start: start, End: start.Add(time.Duration(n) * time.Minute)}

	var c randomCase
	c.period = p
	nComps := 1 + rng.Intn(3)
	terms := Terms{
		Customer: "rand", Location: loc, CheckComponents: map[string]string{},
		AvailabilityTargetPPM: pick(rng, []int64{999_000, 995_000, 900_000, 1_000_000}),
		Notice:                pick(rng, []time.Duration{0, 2 * time.Hour, 120 * time.Hour}),
		MonthlyBudget:         pick(rng, []time.Duration{0, 0, 5 * time.Minute, 30 * time.Minute, 120 * time.Minute}),
		Credits:               []Tier{{999_000, 10}, {990_000, 25}, {950_000, 100}},
	}
	for i := range nComps {
		terms.Components = append(terms.Components, fmt.Sprintf("c%d", i))
	}
	allComps := append(slices.Clone(terms.Components), "x")
	nChecks := nComps + rng.Intn(3)
	var checks []string
	for i := range nChecks {
		chk := fmt.Sprintf("k%d", i)
		checks = append(checks, chk)
		if i < nComps {
			terms.CheckComponents[chk] = terms.Components[i]
		} else {
			terms.CheckComponents[chk] = pick(rng, allComps)
		}
	}
	checks = append(checks, "scr") // a latency-only check
	if rng.Intn(3) > 0 {
		wd, _ := ParseHours(pick(rng, hourChoices))
		we, _ := ParseHours(pick(rng, hourChoices))
		terms.AllowedHours = &AllowedHours{Weekdays: wd, Weekends: we}
	}
	for range rng.Intn(3) {
		o := LatencyObjective{Check: pick(rng, checks), ThresholdMS: pick(rng, []int64{100, 2000, 3000}), TargetPPM: 950_000}
		for range rng.Intn(3) {
			from := TimeOfDay(rng.Intn(1440))
			to := TimeOfDay(rng.Intn(1441))
			if from%1440 == to%1440 {
				to = (from + 90) % 1440
			}
			w := DailyWindow{From: from, To: to}
			if z := rng.Intn(4); z > 0 {
				w.Location = mustLoc(pick(rng, zones))
			}
			o.Exclude = append(o.Exclude, w)
		}
		terms.Latency = append(terms.Latency, o)
	}
	c.terms = terms

	for i := range rng.Intn(5) {
		ws := p.Start.Add(time.Duration(rng.Intn(n+150)-120) * time.Minute)
		w := Window{ID: fmt.Sprintf("w%d", i), Start: ws, End: ws.Add(time.Duration(1+rng.Intn(240)) * time.Minute)}
		for _, comp := range allComps {
			if rng.Intn(2) == 0 {
				w.Components = append(w.Components, comp)
			}
		}
		if len(w.Components) == 0 {
			w.Components = []string{pick(rng, terms.Components)}
		}
		w.AnnouncedAt = w.Start.Add(-pick(rng, []time.Duration{0, time.Hour, terms.Notice - time.Second, terms.Notice, terms.Notice + time.Hour, 200 * time.Hour, -time.Hour}))
		if rng.Intn(2) == 0 {
			ae := w.Start.Add(time.Duration(rng.Intn(int(w.End.Sub(w.Start)/time.Minute)+60)-5) * time.Minute)
			if rng.Intn(3) == 0 {
				ae = ae.Add(time.Duration(rng.Intn(60_000)) * time.Millisecond)
			}
			w.ActualEnd = &ae
		}
		c.ws = append(c.ws, w)
	}

	locs := []string{"l0", "l1", "l2"}
	for _, chk := range checks {
		for _, l := range locs[:1+rng.Intn(3)] {
			interval := pick(rng, []int64{30_000, 60_000, 60_000, 90_000, 120_000, 300_000, 7_000})
			ms := p.Start.UnixMilli() - int64(rng.Intn(15*60_000))
			failP := pick(rng, []int{0, 5, 30, 60, 95})
			var ss []Observation
			for ms < p.End.UnixMilli()+5*60_000 {
				o := Observation{StartMS: ms, Check: chk, Location: l, IntervalMS: interval, OK: rng.Intn(100) >= failP}
				if o.OK {
					o.DurationMS = pick(rng, []int64{int64(rng.Intn(4000)), 2000, 100, 2001, int64(30_000 + rng.Intn(20_000))})
				} else {
					o.Reason = pick(rng, []string{"timeout", "status", "connect", ""})
					o.DurationMS = int64(rng.Intn(10_000))
				}
				ss = append(ss, o)
				switch r := rng.Intn(100); {
				case r < 5:
					// another observation at the same instant
				case r < 8:
					ms += int64(rng.Intn(20 * 60_000)) // a gap
				case r < 10:
					interval = pick(rng, []int64{30_000, 60_000, 300_000}) // config change
					ms += interval
				default:
					ms += interval + int64(rng.Intn(4000)) - 1000
				}
				if rng.Intn(50) == 0 {
					failP = pick(rng, []int{0, 5, 30, 60, 95})
				}
			}
			c.series = append(c.series, ss)
		}
	}
	return c
}

// feed adds the series interleaved at random, each in time order.
func (c randomCase) feed(rng *rand.Rand, calc *Calculator) error {
	next := make([]int, len(c.series))
	left := len(c.series)
	for left > 0 {
		i := rng.Intn(len(c.series))
		if next[i] == len(c.series[i]) {
			continue
		}
		for k := 1 + rng.Intn(40); k > 0 && next[i] < len(c.series[i]); k-- {
			if err := calc.Add(c.series[i][next[i]]); err != nil {
				return err
			}
			next[i]++
		}
		if next[i] == len(c.series[i]) {
			left--
		}
	}
	return nil
}

func (c randomCase) all() []Observation {
	var out []Observation
	for _, s := range c.series {
		out = append(out, s...)
	}
	return out
}

func (c randomCase) compute(t *testing.T, rng *rand.Rand, ws []Window) *Result {
	t.Helper()
	calc, err := NewCalculatorForPeriod(c.terms, c.period, ws)
	if err != nil {
		t.Fatalf("NewCalculatorForPeriod: %v", err)
	}
	if err := c.feed(rng, calc); err != nil {
		t.Fatalf("Add: %v", err)
	}
	r, err := calc.Result()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAgainstReference(t *testing.T) {
	iterations, maxMinutes := 400, 1500
	if testing.Short() || raceEnabled {
		iterations = 80
	}
	for seed := int64(1); seed <= int64(iterations); seed++ {
		rng := rand.New(rand.NewSource(seed))
		c := newRandomCase(rng, maxMinutes)
		got := fromResult(c.compute(t, rng, c.ws))
		want := reference(c.terms, c.period, c.ws, c.all())
		if !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d (%s, %s, %d minutes): calculator and reference differ", seed, c.terms.Location, c.period.Start, c.period.Minutes())
			diffRef(t, got, want)
			if t.Failed() && seed > 5 {
				return
			}
		}
	}
}

func diffRef(t *testing.T, got, want refOut) {
	t.Helper()
	if g, w := classString(got.Classes), classString(want.Classes); g != w {
		for i := range g {
			if g[i] != w[i] {
				t.Errorf("  first differing minute %d: got %c want %c\n  got  %s\n  want %s", i, g[i], w[i], g[max(0, i-20):min(len(g), i+40)], w[max(0, i-20):min(len(w), i+40)])
				break
			}
		}
	}
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("  %s: got %s want %s", gv.Type().Field(i).Name, show(gv.Field(i).Interface()), show(wv.Field(i).Interface()))
		}
	}
}

func show(v any) string {
	s := fmt.Sprintf("%+v", v)
	if sc, ok := v.([]refScreen); ok {
		s = ""
		for _, x := range sc {
			s += fmt.Sprintf("{total %d good %d p %v %v %v}", x.Total, x.Good, deref(x.P50), deref(x.P95), deref(x.P99))
		}
	}
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
