package remoteread

import (
	"encoding/json"
	"math"
	"testing"
)

func TestParseMillis(t *testing.T) {
	for in, want := range map[string]int64{
		"1700000000":          1700000000000,
		"1700000000.1":        1700000000100,
		"1700000000.12":       1700000000120,
		"1700000000.123":      1700000000123,
		"1700000000.1229999":  1700000000123, // float noise rounds to the millisecond
		"1700000000.1234":     1700000000123,
		"1700000000.9995":     1700000001000,
		"0.001":               1,
		"-1.5":                -1500,
		"1.7000000001234e+09": 1700000000123,
	} {
		got, err := parseMillis(in)
		if err != nil || got != want {
			t.Errorf("parseMillis(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", ".5", "1.2.3", "1.x", "1.123x", "abc", "NaN", "1e400"} {
		if _, err := parseMillis(in); err == nil {
			t.Errorf("parseMillis(%q) accepted", in)
		}
	}
}

func TestFormatSeconds(t *testing.T) {
	for ms, want := range map[int64]string{1700000000123: "1700000000.123", 5: "0.005", 1000: "1.000", -1500: "-1.500"} {
		if got := formatSeconds(ms); got != want {
			t.Errorf("formatSeconds(%d) = %s, want %s", ms, got, want)
		}
		if back, err := parseMillis(formatSeconds(ms)); err != nil || back != ms {
			t.Errorf("round trip of %d: %d %v", ms, back, err)
		}
	}
}

func TestPairJSON(t *testing.T) {
	var ps []pair
	if err := json.Unmarshal([]byte(`[[1700000000.5,"1"], [ 1700000060 , "0.123456789" ],[1700000120.001,"NaN"],[1700000180,"+Inf"]]`), &ps); err != nil {
		t.Fatal(err)
	}
	if len(ps) != 4 || ps[0] != (pair{1700000000500, 1}) || ps[1] != (pair{1700000060000, 0.123456789}) ||
		ps[2].t != 1700000120001 || !math.IsNaN(ps[2].v) || !math.IsInf(ps[3].v, 1) {
		t.Fatalf("decoded %v", ps)
	}
	for _, bad := range []string{`[[1,2]]`, `[[1]]`, `[["1","2"]]`, `[[1,"x"]]`, `[{"t":1}]`} {
		if err := json.Unmarshal([]byte(bad), &ps); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
