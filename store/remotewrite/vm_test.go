package remotewrite

import (
	"bufio"
	"context"
	"encoding/json"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
	"github.com/vigilmon/vigil/store/remotewrite/vmtest"
)

// VictoriaMetrics stores every sample remote write sends, in the layout's
// series, history included.
func TestVictoriaMetricsReceivesResults(t *testing.T) {
	vm := vmtest.Start(t)
	results := schemaResults()
	w := newTestWriter(t, vm.WriteURL(), clock.Real{}, QueueConfig{MaxSamplesPerSend: 500, BatchSendDeadline: 10 * time.Millisecond, RetryFor: time.Minute}, nil)
	stop := startWriter(t, w)
	total := 0
	for i := range results {
		w.Observe(results[i])
		total += sampleCount(&results[i])
	}
	waitFor(t, "every sample sent", func() bool { return w.Stats().SamplesSent == uint64(total) })
	stop()
	if s := w.Stats(); s.SamplesFailed != 0 || s.SamplesDropped != 0 {
		t.Fatalf("stats: %+v", s)
	}
	vm.Flush(t)

	want := map[string][]sample{}
	for _, s := range decodeRequest(t, newEncoder().encode(results)) {
		want[s.name()] = s.samples
	}
	got := exportVM(t, vm.URL)
	if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
		t.Fatalf("VictoriaMetrics has series\n%v\nwant\n%v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	for name, w := range want {
		g := got[name]
		if len(g) != len(w) {
			t.Errorf("%s: %d samples, want %d", name, len(g), len(w))
			continue
		}
		for i := range w {
			// VictoriaMetrics keeps values as decimals: equal to the
			// nanosecond is what the reports need.
			if g[i].t != w[i].t || math.Round(g[i].v*1e9) != math.Round(w[i].v*1e9) {
				t.Errorf("%s: sample %d = %v, want %v", name, i, g[i], w[i])
				break
			}
		}
	}
}

// With VictoriaMetrics down the writer retries without end, buffers, and
// drops the oldest when full; once it is back, the rest arrives.
func TestVictoriaMetricsDownAndBack(t *testing.T) {
	vm := vmtest.Start(t)
	vm.Stop()
	var log syncBuffer
	w := newTestWriter(t, vm.WriteURL(), clock.Real{}, QueueConfig{Capacity: 30, MaxSamplesPerSend: 3, BatchSendDeadline: time.Millisecond,
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, RetryFor: time.Hour}, &log)
	startWriter(t, w)
	w.Observe(result(0))
	waitFor(t, "retries", func() bool { return w.Stats().SamplesRetried >= 9 })
	for i := 1; i <= 20; i++ {
		w.Observe(result(i))
	}
	s := w.Stats()
	if s.QueueSamples != 30 || s.SamplesDropped != 30 || s.SamplesSent != 0 || s.SamplesFailed != 0 || !s.LastSuccess.IsZero() {
		t.Fatalf("stats while down: %+v, want a full queue (30), 30 dropped", s)
	}
	if !strings.Contains(log.String(), "connection refused") {
		t.Errorf("the log does not say why:\n%s", log.String())
	}
	vm.Restart(t)
	waitFor(t, "the backlog to arrive", func() bool { return w.Stats().SamplesSent == 33 })
	if s := w.Stats(); s.QueueSamples != 0 || s.LastSuccess.IsZero() || s.SamplesFailed != 0 {
		t.Fatalf("stats after recovery: %+v", s)
	}
	vm.Flush(t)
	var starts []int64
	for _, smp := range exportVM(t, vm.URL)["__name__=vigil_probe_success,check=home,location=ams"] {
		starts = append(starts, smp.t)
	}
	want := []int64{ms(0)}
	for i := 11; i <= 20; i++ {
		want = append(want, ms(i))
	}
	if !slices.Equal(starts, want) {
		t.Fatalf("VictoriaMetrics has %v, want result 0 and 11 to 20", starts)
	}
}

// A 400 from VictoriaMetrics (here: a path it does not serve) fails the
// request at once, without a retry.
func TestVictoriaMetricsRefusalNotRetried(t *testing.T) {
	vm := vmtest.Start(t)
	var log syncBuffer
	w := newTestWriter(t, vm.URL+"/api/v1/nope", clock.NewFake(t0), QueueConfig{MaxSamplesPerSend: 3, RetryFor: time.Hour}, &log)
	startWriter(t, w)
	w.Observe(result(0))
	waitFor(t, "the refusal", func() bool { return w.Stats().SamplesFailed == 3 })
	if s := w.Stats(); s.SamplesRetried != 0 || s.SamplesSent != 0 {
		t.Fatalf("stats: %+v, want no retry", s)
	}
	if !strings.Contains(log.String(), "HTTP 400 Bad Request: unsupported path requested") {
		t.Errorf("the log lacks VictoriaMetrics' reason:\n%s", log.String())
	}
}

// exportVM reads every vigil series back through /api/v1/export, keyed
// as decodeRequest keys them.
func exportVM(t *testing.T, base string) map[string][]sample {
	t.Helper()
	q := url.Values{"match[]": {`{__name__=~"vigil_.+"}`}, "start": {"0"}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/export?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string][]sample{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var line struct {
			Metric     map[string]string `json:"metric"`
			Values     []float64         `json:"values"`
			Timestamps []int64           `json:"timestamps"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(line.Metric)) {
			parts = append(parts, k+"="+line.Metric[k])
		}
		name := strings.Join(parts, ",")
		for i, ts := range line.Timestamps {
			out[name] = append(out[name], sample{ts, line.Values[i]})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for name, s := range out {
		slices.SortFunc(s, bySampleTime)
		out[name] = s
	}
	return out
}
