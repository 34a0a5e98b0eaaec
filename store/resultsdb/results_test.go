package resultsdb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testOptions commit quickly so that tests do not wait a second.
func testOptions() Options {
	return Options{CommitInterval: 10 * time.Millisecond}
}

// openTest opens a results db in dir, closed at the end of the test.
func openTest(t testing.TB, dir string, opts Options) *Results {
	t.Helper()
	r, err := Open(dir, opts, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// writeAll writes rs and waits until all of them are committed.
func writeAll(t testing.TB, r *Results, rs ...probe.Result) {
	t.Helper()
	before := r.Stats()
	for _, res := range rs {
		if err := r.Write(context.Background(), res); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	waitCommitted(t, r, before.Written+before.Rejected+uint64(len(rs)))
}

// waitCommitted waits until n results are committed or rejected.
func waitCommitted(t testing.TB, r *Results, n uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := r.Stats()
		if s.Written+s.Rejected >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("results not committed in time: %+v, want %d", s, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// queryAll returns every result q selects.
func queryAll(t testing.TB, r *Results, q Query) []probe.Result {
	t.Helper()
	var out []probe.Result
	if err := r.Query(context.Background(), q, func(res probe.Result) error {
		out = append(out, res)
		return nil
	}); err != nil {
		t.Fatalf("Query: %v", err)
	}
	return out
}

// stored is res as Query gives it back: no message, Start in UTC ms.
func stored(res probe.Result) probe.Result {
	res.Message = ""
	res.Start = res.Start.Truncate(time.Millisecond).UTC()
	return res
}

func assertResults(t *testing.T, got, want []probe.Result) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d results, want %d:\n got %v\nwant %v", len(got), len(want), got, want)
	}
	for i := range want {
		w := stored(want[i])
		if !reflect.DeepEqual(got[i], w) {
			t.Errorf("result %d:\n got %+v (phases %+v)\nwant %+v (phases %+v)", i, got[i], got[i].Phases, w, w.Phases)
		}
	}
}

func TestRoundTripEveryField(t *testing.T) {
	r := openTest(t, t.TempDir(), testOptions())
	loc := time.FixedZone("CET", 3600)
	want := []probe.Result{
		{
			Check: "login", Location: "ams", Start: t0.In(loc).Add(123456789 * time.Nanosecond),
			Duration: 1234567891 * time.Nanosecond, Interval: 30 * time.Second, OK: true,
			Message: "status 200", Status: 200,
			Phases: &probe.Phases{DNS: 1500 * time.Microsecond, Connect: 12 * time.Millisecond,
				TLS: 33333333, TTFB: 900 * time.Millisecond, Transfer: 7},
		},
		{
			Check: "login", Location: "ams", Start: t0.Add(30 * time.Second),
			Duration: 10 * time.Second, Interval: 30 * time.Second, Reason: probe.ReasonTimeout,
			Message: "deadline exceeded", Phases: &probe.Phases{},
		},
		{
			Check: "login", Location: "ams", Start: t0.Add(time.Minute),
			Duration: 80 * time.Millisecond, Interval: time.Minute, Reason: probe.ReasonStatus,
			Message: "status 503, expected 200", Status: 503,
			Phases: &probe.Phases{Connect: time.Millisecond, TTFB: 70 * time.Millisecond},
		},
		{
			Check: "login", Location: "ams", Start: t0.Add(90 * time.Second),
			Duration: 3 * time.Millisecond, Interval: time.Minute, Reason: probe.ReasonConnect,
		},
		{
			Check: "login", Location: "ams", Start: t0.Add(2 * time.Minute),
			Duration: 2 * time.Millisecond, Interval: time.Minute, OK: true,
		},
		{ // a failure without a reason keeps the empty reason
			Check: "login", Location: "ams", Start: t0.Add(150 * time.Second), Interval: time.Minute,
		},
	}
	writeAll(t, r, want...)
	got := queryAll(t, r, Query{})
	assertResults(t, got, want)
	if got[0].Start.Location() != time.UTC {
		t.Errorf("Start location = %v, want UTC", got[0].Start.Location())
	}
}

func TestQueryTimeBounds(t *testing.T) {
	r := openTest(t, t.TempDir(), testOptions())
	var all []probe.Result
	for i := range 10 {
		all = append(all, probe.Result{Check: "api", Location: "fra", OK: true,
			Start: t0.Add(time.Duration(i) * time.Minute), Interval: time.Minute, Duration: time.Millisecond})
	}
	writeAll(t, r, all...)
	tests := []struct {
		name     string
		from, to time.Time
		want     []probe.Result
	}{
		{"inclusive from, exclusive to", t0.Add(2 * time.Minute), t0.Add(5 * time.Minute), all[2:5]},
		{"to one ms after a result includes it", t0.Add(2 * time.Minute), t0.Add(5*time.Minute + time.Millisecond), all[2:6]},
		{"from one ns after a result excludes it", t0.Add(2*time.Minute + 1), t0.Add(5 * time.Minute), all[3:5]},
		{"zero from and to: everything", time.Time{}, time.Time{}, all},
		{"zero to: up to the newest", t0.Add(8 * time.Minute), time.Time{}, all[8:]},
		{"empty range", t0.Add(5 * time.Minute), t0.Add(5 * time.Minute), nil},
		{"reversed range", t0.Add(5 * time.Minute), t0, nil},
		{"before everything", t0.Add(-time.Hour), t0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertResults(t, queryAll(t, r, Query{From: tt.from, To: tt.to}), tt.want)
		})
	}
}

func TestQueryChecksAndLocations(t *testing.T) {
	r := openTest(t, t.TempDir(), testOptions())
	checks, locations := []string{"c", "a", "b"}, []string{"nyc", "ams"}
	var written []probe.Result
	for i := range 5 {
		for _, c := range checks {
			for _, l := range locations {
				written = append(written, probe.Result{Check: c, Location: l, OK: i%2 == 0,
					Reason: map[bool]probe.Reason{true: "", false: probe.ReasonDNS}[i%2 == 0],
					Start:  t0.Add(time.Duration(i) * time.Minute), Interval: time.Minute,
					Duration: time.Duration(len(c)*100+len(l)) * time.Millisecond})
			}
		}
	}
	writeAll(t, r, written...)
	// want returns the written results of check and location (empty: all)
	// in the order Query gives them: by check, location, then time.
	want := func(check, location string) []probe.Result {
		var out []probe.Result
		for _, c := range []string{"a", "b", "c"} {
			for _, l := range []string{"ams", "nyc"} {
				for _, res := range written {
					if res.Check == c && res.Location == l && (check == "" || check == c) && (location == "" || location == l) {
						out = append(out, res)
					}
				}
			}
		}
		return out
	}
	for _, q := range []Query{{}, {Check: "b"}, {Location: "nyc"}, {Check: "c", Location: "ams"}, {Check: "nope"}} {
		t.Run(fmt.Sprintf("%q@%q", q.Check, q.Location), func(t *testing.T) {
			assertResults(t, queryAll(t, r, q), want(q.Check, q.Location))
		})
	}
	got, err := r.Checks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Errorf("Checks = %q, want [a b c]", got)
	}
}

func TestQueryStopsOnCallbackErrorAndContext(t *testing.T) {
	r := openTest(t, t.TempDir(), testOptions())
	writeAll(t, r,
		probe.Result{Check: "a", Location: "x", Start: t0, OK: true},
		probe.Result{Check: "a", Location: "x", Start: t0.Add(time.Second), OK: true})
	stop := errors.New("stop")
	calls := 0
	err := r.Query(context.Background(), Query{}, func(probe.Result) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Query = %v after %d calls, want the callback's error after 1", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Query(ctx, Query{}, func(probe.Result) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Query with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir, testOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []probe.Result
	for i := range 100 {
		want = append(want, probe.Result{Check: "home", Location: "ams", OK: i%7 != 0,
			Reason: map[bool]probe.Reason{true: "", false: probe.ReasonTLS}[i%7 != 0],
			Start:  t0.Add(time.Duration(i) * 10 * time.Second), Interval: 10 * time.Second,
			Duration: time.Duration(i) * time.Millisecond, Status: 200})
	}
	// Close must commit what is still queued: no waiting here.
	for _, res := range want {
		if err := r.Write(context.Background(), res); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := r.Write(context.Background(), want[0]); !errors.Is(err, ErrResultsClosed) {
		t.Errorf("Write after Close = %v, want ErrResultsClosed", err)
	}
	if err := r.Query(context.Background(), Query{}, func(probe.Result) error { return nil }); !errors.Is(err, ErrResultsClosed) {
		t.Errorf("Query after Close = %v, want ErrResultsClosed", err)
	}
	r2 := openTest(t, dir, testOptions())
	assertResults(t, queryAll(t, r2, Query{}), want)
}

func TestOutOfOrderWindow(t *testing.T) {
	r := openTest(t, t.TempDir(), testOptions())
	res := func(start time.Time) probe.Result {
		return probe.Result{Check: "api", Location: "agent-1", Start: start, OK: true, Interval: time.Minute}
	}
	writeAll(t, r, res(t0))
	// A late result within the hour is accepted and read back in time order;
	// one from two hours earlier is refused and counted.
	writeAll(t, r, res(t0.Add(-30*time.Minute)), res(t0.Add(-2*time.Hour)))
	assertResults(t, queryAll(t, r, Query{}), []probe.Result{res(t0.Add(-30 * time.Minute)), res(t0)})
	if s := r.Stats(); s.Rejected != 1 || s.Written != 2 || s.Pending != 0 {
		t.Errorf("Stats = %+v, want 2 written, 1 rejected, none pending", s)
	}
}

func TestWriteValidates(t *testing.T) {
	r := openTest(t, t.TempDir(), testOptions())
	for _, res := range []probe.Result{
		{Location: "x", Start: t0},
		{Check: "a", Start: t0},
		{Check: "a", Location: "x"},
	} {
		if err := r.Write(context.Background(), res); err == nil {
			t.Errorf("Write(%+v) = nil, want an error", res)
		}
	}
}

func TestWriteBlocksWhenFull(t *testing.T) {
	dir := t.TempDir()
	release := make(chan struct{})
	opts := Options{CommitInterval: time.Hour, MaxBatch: 1, QueueSize: 2,
		OnCommit: func(int) { <-release }} // stalls the writer after its first commit
	r, err := Open(dir, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res := func(i int) probe.Result {
		return probe.Result{Check: "a", Location: "x", Start: t0.Add(time.Duration(i) * time.Second), OK: true}
	}
	// The writer takes result 0 and stalls in OnCommit; 1 and 2 fill the queue.
	for i := range 3 {
		if err := r.Write(ctx, res(i)); err != nil {
			t.Fatal(err)
		}
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := r.Write(short, res(3)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Write to a full queue = %v, want context.DeadlineExceeded", err)
	}
	if s := r.Stats(); s.Pending != 2 || s.Written != 1 {
		t.Errorf("Stats = %+v, want 1 written, 2 pending", s)
	}
	close(release)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r2 := openTest(t, dir, testOptions())
	assertResults(t, queryAll(t, r2, Query{}), []probe.Result{res(0), res(1), res(2)})
}

func TestStatsCountCommits(t *testing.T) {
	var committed []int
	opts := testOptions()
	opts.MaxBatch = 4
	opts.CommitInterval = time.Hour
	opts.OnCommit = func(n int) { committed = append(committed, n) }
	dir := t.TempDir()
	r, err := Open(dir, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if err := r.Write(context.Background(), probe.Result{Check: "a", Location: "x", Start: t0.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	// Two full batches, then the rest at Close.
	if s := r.Stats(); s.Written != 10 || s.Commits != 3 || s.CommitErrors != 0 || s.Pending != 0 {
		t.Errorf("Stats = %+v, want 10 written in 3 commits", s)
	}
	if !reflect.DeepEqual(committed, []int{4, 4, 2}) {
		t.Errorf("OnCommit saw %v, want [4 4 2]", committed)
	}
}

func TestQueryNoDetails(t *testing.T) {
	r := openTest(t, t.TempDir(), testOptions())
	var written, want []probe.Result
	for i := range 20 {
		res := benchResult(i, 2, 2, time.Minute)
		written = append(written, res)
		res.Status, res.Phases = 0, nil
		want = append(want, res)
	}
	writeAll(t, r, written...)
	got := queryAll(t, r, Query{Check: "check-001", Location: "loc-1", NoDetails: true})
	var wantGroup []probe.Result
	for _, res := range want {
		if res.Check == "check-001" && res.Location == "loc-1" {
			wantGroup = append(wantGroup, res)
		}
	}
	assertResults(t, got, wantGroup)
}

// TestQueryMemoryIsFlat reads many results and checks that the live heap
// does not grow with them: Query streams, it does not collect.
func TestQueryMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 60,000 results")
	}
	r := openTest(t, t.TempDir(), testOptions())
	const n = 60_000
	for i := range n {
		if err := r.Write(context.Background(), benchResult(i, 10, 2, time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	waitCommitted(t, r, n)
	if err := r.db.Compact(context.Background()); err != nil { // not in the background of the measurement
		t.Fatal(err)
	}
	var ms runtime.MemStats
	var lo, hi uint64 = math.MaxUint64, 0
	count := 0
	err := r.Query(context.Background(), Query{}, func(probe.Result) error {
		if count++; count%5000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			lo, hi = min(lo, ms.HeapAlloc), max(hi, ms.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Collecting 60,000 results with their phases would take about 12 MB.
	if count != n || hi-lo > 2<<20 {
		t.Errorf("read %d results; live heap ranged over %d KiB, want under 2 MiB", count, (hi-lo)>>10)
	}
}

func TestCommitFailureKeepsResultsAndPushesBack(t *testing.T) {
	opts := testOptions()
	opts.QueueSize = 1
	r, err := Open(t.TempDir(), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.db.Close() // every commit fails from now on
	ctx := context.Background()
	res := func(i int) probe.Result {
		return probe.Result{Check: "a", Location: "x", Start: t0.Add(time.Duration(i) * time.Second)}
	}
	if err := r.Write(ctx, res(0)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for r.Stats().CommitErrors < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	// The failing writer takes no more results: one fits in the queue, the
	// next one waits.
	if err := r.Write(ctx, res(1)); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := r.Write(short, res(2)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Write while commits fail = %v, want it to block until its context ends", err)
	}
	if s := r.Stats(); s.CommitErrors < 2 || s.Written != 0 || s.Pending != 2 {
		t.Errorf("Stats = %+v, want commit errors, nothing written, 2 pending", s)
	}
	if err := r.Close(); err == nil || !strings.Contains(err.Error(), "results not stored: 2 could not be committed") {
		t.Errorf("Close = %v, want it to report the 2 results it could not store", err)
	}
}
