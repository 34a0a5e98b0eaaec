package resultsdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// smallMonth is a month-sized dataset small enough for tests: 6 checks at
// 2 locations every 5 minutes, two key screens, frequent failures.
func smallMonth(tb testing.TB) monthData {
	p := october2026(tb)
	return monthData{checks: 6, locations: 2, interval: 5 * time.Minute,
		from: p.Start.Add(-20 * time.Minute), to: p.End, latency: 2, failPer: 40}
}

// varied changes the month's results so that reads have more to get right:
// check-0001 reports a 10-minute interval from the 15th on (the stored
// interval changes), and check-0002 at loc-1 is silent for a day (the
// interval is then written again after a gap).
func varied(res probe.Result) (probe.Result, bool) {
	mid := time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)
	if res.Check == "check-0001" && !res.Start.Before(mid) {
		res.Interval = 10 * time.Minute
	}
	if res.Check == "check-0002" && res.Location == "loc-1" &&
		!res.Start.Before(mid) && res.Start.Before(mid.Add(24*time.Hour)) {
		return res, false
	}
	return res, true
}

// openSmallMonth stores the small month: the first three weeks backfilled
// into blocks, the rest written through Write into the head.
func openSmallMonth(t *testing.T, d monthData) *resultsdb.Results {
	t.Helper()
	dir := t.TempDir()
	split := time.Date(2026, 10, 22, 0, 0, 0, 0, time.UTC)
	early := func(yield func(probe.Result) bool) {
		for res := range d.results(d.from, split) {
			if res, ok := varied(res); ok && !yield(res) {
				return
			}
		}
	}
	if _, err := resultsdb.Backfill(context.Background(), dir, early, resultsdb.BackfillOptions{BlockRange: 54 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	r, err := resultsdb.Open(dir, resultsdb.Options{CommitInterval: 10 * time.Millisecond, OutOfOrder: 60 * 24 * time.Hour}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	n := 0
	for res := range d.results(split, d.to) {
		if res, ok := varied(res); ok {
			if err := r.Write(context.Background(), res); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for r.Stats().Written < uint64(n) {
		if time.Now().After(deadline) {
			t.Fatalf("not committed: %+v of %d", r.Stats(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return r
}

// viaQuery is the reference: Query's results converted as the report did
// before the fast path, fed to a calculator; it also returns them.
func viaQuery(t *testing.T, r *resultsdb.Results, terms sla.Terms, q resultsdb.ObservationsQuery) (*sla.Result, []sla.Observation) {
	t.Helper()
	c, err := sla.NewCalculator(terms, 2026, time.October, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all []sla.Observation
	for _, check := range q.Checks {
		err := r.Query(context.Background(), resultsdb.Query{Check: check, From: q.From, To: q.To, NoDetails: true}, func(res probe.Result) error {
			o := sla.Observation{StartMS: res.Start.UnixMilli(), Check: res.Check, Location: res.Location, OK: res.OK,
				DurationMS: sla.MillisFromDuration(res.Duration), Reason: string(res.Reason), IntervalMS: res.Interval.Milliseconds()}
			all = append(all, o)
			return c.Add(o)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	res, err := c.Result()
	if err != nil {
		t.Fatal(err)
	}
	return res, all
}

// viaObservations is the fast path into a calculator; it also returns the
// observations, ordered by check and location like Query's.
func viaObservations(t *testing.T, r *resultsdb.Results, terms sla.Terms, q resultsdb.ObservationsQuery) (*sla.Result, []sla.Observation) {
	t.Helper()
	c, err := sla.NewCalculator(terms, 2026, time.October, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all []sla.Observation
	err = r.Observations(context.Background(), q, func(b *resultsdb.ObservationBatch) error {
		for _, x := range b.Observations {
			o := sla.Observation{StartMS: x.StartMS, Check: b.Check, Location: b.Location, OK: x.OK,
				DurationMS: x.DurationMS, Reason: x.Reason, IntervalMS: x.IntervalMS}
			all = append(all, o)
			if err := c.Add(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Result()
	if err != nil {
		t.Fatal(err)
	}
	// Stable: each series keeps its time order.
	slices.SortStableFunc(all, func(a, b sla.Observation) int {
		if a.Check != b.Check {
			return compare(a.Check, b.Check)
		}
		return compare(a.Location, b.Location)
	})
	return res, all
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestObservationsMatchQuery: over a month in blocks and head, with an
// interval change, a silent day and a look-back, the fast path gives the
// same observations as Query (except the details left out on purpose) and
// exactly the same SLA result.
func TestObservationsMatchQuery(t *testing.T) {
	d := smallMonth(t)
	r := openSmallMonth(t, d)
	terms := monthTerms(t, d)
	p := october2026(t)
	q := observationsQuery(d, terms, p)
	q.From = p.Start.Add(-7 * time.Minute) // between results: the interval comes from the look-back

	want, wantObs := viaQuery(t, r, terms, q)
	got, gotObs := viaObservations(t, r, terms, q)

	details := map[string]bool{}
	for _, c := range q.Details {
		details[c] = true
	}
	for i := range wantObs {
		if !details[wantObs[i].Check] {
			wantObs[i].DurationMS, wantObs[i].Reason = 0, ""
		}
	}
	if len(gotObs) != len(wantObs) {
		t.Fatalf("got %d observations, want %d", len(gotObs), len(wantObs))
	}
	for i := range wantObs {
		if gotObs[i] != wantObs[i] {
			t.Fatalf("observation %d:\n got %+v\nwant %+v", i, gotObs[i], wantObs[i])
		}
	}
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("results differ:\n got %s\nwant %s", gotJSON, wantJSON)
	}
	if got.Minutes.Total != 44_700 || got.Minutes.Down == 0 || len(got.Screens) != 2 || got.Screens[0].Total == 0 {
		t.Errorf("the data does not exercise the report: %s", gotJSON)
	}
	// The interval change is read back where it happened.
	var before, after int64
	for _, o := range gotObs {
		if o.Check == "check-0001" && o.StartMS < time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC).UnixMilli() {
			before = o.IntervalMS
		} else if o.Check == "check-0001" {
			after = o.IntervalMS
		}
	}
	if before != 300_000 || after != 600_000 {
		t.Errorf("check-0001 intervals %d then %d, want 300000 then 600000", before, after)
	}
}

// TestObservationsStops: an error from fn is returned as is and stops the
// read; a cancelled context stops it too; a closed db refuses.
func TestObservationsStops(t *testing.T) {
	d := smallMonth(t)
	r := openSmallMonth(t, d)
	q := observationsQuery(d, monthTerms(t, d), october2026(t))
	boom := errors.New("boom")
	calls := 0
	err := r.Observations(context.Background(), q, func(*resultsdb.ObservationBatch) error {
		calls++
		return boom
	})
	if err != boom || calls != 1 {
		t.Errorf("fn error: got %v after %d calls, want boom after 1", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err = r.Observations(ctx, q, func(*resultsdb.ObservationBatch) error {
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
	if err := r.Observations(context.Background(), resultsdb.ObservationsQuery{}, func(*resultsdb.ObservationBatch) error {
		t.Error("fn called without checks")
		return nil
	}); err != nil {
		t.Error(err)
	}
	r.Close()
	if err := r.Observations(context.Background(), q, func(*resultsdb.ObservationBatch) error { return nil }); err != resultsdb.ErrResultsClosed {
		t.Errorf("closed: got %v", err)
	}
}

// TestObservationsBatches: batches hold one series each, in time order,
// and only the checks asked for.
func TestObservationsBatches(t *testing.T) {
	d := smallMonth(t)
	r := openSmallMonth(t, d)
	q := resultsdb.ObservationsQuery{Checks: []string{"check-0003", "check-0000", "nope"}, Details: []string{"check-0000"}}
	last := map[[2]string]int64{}
	err := r.Observations(context.Background(), q, func(b *resultsdb.ObservationBatch) error {
		if b.Check != "check-0003" && b.Check != "check-0000" {
			t.Errorf("batch of %s", b.Check)
		}
		k := [2]string{b.Check, b.Location}
		for _, o := range b.Observations {
			if o.StartMS <= last[k] {
				t.Fatalf("%v: %d after %d", k, o.StartMS, last[k])
			}
			last[k] = o.StartMS
			if b.Check == "check-0003" && (o.DurationMS != 0 || o.Reason != "") {
				t.Fatalf("details of a check without: %+v", o)
			}
			if !o.OK && b.Check == "check-0000" && o.Reason != string(probe.ReasonTimeout) {
				t.Fatalf("failure without its reason: %+v", o)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(last) != 4 {
		t.Errorf("series read: %v", last)
	}
}
