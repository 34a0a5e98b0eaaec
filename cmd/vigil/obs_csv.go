package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vigilmon/vigil/sla"
)

// obsHeader is the header OBS.csv must start with, exactly.
var obsHeader = []string{"start", "check", "location", "ok", "duration_ms", "reason", "interval_ms"}

// obsReader reads the observations of an OBS.csv file one row at a time.
// A row that does not parse is an error naming the file, the line and
// what is wrong: never a silently wrong number.
type obsReader struct {
	name   string // the file, for errors
	r      *csv.Reader
	checks map[string]bool // the checks the config defines
}

// newObsReader checks the header and returns a reader for the rows.
func newObsReader(name string, rd io.Reader, checks map[string]bool) (*obsReader, error) {
	r := csv.NewReader(rd)
	r.ReuseRecord = true
	head, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s is empty: it needs the header %s", name, strings.Join(obsHeader, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if strings.Join(head, ",") != strings.Join(obsHeader, ",") {
		return nil, fmt.Errorf("%s line 1: header is %q: it must be exactly %s", name, strings.Join(head, ","), strings.Join(obsHeader, ","))
	}
	r.FieldsPerRecord = len(obsHeader)
	return &obsReader{name: name, r: r, checks: checks}, nil
}

// next returns the next observation and its line; io.EOF after the last.
func (o *obsReader) next() (sla.Observation, int, error) {
	rec, err := o.r.Read()
	if errors.Is(err, io.EOF) {
		return sla.Observation{}, 0, io.EOF
	}
	if err != nil {
		return sla.Observation{}, 0, fmt.Errorf("%s: %w", o.name, err)
	}
	line, _ := o.r.FieldPos(0)
	obs, err := o.parse(rec)
	if err != nil {
		return sla.Observation{}, line, fmt.Errorf("%s line %d: %w", o.name, line, err)
	}
	return obs, line, nil
}

// parse reads one row: start,check,location,ok,duration_ms,reason,interval_ms.
func (o *obsReader) parse(rec []string) (sla.Observation, error) {
	start, err := parseStart(rec[0])
	if err != nil {
		return sla.Observation{}, err
	}
	obs := sla.Observation{StartMS: start, Check: rec[1], Location: rec[2], Reason: rec[5]}
	switch {
	case obs.Check == "":
		return obs, errors.New("check is empty")
	case !o.checks[obs.Check]:
		return obs, fmt.Errorf("check %q is not in the config: fix the name or use the config the observations were made with", obs.Check)
	case obs.Location == "":
		return obs, errors.New("location is empty")
	}
	switch rec[3] {
	case "true":
		obs.OK = true
	case "false":
	default:
		return obs, fmt.Errorf("ok is %q: write true or false", rec[3])
	}
	if obs.OK && obs.Reason != "" {
		return obs, fmt.Errorf("ok is true but reason is %q: an ok observation has an empty reason", obs.Reason)
	}
	if obs.DurationMS, err = strconv.ParseInt(rec[4], 10, 64); err != nil || obs.DurationMS < 0 {
		return obs, fmt.Errorf("duration_ms is %q: write whole milliseconds, 0 or more", rec[4])
	}
	if obs.IntervalMS, err = strconv.ParseInt(rec[6], 10, 64); err != nil || obs.IntervalMS <= 0 {
		return obs, fmt.Errorf("interval_ms is %q: write the check's interval in whole milliseconds, more than 0", rec[6])
	}
	return obs, nil
}

// parseStart reads a start as epoch milliseconds or RFC 3339 (any offset;
// below a millisecond is cut off, as the store does).
func parseStart(s string) (int64, error) {
	if allDigits(s) {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("start %q: epoch milliseconds out of range", s)
		}
		return ms, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, fmt.Errorf("start %q: write RFC 3339 UTC such as 2026-10-01T00:00:00Z, or epoch milliseconds", s)
	}
	return t.UnixMilli(), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
