package remotewrite

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang/snappy"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/vigilmon/vigil/probe"
)

// wireSeries is one TimeSeries as a receiver decodes it.
type wireSeries struct {
	labels  []string // name=value, in wire order
	samples []sample
}

// name is the series' labels joined, for maps and messages.
func (s wireSeries) name() string { return strings.Join(s.labels, ",") }

// decodeRequest decodes a snappy-compressed WriteRequest field by field,
// independently of the encoder, failing t on anything malformed.
func decodeRequest(t testing.TB, body []byte) []wireSeries {
	t.Helper()
	raw, err := snappy.Decode(nil, body)
	if err != nil {
		t.Fatalf("snappy: %v", err)
	}
	var out []wireSeries
	eachField(t, raw, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) {
		if num != 1 || typ != protowire.BytesType {
			t.Fatalf("WriteRequest field %d type %d, want timeseries (1, bytes)", num, typ)
		}
		var s wireSeries
		eachField(t, v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) {
			switch {
			case num == 1 && typ == protowire.BytesType:
				var name, value string
				eachField(t, v, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) {
					if num == 1 {
						name = string(v)
					} else {
						value = string(v)
					}
				})
				s.labels = append(s.labels, name+"="+value)
			case num == 2 && typ == protowire.BytesType:
				var smp sample
				eachField(t, v, func(num protowire.Number, typ protowire.Type, _ []byte, x uint64) {
					switch {
					case num == 1 && typ == protowire.Fixed64Type:
						smp.v = math.Float64frombits(x)
					case num == 2 && typ == protowire.VarintType:
						smp.t = int64(x)
					default:
						t.Fatalf("Sample field %d type %d", num, typ)
					}
				})
				s.samples = append(s.samples, smp)
			default:
				t.Fatalf("TimeSeries field %d type %d", num, typ)
			}
		})
		out = append(out, s)
	})
	return out
}

// eachField walks the fields of one message: bytes fields as v, numeric
// ones as x.
func eachField(t testing.TB, b []byte, fn func(protowire.Number, protowire.Type, []byte, uint64)) {
	t.Helper()
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		switch typ {
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				t.Fatalf("bad bytes: %v", protowire.ParseError(n))
			}
			fn(num, typ, v, 0)
			b = b[n:]
		case protowire.Fixed64Type:
			x, n := protowire.ConsumeFixed64(b)
			if n < 0 {
				t.Fatalf("bad fixed64: %v", protowire.ParseError(n))
			}
			fn(num, typ, nil, x)
			b = b[n:]
		case protowire.VarintType:
			x, n := protowire.ConsumeVarint(b)
			if n < 0 {
				t.Fatalf("bad varint: %v", protowire.ParseError(n))
			}
			fn(num, typ, nil, x)
			b = b[n:]
		default:
			t.Fatalf("unexpected wire type %d", typ)
		}
	}
}

var t0 = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)

func TestEncodeLayout(t *testing.T) {
	results := []probe.Result{
		{Check: "home", Location: "ams", Start: t0.Add(7*time.Second + 123*time.Millisecond), Duration: 1234567891 * time.Nanosecond,
			Interval: time.Minute, OK: true, Status: 200, Message: "not sent",
			Phases: &probe.Phases{DNS: time.Millisecond, Connect: 2 * time.Millisecond, TLS: 3 * time.Millisecond, TTFB: 400 * time.Millisecond, Transfer: 5 * time.Millisecond}},
		{Check: "home", Location: "ams", Start: t0.Add(67 * time.Second), Duration: 10 * time.Second,
			Interval: time.Minute, OK: false, Reason: probe.ReasonTimeout},
		{Check: "tcp", Location: "fra", Start: t0, Duration: 5 * time.Millisecond, Interval: 30 * time.Second, OK: false},
	}
	got := map[string][]sample{}
	for _, s := range decodeRequest(t, newEncoder().encode(results)) {
		if _, dup := got[s.name()]; dup {
			t.Errorf("series %s twice in one request", s.name())
		}
		if !slices.IsSorted(s.labels) {
			t.Errorf("labels not sorted: %v", s.labels)
		}
		got[s.name()] = s.samples
	}
	t1, t2, t3 := results[0].Start.UnixMilli(), results[1].Start.UnixMilli(), results[2].Start.UnixMilli()
	home := func(metric string, extra ...string) string {
		return strings.Join(append([]string{"__name__=" + metric, "check=home", "location=ams"}, extra...), ",")
	}
	want := map[string][]sample{
		home(MetricSuccess):                   {{t1, 1}, {t2, 0}},
		home(MetricDuration):                  {{t1, 1.234567891}, {t2, 10}},
		home(MetricInterval):                  {{t1, 60}, {t2, 60}},
		home(MetricStatus):                    {{t1, 200}},
		home(MetricFailure, "reason=timeout"): {{t2, 1}},
		home(MetricPhase, "phase=dns"):        {{t1, 0.001}},
		home(MetricPhase, "phase=connect"):    {{t1, 0.002}},
		home(MetricPhase, "phase=tls"):        {{t1, 0.003}},
		home(MetricPhase, "phase=ttfb"):       {{t1, 0.4}},
		home(MetricPhase, "phase=transfer"):   {{t1, 0.005}},
		// A failure without a reason has no failure series.
		"__name__=vigil_probe_success,check=tcp,location=fra":          {{t3, 0}},
		"__name__=vigil_probe_duration_seconds,check=tcp,location=fra": {{t3, 0.005}},
		"__name__=vigil_probe_interval_seconds,check=tcp,location=fra": {{t3, 30}},
	}
	if len(got) != len(want) {
		t.Errorf("%d series, want %d: %v", len(got), len(want), got)
	}
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("%s = %v, want %v", name, got[name], w)
		}
	}
	n := 0
	for i := range results {
		n += sampleCount(&results[i])
	}
	sent := 0
	for _, smp := range got {
		sent += len(smp)
	}
	if n != 9+4+3 || sent != n {
		t.Errorf("sampleCount total %d, %d sent, want 16 (9, 4 and 3)", n, sent)
	}
}

// A late result is sent in its series' time order, and the encoder's
// reused buffers carry nothing over from one request to the next.
func TestEncodeOrderAndReuse(t *testing.T) {
	e := newEncoder()
	late := probe.Result{Check: "home", Location: "ams", Start: t0, Interval: time.Minute, OK: true}
	next := late
	next.Start = t0.Add(time.Minute)
	first := decodeRequest(t, e.encode([]probe.Result{next, late}))
	for _, s := range first {
		if len(s.samples) != 2 || s.samples[0].t != t0.UnixMilli() || s.samples[1].t != t0.Add(time.Minute).UnixMilli() {
			t.Errorf("%s: samples %v not in time order", s.name(), s.samples)
		}
	}
	other := probe.Result{Check: "dns", Location: "fra", Start: t0, Interval: time.Minute, OK: true}
	second := decodeRequest(t, e.encode([]probe.Result{other}))
	if len(second) != 3 {
		t.Fatalf("second request has %d series, want 3", len(second))
	}
	for _, s := range second {
		if !strings.Contains(s.name(), "check=dns") || len(s.samples) != 1 {
			t.Errorf("second request carries %s %v", s.name(), s.samples)
		}
	}
}
