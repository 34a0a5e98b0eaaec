package remotewrite

import (
	"context"
	"log/slog"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/tsdb"
	"github.com/prometheus/prometheus/tsdb/chunkenc"

	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// schemaResults are results of every shape: ok with phases and status,
// failures with and without a reason, two checks, two locations, an
// interval that changes.
func schemaResults() []probe.Result {
	var out []probe.Result
	for i := range 180 {
		start := t0.Add(time.Duration(i) * time.Minute)
		for _, loc := range []string{"ams", "fra"} {
			r := probe.Result{Check: "home", Location: loc, Start: start.Add(7 * time.Second), Duration: time.Duration(100+i) * time.Millisecond,
				Interval: time.Minute, OK: true, Status: 200,
				Phases: &probe.Phases{DNS: time.Millisecond, Connect: 2 * time.Millisecond, TTFB: time.Duration(90+i) * time.Millisecond}}
			switch {
			case i%17 == 0:
				r.OK, r.Reason, r.Status, r.Phases = false, probe.ReasonTimeout, 0, nil
			case i%11 == 0:
				r.OK, r.Reason, r.Status = false, probe.ReasonStatus, 503
			}
			out = append(out, r)
			dns := probe.Result{Check: "dns", Location: loc, Start: start.Add(3 * time.Second), Duration: 4 * time.Millisecond, Interval: time.Minute, OK: i%13 != 0}
			if i >= 90 {
				dns.Interval = 2 * time.Minute
			}
			if i >= 90 && i%2 == 1 {
				continue // every two minutes from then on
			}
			out = append(out, dns)
		}
	}
	return out
}

// The series remote write sends are the embedded results database's: the
// same names and label sets, and the same samples, but for the interval,
// which the database writes only on change and hourly and remote write
// with every result (see the package doc).
func TestSchemaMatchesResultsDB(t *testing.T) {
	results := schemaResults()
	dir := t.TempDir()
	db, err := resultsdb.Open(dir, resultsdb.Options{CommitInterval: time.Millisecond}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if err := db.Write(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	local := readTSDB(t, filepath.Join(dir, "tsdb"))

	remote := map[string][]sample{}
	for _, s := range decodeRequest(t, newEncoder().encode(results)) {
		remote[s.name()] = s.samples
	}
	if got, want := slices.Sorted(maps.Keys(remote)), slices.Sorted(maps.Keys(local)); !slices.Equal(got, want) {
		t.Fatalf("remote series\n%s\nlocal series\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for name, want := range local {
		got := remote[name]
		if strings.HasPrefix(name, LabelName+"="+MetricInterval+",") {
			// Every result's interval remotely; locally on change and hourly:
			// each local sample is among the remote ones, and carried
			// forward both give every result the same interval.
			for _, s := range want {
				if !slices.Contains(got, s) {
					t.Errorf("%s: local interval sample %v not sent", name, s)
				}
			}
			if len(got) <= len(want) {
				t.Errorf("%s: %d remote interval samples, want one per result (local has %d)", name, len(got), len(want))
			}
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: remote %v\nlocal %v", name, got, want)
		}
	}
}

// readTSDB returns every series of the TSDB in dir by its labels, joined
// as decodeRequest joins them.
func readTSDB(t *testing.T, dir string) map[string][]sample {
	t.Helper()
	db, err := tsdb.OpenDBReadOnly(dir, t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q, err := db.Querier(math.MinInt64, math.MaxInt64)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	out := map[string][]sample{}
	set := q.Select(context.Background(), true, nil, labels.MustNewMatcher(labels.MatchRegexp, LabelName, ".+"))
	for set.Next() {
		s := set.At()
		var parts []string
		s.Labels().Range(func(l labels.Label) { parts = append(parts, l.Name+"="+l.Value) })
		var samples []sample
		it := s.Iterator(nil)
		for it.Next() == chunkenc.ValFloat {
			ts, v := it.At()
			samples = append(samples, sample{ts, v})
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
		out[strings.Join(parts, ",")] = samples
	}
	if err := set.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
