package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/agent/wire"
	"github.com/vigilmon/vigil/probe"
)

var now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

const spoolID = "0123456789abcdef0123456789abcdef"

// res is the i-th result of check c at ams, i seconds before now.
func res(c string, i int) probe.Result {
	return probe.Result{Check: c, Location: "ams", Start: now.Add(-time.Duration(i) * time.Second),
		Interval: 10 * time.Second, Duration: time.Millisecond, OK: true}
}

// batch is results first..first+n-1 of check home, oldest first.
func batch(first, n int) (wire.BatchID, []probe.Result) {
	var rs []probe.Result
	for i := range n {
		rs = append(rs, res("home", 10_000-first-i))
	}
	return wire.BatchID{Spool: spoolID, First: uint64(first), Count: n}, rs
}

// fakeStore records what it stores; tooOld marks results it refuses for
// their age, fail makes Append fail.
type fakeStore struct {
	mu       sync.Mutex
	appended []probe.Result
	tooOld   func(probe.Result) bool
	fail     error
}

func (f *fakeStore) Append(_ context.Context, rs []probe.Result) (map[int]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	refused := map[int]string{}
	for i, r := range rs {
		switch {
		case f.tooOld != nil && f.tooOld(r):
			refused[i] = "older than the store takes"
		case r.Check == "conflict":
			refused[i] = "a different result at the same millisecond"
		default:
			f.appended = append(f.appended, r)
		}
	}
	return refused, nil
}

func (f *fakeStore) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.appended)
}

func newReceiver(t *testing.T, dir string, store Store, tune func(*Options)) *Receiver {
	t.Helper()
	l, err := OpenLedger(dir, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Store: store, Ledger: l, Now: func() time.Time { return now }, Retention: 400 * 24 * time.Hour}
	if tune != nil {
		tune(&o)
	}
	return New(o)
}

func TestSameBatchTwiceIsStoredOnce(t *testing.T) {
	st := &fakeStore{}
	rc := newReceiver(t, t.TempDir(), st, nil)
	id, rs := batch(1, 50)
	r1, err := rc.Ingest(context.Background(), "ams", id, rs)
	if err != nil || r1.Stored != 50 || r1.Duplicates != 0 {
		t.Fatalf("first: %+v, %v", r1, err)
	}
	r2, err := rc.Ingest(context.Background(), "ams", id, rs)
	if err != nil || r2.Stored != 0 || r2.Duplicates != 50 {
		t.Fatalf("second: %+v, %v", r2, err)
	}
	if st.count() != 50 {
		t.Fatalf("store holds %d, want 50", st.count())
	}
	// Another location with the same spool id is another agent.
	fra := slices.Clone(rs)
	for i := range fra {
		fra[i].Location = "fra"
	}
	if r, err := rc.Ingest(context.Background(), "fra", id, fra); err != nil || r.Stored != 50 {
		t.Fatalf("fra: %+v, %v", r, err)
	}
}

// After a restart an agent may cut its batches differently: only the
// records not yet stored are.
func TestOverlappingBatchStoresOnlyTheNewRecords(t *testing.T) {
	st := &fakeStore{}
	rc := newReceiver(t, t.TempDir(), st, nil)
	id, rs := batch(1, 10)
	rc.Ingest(context.Background(), "ams", id, rs)
	id2, rs2 := batch(6, 10)
	r, err := rc.Ingest(context.Background(), "ams", id2, rs2)
	if err != nil || r.Stored != 5 || r.Duplicates != 5 {
		t.Fatalf("overlap: %+v, %v", r, err)
	}
	if got := st.appended[10].Start; !got.Equal(rs2[5].Start) {
		t.Fatalf("stored %v after the first batch, want %v (record 11)", got, rs2[5].Start)
	}
}

func TestConcurrentRetriesAreStoredOnce(t *testing.T) {
	st := &fakeStore{}
	rc := newReceiver(t, t.TempDir(), st, nil)
	id, rs := batch(1, 100)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := rc.Ingest(context.Background(), "ams", id, rs); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if st.count() != 100 {
		t.Fatalf("store holds %d after 8 concurrent tries, want 100", st.count())
	}
}

func TestLedgerSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	st := &fakeStore{}
	id, rs := batch(1, 20)
	if _, err := newReceiver(t, dir, st, nil).Ingest(context.Background(), "ams", id, rs); err != nil {
		t.Fatal(err)
	}
	r, err := newReceiver(t, dir, st, nil).Ingest(context.Background(), "ams", id, rs)
	if err != nil || r.Duplicates != 20 || st.count() != 20 {
		t.Fatalf("after a restart: %+v, %v; store holds %d", r, err, st.count())
	}
	b, _ := os.ReadFile(filepath.Join(dir, LedgerFile))
	if !strings.Contains(string(b), `"last": 20`) || !strings.Contains(string(b), spoolID) {
		t.Errorf("ledger file:\n%s", b)
	}
	os.WriteFile(filepath.Join(dir, LedgerFile), []byte("{not json"), 0o600)
	if _, err := OpenLedger(dir, nil); err == nil || !strings.Contains(err.Error(), "move it aside") {
		t.Errorf("damaged ledger: %v", err)
	}
}

// A failed store leaves the ledger as it was: the retry stores the batch.
func TestStoreFailureIsRetried(t *testing.T) {
	st := &fakeStore{fail: errors.New("disk full")}
	rc := newReceiver(t, t.TempDir(), st, nil)
	id, rs := batch(1, 5)
	if _, err := rc.Ingest(context.Background(), "ams", id, rs); err == nil {
		t.Fatal("a failed store was acknowledged")
	}
	st.fail = nil
	if r, err := rc.Ingest(context.Background(), "ams", id, rs); err != nil || r.Stored != 5 {
		t.Fatalf("retry: %+v, %v", r, err)
	}
}

func TestRejectsWhatCannotBeStored(t *testing.T) {
	st := &fakeStore{}
	rc := newReceiver(t, t.TempDir(), st, nil)
	good := res("home", 5)
	bad := map[string]probe.Result{}
	set := func(name string, f func(*probe.Result)) {
		r := good
		f(&r)
		bad[name] = r
	}
	set("name", func(r *probe.Result) { r.Check = "Home Page" })
	set("interval", func(r *probe.Result) { r.Interval = 0 })
	set("ok with reason", func(r *probe.Result) { r.Reason = probe.ReasonTimeout })
	set("reason", func(r *probe.Result) { r.OK, r.Reason = false, "Time Out" })
	set("future", func(r *probe.Result) { r.Start = now.Add(10 * time.Minute) })
	set("retention", func(r *probe.Result) { r.Start = now.Add(-500 * 24 * time.Hour) })
	set("conflict", func(r *probe.Result) { r.Check = "conflict" })
	rs := []probe.Result{good}
	var names []string
	for name, r := range bad {
		names = append(names, name)
		rs = append(rs, r)
	}
	rs = append(rs, res("home", 1))
	id := wire.BatchID{Spool: spoolID, First: 1, Count: len(rs)}
	r, err := rc.Ingest(context.Background(), "ams", id, rs)
	if err != nil {
		t.Fatal(err)
	}
	if r.Stored != 2 || len(r.Rejected) != len(bad) {
		t.Fatalf("receipt %+v: want 2 stored, %d rejected", r, len(bad))
	}
	for i, rej := range r.Rejected {
		if rej.Index != i+1 || rej.Reason == "" {
			t.Errorf("rejection %d: %+v (%s)", i, rej, names[i])
		}
	}
	// Refused for good: the ledger moves on, a retry stores nothing more.
	if r, _ := rc.Ingest(context.Background(), "ams", id, rs); r.Duplicates != len(rs) {
		t.Errorf("retry: %+v", r)
	}
}

// What the store refuses is in the receipt, never dropped silently.
func TestStoreRefusalsAreReported(t *testing.T) {
	st := &fakeStore{tooOld: func(r probe.Result) bool { return now.Sub(r.Start) > time.Hour }}
	rc := newReceiver(t, t.TempDir(), st, nil)
	rs := []probe.Result{res("home", 7200), res("home", 3500), res("home", 10)}
	r, err := rc.Ingest(context.Background(), "ams", wire.BatchID{Spool: spoolID, First: 1, Count: 3}, rs)
	if err != nil || r.Stored != 2 || len(r.Rejected) != 1 || r.Rejected[0].Index != 0 || r.Rejected[0].Reason != "older than the store takes" {
		t.Fatalf("receipt %+v, %v", r, err)
	}
	if st := rc.Stats(); st.Stored != 2 || st.Rejected != 1 || st.Batches != 1 {
		t.Errorf("stats %+v", st)
	}
}

// Only fresh results reach the live views; every stored one reaches Stored.
func TestLiveSeesOnlyFreshResults(t *testing.T) {
	var live, stored []probe.Result
	rc := newReceiver(t, t.TempDir(), &fakeStore{}, func(o *Options) {
		o.Live = func(r probe.Result) { live = append(live, r) }
		o.Stored = func(r probe.Result) { stored = append(stored, r) }
	})
	// Interval 10s: fresh for a minute (the floor), then stale.
	rs := []probe.Result{res("home", 3600), res("home", 61), res("home", 59), res("home", 1)}
	if _, err := rc.Ingest(context.Background(), "ams", wire.BatchID{Spool: spoolID, First: 1, Count: 4}, rs); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 4 || len(live) != 2 || !live[0].Start.Equal(rs[2].Start) || !live[1].Start.Equal(rs[3].Start) {
		t.Fatalf("stored %d, live %v", len(stored), live)
	}
	long := res("home", 20*60)
	long.Interval = 15 * time.Minute
	if !Fresh(long, now) {
		t.Error("a 15-minute check's result of 20 minutes ago is still its latest word")
	}
}

func TestBatchMustFitItsID(t *testing.T) {
	rc := newReceiver(t, t.TempDir(), &fakeStore{}, nil)
	id, rs := batch(1, 5)
	id.Count = 6
	if _, err := rc.Ingest(context.Background(), "ams", id, rs); !errors.Is(err, ErrBatch) {
		t.Fatalf("err = %v", err)
	}
}

func ExampleFresh() {
	r := probe.Result{Start: now.Add(-90 * time.Second), Interval: time.Minute}
	fmt.Println(Fresh(r, now))
	// Output: true
}

func TestTwoAgentsForOneLocationAreNoticed(t *testing.T) {
	var w twinWatch
	at := func(m int) time.Time { return now.Add(time.Duration(m) * time.Minute) }
	if _, twin := w.see("ams", "a", at(0)); twin {
		t.Fatal("first batch")
	}
	if _, twin := w.see("ams", "a", at(1)); twin {
		t.Fatal("same spool")
	}
	if other, twin := w.see("ams", "b", at(2)); !twin || other != "a" {
		t.Fatalf("second spool within the window: %q %v", other, twin)
	}
	if _, twin := w.see("ams", "a", at(3)); twin {
		t.Fatal("warned twice within the window")
	}
	if _, twin := w.see("fra", "c", at(3)); twin {
		t.Fatal("another location")
	}
	// A spool replaced (wiped): the old one has fallen silent.
	if _, twin := w.see("fra", "d", at(30)); twin {
		t.Fatal("a new spool after a long silence")
	}
	if _, twin := w.see("ams", "b", at(11)); twin {
		t.Fatal("warned twice within the window")
	}
	if other, twin := w.see("ams", "a", at(13)); !twin || other != "b" {
		t.Fatalf("still alternating after the window: %q %v", other, twin)
	}
}
