package remoteread

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/store/remotewrite"
	"github.com/vigilmon/vigil/store/resultsdb"
)

var t0 = time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)

// at is t0 plus d in milliseconds.
func at(d time.Duration) int64 { return t0.Add(d).UnixMilli() }

func labels(metric, check, loc string, extra ...string) map[string]string {
	l := map[string]string{"__name__": metric, "check": check, "location": loc}
	for i := 0; i+1 < len(extra); i += 2 {
		l[extra[i]] = extra[i+1]
	}
	return l
}

// handSeries is a small layout with every corner: samples on chunk edges,
// a repeated start, an interval sample just outside the look-back and one
// on its edge, a failure series with a 0, a group without interval, and a
// check without details that still has durations stored.
func handSeries() []fakeSeries {
	const (
		home = "home"
		dns  = "dns"
	)
	return []fakeSeries{
		{labels(remotewrite.MetricInterval, home, "ams"), []pair{{at(-time.Hour) - 1, 30}, {at(-time.Hour), 60}, {at(90 * time.Minute), 120}}},
		{labels(remotewrite.MetricSuccess, home, "ams"), []pair{{at(-5 * time.Minute), 1}, {at(0), 1}, {at(time.Hour) - 1, 1},
			{at(time.Hour), 0}, {at(time.Hour), 0}, {at(90 * time.Minute), 1}, {at(3*time.Hour) - 1, 1}, {at(3 * time.Hour), 1}}},
		{labels(remotewrite.MetricDuration, home, "ams"), []pair{{at(-5 * time.Minute), 9}, {at(0), 1.2345}, {at(time.Hour) - 1, 2.0004999},
			{at(time.Hour), 5}, {at(time.Hour), 5}, {at(90 * time.Minute), 0.0005}, {at(3*time.Hour) - 1, 1.999999999}, {at(3 * time.Hour), 1}}},
		{labels(remotewrite.MetricFailure, home, "ams", "reason", "timeout"), []pair{{at(time.Hour), 1}, {at(time.Hour), 1}}},
		{labels(remotewrite.MetricFailure, home, "ams", "reason", "status"), []pair{{at(90 * time.Minute), 0}}},
		{labels(remotewrite.MetricSuccess, home, "fra"), []pair{{at(30 * time.Minute), 1}}},
		{labels(remotewrite.MetricDuration, home, "fra"), []pair{{at(30 * time.Minute), 0.25}}},
		{labels(remotewrite.MetricInterval, dns, "ams"), []pair{{at(-30 * time.Minute), 60}}},
		{labels(remotewrite.MetricSuccess, dns, "ams"), []pair{{at(10 * time.Minute), 1}}},
		{labels(remotewrite.MetricDuration, dns, "ams"), []pair{{at(10 * time.Minute), 0.5}}},
		{labels(remotewrite.MetricSuccess, "other", "ams"), []pair{{at(10 * time.Minute), 1}}},
	}
}

// handWant is what Observations yields for handSeries over [t0, t0+3h).
var handWant = map[string][]resultsdb.Observation{
	"home/ams": {
		{StartMS: at(0), OK: true, DurationMS: 1235, IntervalMS: 60_000},
		{StartMS: at(time.Hour) - 1, OK: true, DurationMS: 2000, IntervalMS: 60_000},
		{StartMS: at(time.Hour), OK: false, DurationMS: 5000, IntervalMS: 60_000, Reason: "timeout"},
		{StartMS: at(90 * time.Minute), OK: true, DurationMS: 1, IntervalMS: 120_000},
		{StartMS: at(3*time.Hour) - 1, OK: true, DurationMS: 2000, IntervalMS: 120_000},
	},
	"home/fra": {{StartMS: at(30 * time.Minute), OK: true, DurationMS: 250}},
	"dns/ams":  {{StartMS: at(10 * time.Minute), OK: true, IntervalMS: 60_000}},
}

// collect runs Observations and returns the observations by group,
// checking that each group's batches come in time order.
func collect(t *testing.T, r *Reader, q resultsdb.ObservationsQuery) (map[string][]resultsdb.Observation, error) {
	t.Helper()
	got := map[string][]resultsdb.Observation{}
	err := r.Observations(context.Background(), q, func(b *resultsdb.ObservationBatch) error {
		k := b.Check + "/" + b.Location
		if len(b.Observations) == 0 || len(b.Observations) > resultsdb.BatchSize {
			t.Errorf("batch of %d observations", len(b.Observations))
		}
		if prev := got[k]; len(prev) > 0 && prev[len(prev)-1].StartMS >= b.Observations[0].StartMS {
			t.Errorf("%s: batches out of order", k)
		}
		got[k] = append(got[k], b.Observations...)
		return nil
	})
	return got, err
}

func newTestReader(t *testing.T, url string, chunk time.Duration) *Reader {
	t.Helper()
	r, err := New(Config{URL: url, Chunk: chunk, Concurrency: 2,
		Auth: remotewrite.Auth{BearerToken: "tok", Headers: map[string]string{"X-Scope-OrgID": "tenant-1"}}, UserAgent: "vigil/test"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var handQuery = resultsdb.ObservationsQuery{Checks: []string{"home", "dns", "home", "absent"}, Details: []string{"home"}, From: t0, To: t0.Add(3 * time.Hour)}

func TestObservationsChunked(t *testing.T) {
	for _, closedLeft := range []bool{false, true} {
		t.Run(fmt.Sprintf("closedLeft=%t", closedLeft), func(t *testing.T) {
			api := newFakeAPI(t, handSeries())
			api.closedLeft = closedLeft
			got, err := collect(t, newTestReader(t, api.srv.URL+"/prom/", time.Hour), handQuery)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(handWant) {
				t.Errorf("groups %v, want %d", got, len(handWant))
			}
			for k, want := range handWant {
				if !slices.Equal(got[k], want) {
					t.Errorf("%s:\n got %+v\nwant %+v", k, got[k], want)
				}
			}
			// One query per check and hour, from the look-back hour on,
			// edge to edge.
			windows := api.queried()
			if len(windows) != 3*4 {
				t.Fatalf("%d queries, want 12 (3 checks, 4 chunks): %v", len(windows), windows)
			}
			for i, w := range windows {
				if start := at(time.Duration(i/3-1) * time.Hour); w != [2]int64{start, start + time.Hour.Milliseconds() - 1} {
					t.Errorf("query %d reads %v, want [%d, %d]", i, w, start, start+time.Hour.Milliseconds()-1)
				}
			}
			h := api.headers[0]
			if h.Get("Authorization") != "Bearer tok" || h.Get("X-Scope-OrgID") != "tenant-1" || h.Get("User-Agent") != "vigil/test" {
				t.Errorf("headers %v", h)
			}
		})
	}
}

// A chunk longer than the range reads it in one query per check, and a
// long series comes in full batches.
func TestObservationsBatches(t *testing.T) {
	var success []pair
	for i := range 3000 {
		success = append(success, pair{at(time.Duration(i) * time.Second), float64(i % 2)})
	}
	api := newFakeAPI(t, []fakeSeries{{labels(remotewrite.MetricSuccess, "home", "ams"), success}})
	r := newTestReader(t, api.srv.URL+"/prom", 0) // the default: a day
	got, err := collect(t, r, resultsdb.ObservationsQuery{Checks: []string{"home"}, From: t0, To: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if obs := got["home/ams"]; len(obs) != 3000 || obs[2999].StartMS != success[2999].t || obs[2998].OK || !obs[2999].OK {
		t.Fatalf("got %d observations", len(obs))
	}
	if n := len(api.queried()); n != 1 {
		t.Fatalf("%d queries, want 1", n)
	}
}

// Answers a report cannot trust are errors that say why.
func TestObservationsRefusesDoubtfulAnswers(t *testing.T) {
	for _, c := range []struct {
		name, want string
		answer     func(w http.ResponseWriter)
	}{
		{"partial", "partial data", func(w http.ResponseWriter) {
			fmt.Fprint(w, `{"status":"success","isPartial":true,"data":{"resultType":"matrix","result":[]}}`)
		}},
		{"warnings", "the backend warned: store gateway down", func(w http.ResponseWriter) {
			fmt.Fprint(w, `{"status":"success","warnings":["store gateway down"],"data":{"resultType":"matrix","result":[]}}`)
		}},
		{"limit", "cannot select more than 1000 samples; if a sample limit was hit, lower remote_read.chunk", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, `{"status":"error","errorType":"execution","error":"cannot select more than 1000 samples"}`)
		}},
		{"not a matrix", "resultType matrix", func(w http.ResponseWriter) {
			fmt.Fprint(w, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
		}},
		{"not the API", "HTTP 404 Not Found: no Prometheus API error in the answer", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `<html>not here</html>`)
		}},
		{"broken JSON", "read the answer", func(w http.ResponseWriter) {
			fmt.Fprint(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"x"]]}]}}`)
		}},
		{"server error", "HTTP 503 Service Unavailable", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"status":"error","error":"overloaded"}`)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			api := newFakeAPI(t, handSeries())
			api.answer = func(i int, w http.ResponseWriter) bool {
				if i < 2 { // the first chunk of each check is fine
					return false
				}
				c.answer(w)
				return true
			}
			_, err := collect(t, newTestReader(t, api.srv.URL+"/prom?token=query-secret", time.Hour), handQuery)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if strings.Contains(err.Error(), "query-secret") {
				t.Errorf("the error shows the URL's query: %v", err)
			}
		})
	}
}

// An error from fn stops the read and comes back as it is.
func TestObservationsStopsOnCallbackError(t *testing.T) {
	api := newFakeAPI(t, handSeries())
	stop := errors.New("enough")
	calls := 0
	err := newTestReader(t, api.srv.URL+"/prom", time.Hour).Observations(context.Background(), handQuery, func(*resultsdb.ObservationBatch) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Fatalf("err = %v after %d calls, want the callback's after 1", err, calls)
	}
}

func TestObservationsNeedsBounds(t *testing.T) {
	r := newTestReader(t, "http://127.0.0.1:1", time.Hour)
	if err := r.Observations(context.Background(), resultsdb.ObservationsQuery{Checks: []string{"home"}, To: t0},
		func(*resultsdb.ObservationBatch) error { return nil }); err == nil {
		t.Fatal("an open range was accepted")
	}
	empty := resultsdb.ObservationsQuery{From: t0, To: t0.Add(time.Hour)}
	if err := r.Observations(context.Background(), empty, func(*resultsdb.ObservationBatch) error { return nil }); err != nil {
		t.Fatalf("no checks: %v", err)
	}
	for _, bad := range []string{"victoria:8428", "ftp://victoria", "http://user:s3cret@victoria:8428"} {
		if _, err := New(Config{URL: bad}, Options{}); err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("New(%q) = %v", bad, err)
		}
	}
}

// A stored duration no probe can have stops the read, saying where.
func TestObservationsRejectsInvalidDuration(t *testing.T) {
	api := newFakeAPI(t, []fakeSeries{
		{labels(remotewrite.MetricSuccess, "home", "ams"), []pair{{at(time.Minute), 1}}},
		{labels(remotewrite.MetricDuration, "home", "ams"), []pair{{at(time.Minute), -0.5}}},
	})
	_, err := collect(t, newTestReader(t, api.srv.URL+"/prom", time.Hour),
		resultsdb.ObservationsQuery{Checks: []string{"home"}, Details: []string{"home"}, From: t0, To: t0.Add(time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "home at ams at 2026-10-01T10:01:00Z: duration -0.5 s is not a valid probe duration") {
		t.Fatalf("err = %v", err)
	}
}
