package probe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/vigilmon/vigil/configs"
)

// httpExpect is configs.HTTPExpect compiled once, in New.
type httpExpect struct {
	status      []int // empty: any 2xx
	contains    []byte
	regex       *regexp.Regexp
	json        []jsonExpect // sorted by path, so messages are stable
	maxDuration time.Duration
}

// jsonExpect is one "$.path: value" expectation.
type jsonExpect struct {
	path string
	elem []configs.PathElem
	want any // normalised as encoding/json decodes: float64, bool, string, nil, []any, map[string]any
}

// compileExpect parses paths, compiles the regex and normalises expected
// JSON values.
func compileExpect(e configs.HTTPExpect) (httpExpect, error) {
	x := httpExpect{
		status:      slices.Clone(e.Status),
		maxDuration: e.MaxDuration.D(),
	}
	if e.BodyContains != "" {
		x.contains = []byte(e.BodyContains)
	}
	if e.BodyRegex != "" {
		re, err := regexp.Compile(e.BodyRegex)
		if err != nil {
			return x, fmt.Errorf("compile body_regex: %w", err)
		}
		x.regex = re
	}
	for path, want := range e.JSON {
		elem, err := configs.ParseJSONPath(path)
		if err != nil {
			return x, fmt.Errorf("json path %q: %w", path, err)
		}
		norm, err := normaliseJSON(want)
		if err != nil {
			return x, fmt.Errorf("expected value of json path %q: %w", path, err)
		}
		x.json = append(x.json, jsonExpect{path: path, elem: elem, want: norm})
	}
	sort.Slice(x.json, func(i, j int) bool { return x.json[i].path < x.json[j].path })
	return x, nil
}

// normaliseJSON turns a value decoded from YAML into what encoding/json
// would decode from the same JSON, so that 200 (int) equals 200 (float64).
func normaliseJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// needsBody reports whether judging needs the body's bytes; otherwise the
// body is only counted.
func (x *httpExpect) needsBody() bool {
	return x.contains != nil || x.regex != nil || len(x.json) > 0
}

// statusOK reports whether code is expected.
func (x *httpExpect) statusOK(code int) bool {
	if len(x.status) == 0 {
		return code >= 200 && code <= 299
	}
	return slices.Contains(x.status, code)
}

// statusWanted describes the expected statuses for messages.
func (x *httpExpect) statusWanted() string {
	if len(x.status) == 0 {
		return "2xx"
	}
	return fmt.Sprintf("one of %v", x.status)
}

// judgeBody checks the body expectations in order (contains, regex, json)
// and marks r failed with ReasonAssertion at the first that does not hold.
func (x *httpExpect) judgeBody(r *Result, body []byte) {
	if x.contains != nil && !bytes.Contains(body, x.contains) {
		setFailuref(r, ReasonAssertion, "body does not contain %q", x.contains)
		return
	}
	if x.regex != nil && !x.regex.Match(body) {
		setFailuref(r, ReasonAssertion, "body does not match %q", x.regex.String())
		return
	}
	if len(x.json) == 0 {
		return
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		setFailuref(r, ReasonAssertion, "body is not JSON: %v", err)
		return
	}
	for _, j := range x.json {
		got, ok := configs.LookupJSON(doc, j.elem)
		if !ok {
			setFailuref(r, ReasonAssertion, "json %s is missing, expected %s", j.path, jsonText(j.want))
			return
		}
		if !reflect.DeepEqual(got, j.want) {
			setFailuref(r, ReasonAssertion, "json %s is %s, expected %s", j.path, jsonText(got), jsonText(j.want))
			return
		}
	}
}

// jsonText renders a value for a message, shortened if long.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const limit = 80
	if len(b) > limit {
		return string(b[:limit]) + "…"
	}
	return string(b)
}
