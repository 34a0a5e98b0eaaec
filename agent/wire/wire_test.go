package wire

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

var start = time.Date(2026, 10, 6, 22, 0, 1, 234_000_000, time.UTC)

// sampleResults covers every field the record carries.
func sampleResults() []probe.Result {
	return []probe.Result{
		{Check: "home", Location: "ams", Start: start, Duration: 83 * time.Millisecond, Interval: time.Minute, OK: true,
			Status: 200, Phases: &probe.Phases{DNS: 1, Connect: 2 * time.Millisecond, TLS: 3 * time.Millisecond, TTFB: 70 * time.Millisecond, Transfer: 7 * time.Millisecond}},
		{Check: "login", Location: "ams", Start: start.Add(time.Second), Duration: 10 * time.Second, Interval: 30 * time.Second,
			Reason: probe.ReasonTimeout, Message: "no answer within 10s"},
		{Check: "screen", Location: "fra", Start: start.Add(-time.Hour), Duration: 1500 * time.Millisecond, Interval: time.Minute,
			Reason: probe.ReasonStatus, Message: "step open: status 503", Status: 503,
			Steps: []probe.Step{
				{Name: "login", Duration: 300 * time.Millisecond, OK: true, Status: 200},
				{Name: "open", Duration: 1200 * time.Millisecond, Status: 503, Measured: true, Message: "status 503, expected 200"},
			}},
		{Check: "dns", Location: "nyc", Start: time.UnixMilli(-5).UTC(), Interval: time.Second, OK: true},
	}
}

func TestRecordRoundTrip(t *testing.T) {
	for _, want := range sampleResults() {
		got, err := DecodeResult(AppendResult(nil, &want))
		if err != nil {
			t.Fatalf("%s: %v", want.Check, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s read back as\n%+v\nwant\n%+v", want.Check, got, want)
		}
	}
}

func TestRecordDropsWhatTheServerCannotUse(t *testing.T) {
	r := probe.Result{Check: "b", Location: "ams", Start: start.Add(123456 * time.Nanosecond), Interval: time.Minute,
		Screenshot: "b-1.png", Message: strings.Repeat("é", MaxMessageBytes)} // 2 bytes each
	got, err := DecodeResult(AppendResult(nil, &r))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Start.Equal(start) {
		t.Errorf("start %v, want it cut to the millisecond: %v", got.Start, start)
	}
	if got.Screenshot != "" {
		t.Errorf("screenshot %q travelled; the PNG stays on the agent", got.Screenshot)
	}
	if len(got.Message) != MaxMessageBytes || !strings.HasPrefix(r.Message, got.Message) {
		t.Errorf("message of %d bytes, want the first %d bytes of whole characters", len(got.Message), MaxMessageBytes)
	}
}

func TestDecodeResultRefusesDamage(t *testing.T) {
	r := sampleResults()[2]
	rec := AppendResult(nil, &r)
	for name, b := range map[string][]byte{
		"empty":         nil,
		"cut short":     rec[:len(rec)-3],
		"trailing":      append(append([]byte(nil), rec...), 0),
		"other version": append([]byte{9}, rec[1:]...),
		"huge string":   {recordVersion, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
	} {
		if _, err := DecodeResult(b); !errors.Is(err, ErrRecord) {
			t.Errorf("%s: err = %v, want ErrRecord", name, err)
		}
	}
}

func TestBodyRoundTrip(t *testing.T) {
	want := sampleResults()
	var recs [][]byte
	for i := range want {
		recs = append(recs, AppendResult(nil, &want[i]))
	}
	got, err := DecodeBody(AppendBody(nil, recs))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body read back as %+v, want %+v", got, want)
	}
	body := AppendBody(nil, recs)
	for name, b := range map[string][]byte{
		"no magic":  body[4:],
		"cut short": body[:len(body)-1],
		"bad inner": append(AppendBody(nil, nil), 2, 9, 9),
	} {
		if _, err := DecodeBody(b); !errors.Is(err, ErrBody) {
			t.Errorf("%s: err = %v, want ErrBody", name, err)
		}
	}
	if got, err := DecodeBody(AppendBody(nil, nil)); err != nil || len(got) != 0 {
		t.Errorf("empty batch: %v, %v", got, err)
	}
}

func TestBatchID(t *testing.T) {
	id := BatchID{Spool: "0123456789abcdef", First: 1001, Count: 500}
	if s := id.String(); s != "0123456789abcdef:1001+500" {
		t.Fatalf("String() = %q", s)
	}
	if got, err := ParseBatchID(id.String()); err != nil || got != id || got.Last() != 1500 {
		t.Fatalf("ParseBatchID = %+v, %v", got, err)
	}
	for _, bad := range []string{"", "0123456789abcdef", "0123456789ABCDEF:1+1", "0123456789abcde:1+1",
		"0123456789abcdef:0+1", "0123456789abcdef:1+0", "0123456789abcdef:1", "0123456789abcdef:x+1",
		"0123456789abcdef:1+20001", "0123456789abcdef:18446744073709551615+2"} {
		if _, err := ParseBatchID(bad); err == nil {
			t.Errorf("ParseBatchID(%q) accepted", bad)
		}
	}
}

func FuzzDecodeResult(f *testing.F) {
	for _, r := range sampleResults() {
		f.Add(AppendResult(nil, &r))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeResult(b)
		if err != nil {
			return
		}
		// Whatever decodes must encode back to a record that decodes the same.
		again, err := DecodeResult(AppendResult(nil, &r))
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("re-encoded %+v reads back as %+v, %v", r, again, err)
		}
	})
}
