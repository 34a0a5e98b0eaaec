package remoteread

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store/remotewrite"
	"github.com/vigilmon/vigil/store/remotewrite/vmtest"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// threeDays are results of three checks at two locations, every minute
// for three days from start, with failures of several reasons, durations
// to the nanosecond (some on a half millisecond), an interval that
// changes, and a two-hour gap at one location.
func threeDays(start time.Time) []probe.Result {
	var out []probe.Result
	for i := range 3 * 24 * 60 {
		m := start.Add(time.Duration(i) * time.Minute)
		for _, loc := range []string{"ams", "fra"} {
			if loc == "fra" && i >= 600 && i < 720 {
				continue // the prober was down
			}
			screen := probe.Result{Check: "screen", Location: loc, Start: m.Add(11 * time.Second),
				Duration: 1500*time.Millisecond + time.Duration(i%997)*time.Microsecond + 500*time.Microsecond, Interval: time.Minute, OK: true}
			switch {
			case i%97 == 0:
				screen.OK, screen.Reason, screen.Duration = false, probe.ReasonTimeout, 10*time.Second
			case i%61 == 0:
				screen.OK, screen.Reason, screen.Status = false, probe.ReasonStatus, 502
			case i%53 == 0:
				screen.OK = false // no reason
			}
			home := probe.Result{Check: "home", Location: loc, Start: m.Add(7 * time.Second), Duration: time.Duration(100+i%50) * time.Millisecond,
				Interval: time.Minute, OK: i%89 != 0, Status: 200}
			if !home.OK {
				home.Reason = probe.ReasonConnect
			}
			out = append(out, screen, home)
			if i%2 == 0 || i < 2000 { // tcp: every minute, then every two
				tcp := probe.Result{Check: "tcp", Location: loc, Start: m.Add(3 * time.Second), Duration: 3 * time.Millisecond, Interval: time.Minute, OK: true}
				if i >= 2000 {
					tcp.Interval = 2 * time.Minute
				}
				out = append(out, tcp)
			}
		}
	}
	return out
}

// For the same results, the remote read from VictoriaMetrics yields
// exactly what the embedded results database yields.
func TestObservationsMatchResultsDB(t *testing.T) {
	vm := vmtest.Start(t)
	start := time.Date(2026, 9, 28, 22, 0, 0, 0, time.UTC)
	results := threeDays(start)

	dir := t.TempDir()
	db, err := resultsdb.Open(dir, resultsdb.Options{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	w, err := remotewrite.New(remotewrite.Config{URL: vm.WriteURL(), Queue: remotewrite.QueueConfig{
		Capacity: 1 << 20, MaxSamplesPerSend: 10_000, BatchSendDeadline: 10 * time.Millisecond, RetryFor: time.Minute}}, remotewrite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		w.Run(ctx)
		close(done)
	}()
	for _, r := range results {
		if err := db.Write(ctx, r); err != nil {
			t.Fatal(err)
		}
		w.Observe(r)
	}
	cancel()
	<-done
	// Reopened, the database has committed everything.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db, err = resultsdb.Open(dir, resultsdb.Options{}, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if s := w.Stats(); s.SamplesFailed != 0 || s.SamplesDropped != 0 || s.SamplesSent == 0 {
		t.Fatalf("remote write: %+v", s)
	}
	vm.Flush(t)

	for _, c := range []struct {
		name  string
		chunk time.Duration
		q     resultsdb.ObservationsQuery
	}{
		{"a day, chunks of 5h", 5 * time.Hour, resultsdb.ObservationsQuery{Checks: []string{"screen", "home", "tcp"}, Details: []string{"screen"},
			From: start.Add(26 * time.Hour), To: start.Add(50 * time.Hour)}},
		{"everything in default chunks", 0, resultsdb.ObservationsQuery{Checks: []string{"tcp", "screen", "home"}, Details: []string{"screen", "home"},
			From: start.Add(-time.Hour), To: start.Add(80 * time.Hour)}},
		{"odd edges", 37 * time.Minute, resultsdb.ObservationsQuery{Checks: []string{"tcp", "screen"}, Details: []string{"tcp"},
			From: start.Add(10*time.Hour + 7*time.Second + 500*time.Microsecond), To: start.Add(40*time.Hour + 11*time.Second)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := map[string][]resultsdb.Observation{}
			err := db.Observations(context.Background(), c.q, func(b *resultsdb.ObservationBatch) error {
				k := b.Check + "/" + b.Location
				want[k] = append(want[k], b.Observations...)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			r, err := New(Config{URL: vm.URL, Chunk: c.chunk}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := collect(t, r, c.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2*len(c.q.Checks) || len(got) != len(want) {
				t.Fatalf("%d groups from the remote, %d from the results db, want %d", len(got), len(want), 2*len(c.q.Checks))
			}
			for k, w := range want {
				if !slices.Equal(got[k], w) {
					t.Errorf("%s: %d observations from the remote, %d from the results db; first difference at %d",
						k, len(got[k]), len(w), firstDiff(got[k], w))
				}
			}
		})
	}
}

func firstDiff(a, b []resultsdb.Observation) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
