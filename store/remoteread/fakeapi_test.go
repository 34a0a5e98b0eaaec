package remoteread

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
)

// fakeAPI is a Prometheus query API over fixed series that answers the
// one query shape the Reader sends, with raw samples in the window
// (end - range, end], or [end - range, end] when closedLeft (as
// Prometheus 2 did). It records every query's window.
type fakeAPI struct {
	srv        *httptest.Server
	series     []fakeSeries
	closedLeft bool
	// answer, when set, replaces the answer of the i-th query.
	answer func(i int, w http.ResponseWriter) bool

	mu      sync.Mutex
	windows [][2]int64 // [start, end] in ms, as asked
	headers []http.Header
}

type fakeSeries struct {
	labels  map[string]string
	samples []pair
}

var querySyntax = regexp.MustCompile(`^\{__name__=~"([^"]*)",check="([^"]*)"\}\[(\d+)ms\]$`)

func newFakeAPI(t *testing.T, series []fakeSeries) *fakeAPI {
	t.Helper()
	f := &fakeAPI{series: series}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/prom/api/v1/query" || r.Method != http.MethodPost {
		http.Error(w, `{"status":"error","error":"not found"}`, http.StatusNotFound)
		return
	}
	m := querySyntax.FindStringSubmatch(r.FormValue("query"))
	end, err := parseMillis(r.FormValue("time"))
	if m == nil || err != nil {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"status":"error","errorType":"bad_data","error":"cannot parse %q"}`, r.FormValue("query"))
		return
	}
	rng, _ := strconv.ParseInt(m[3], 10, 64)
	f.mu.Lock()
	i := len(f.windows)
	f.windows = append(f.windows, [2]int64{end - rng + 1, end})
	f.headers = append(f.headers, r.Header.Clone())
	f.mu.Unlock()
	if f.answer != nil && f.answer(i, w) {
		return
	}
	names := regexp.MustCompile("^(?:" + m[1] + ")$")
	type jsonSeries struct {
		Metric map[string]string `json:"metric"`
		Values [][2]any          `json:"values"`
	}
	result := []jsonSeries{}
	for _, s := range f.series {
		if !names.MatchString(s.labels["__name__"]) || s.labels["check"] != m[2] {
			continue
		}
		js := jsonSeries{Metric: s.labels}
		for _, p := range s.samples {
			if p.t > end || p.t < end-rng || (p.t == end-rng && !f.closedLeft) {
				continue
			}
			js.Values = append(js.Values, [2]any{json.Number(formatSeconds(p.t)), strconv.FormatFloat(p.v, 'g', -1, 64)})
		}
		if len(js.Values) > 0 {
			result = append(result, js)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": map[string]any{"resultType": "matrix", "result": result}})
}

// queried returns the windows asked for so far, in order of their start.
func (f *fakeAPI) queried() [][2]int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := slices.Clone(f.windows)
	slices.SortFunc(out, func(a, b [2]int64) int { return int(a[0] - b[0]) })
	return out
}
