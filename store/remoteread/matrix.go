package remoteread

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// queryResponse is the Prometheus HTTP API's answer to /api/v1/query.
type queryResponse struct {
	Status    string   `json:"status"`
	ErrorType string   `json:"errorType"`
	Error     string   `json:"error"`
	Warnings  []string `json:"warnings"`
	// IsPartial is VictoriaMetrics cluster's flag for an answer missing
	// some storage nodes.
	IsPartial bool `json:"isPartial"`
	Data      struct {
		ResultType string         `json:"resultType"`
		Result     []matrixSeries `json:"result"`
	} `json:"data"`
}

// matrixSeries is one series of a matrix result.
type matrixSeries struct {
	Metric map[string]string `json:"metric"`
	Values []pair            `json:"values"`
}

// pair is one raw sample, [<seconds>, "<value>"] on the wire.
type pair struct {
	t int64 // ms
	v float64
}

// UnmarshalJSON reads [1700000000.123, "0.25"]. It parses the timestamp's
// digits itself: through a float64 a millisecond could round away.
func (p *pair) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return fmt.Errorf("sample %.40q is not [time, \"value\"]", b)
	}
	ts, val, ok := bytes.Cut(b[1:len(b)-1], []byte{','})
	val = bytes.TrimSpace(val)
	if !ok || len(val) < 2 || val[0] != '"' || val[len(val)-1] != '"' {
		return fmt.Errorf("sample %.40q is not [time, \"value\"]", b)
	}
	t, err := parseMillis(string(bytes.TrimSpace(ts)))
	if err != nil {
		return err
	}
	v, err := strconv.ParseFloat(string(val[1:len(val)-1]), 64)
	if err != nil {
		return fmt.Errorf("sample value %s: %w", val, err)
	}
	p.t, p.v = t, v
	return nil
}

// parseMillis turns Unix seconds written in decimal ("1700000000.123",
// "1700000000.5", "1700000000") into milliseconds, rounding any digits
// past the third half up.
func parseMillis(s string) (int64, error) {
	bad := fmt.Errorf("sample time %q is not Unix seconds", s)
	if strings.ContainsAny(s, "eE") { // exponent notation: no backend writes it, but it is valid JSON
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.Abs(f) > 9e15 {
			return 0, bad
		}
		return int64(math.Round(f * 1000)), nil
	}
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || whole == "" || sec > math.MaxInt64/1000-1 {
		return 0, bad
	}
	var ms int64
	for i := range 3 {
		ms *= 10
		if i < len(frac) {
			d := frac[i]
			if d < '0' || d > '9' {
				return 0, bad
			}
			ms += int64(d - '0')
		}
	}
	if len(frac) > 3 {
		if strings.Trim(frac[3:], "0123456789") != "" {
			return 0, bad
		}
		if frac[3] >= '5' {
			ms++
		}
	}
	t := sec*1000 + ms
	if neg {
		t = -t
	}
	return t, nil
}

// errNotMatrix is returned for an answer that is not raw samples.
var errNotMatrix = errors.New("the backend did not answer with raw samples (resultType matrix); is the URL the base of a Prometheus-compatible query API?")
