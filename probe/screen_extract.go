package probe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"

	"github.com/vigilmon/vigil/configs"
)

// extractor takes one named value from a step's response; exactly one of
// its sources is set (see configs.Extract).
type extractor struct {
	name     string
	jsonPath string // as written, for messages
	json     []configs.PathElem
	regex    *regexp.Regexp
	header   string
	cookie   string
}

// compileExtractors compiles a step's extract mapping, in name order so
// that failures are reported the same way every run.
func compileExtractors(m map[string]configs.Extract) ([]extractor, error) {
	var out []extractor
	for _, name := range slices.Sorted(maps.Keys(m)) {
		e := m[name]
		x := extractor{name: name, header: e.Header, cookie: e.Cookie}
		switch {
		case e.JSON != "":
			elem, err := configs.ParseJSONPath(e.JSON)
			if err != nil {
				return nil, fmt.Errorf("extract %s: json path %q: %w", name, e.JSON, err)
			}
			x.jsonPath, x.json = e.JSON, elem
		case e.Regex != "":
			re, err := regexp.Compile(e.Regex)
			if err != nil {
				return nil, fmt.Errorf("extract %s: compile regex: %w", name, err)
			}
			x.regex = re
		case e.Header == "" && e.Cookie == "":
			return nil, fmt.Errorf("extract %s: no json, regex, header or cookie", name)
		}
		out = append(out, x)
	}
	return out, nil
}

// needsBody reports whether the extractor reads the response body.
func (x *extractor) needsBody() bool { return x.json != nil || x.regex != nil }

// extraction is one response being extracted from; the body is decoded
// as JSON at most once, however many values a step takes from it.
type extraction struct {
	resp    *httpResponse
	jar     http.CookieJar
	doc     any
	decoded bool
	err     error
}

// from returns x's value in the response.
func (x *extractor) from(e *extraction) (string, error) {
	switch {
	case x.json != nil:
		return x.fromJSON(e)
	case x.regex != nil:
		return x.fromRegex(e)
	case x.header != "":
		for _, v := range e.resp.header.Values(x.header) {
			if v != "" {
				return v, nil
			}
		}
		return "", fmt.Errorf("no header %s in the response", x.header)
	}
	return x.fromCookie(e)
}

// fromJSON looks the path up in the decoded body. A string is taken as
// is; numbers (exactly as written), booleans, arrays and objects as their
// JSON text; null counts as missing.
func (x *extractor) fromJSON(e *extraction) (string, error) {
	if !e.decoded {
		e.decoded = true
		dec := json.NewDecoder(bytes.NewReader(e.resp.body.Bytes()))
		dec.UseNumber()
		e.err = dec.Decode(&e.doc)
	}
	if e.err != nil {
		return "", fmt.Errorf("body is not JSON: %v", e.err)
	}
	v, ok := configs.LookupJSON(e.doc, x.json)
	switch t := v.(type) {
	case string:
		return t, nil
	case json.Number:
		return t.String(), nil
	case nil:
		if ok {
			return "", fmt.Errorf("json %s is null", x.jsonPath)
		}
		return "", fmt.Errorf("json %s is missing", x.jsonPath)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("json %s: %v", x.jsonPath, err)
	}
	return string(b), nil
}

// fromRegex takes the first capture group of the first match, or the
// whole match when the expression has no group.
func (x *extractor) fromRegex(e *extraction) (string, error) {
	m := x.regex.FindSubmatch(e.resp.body.Bytes())
	switch {
	case m == nil:
		return "", fmt.Errorf("body does not match %q", x.regex.String())
	case len(m) > 1:
		return string(m[1]), nil
	}
	return string(m[0]), nil
}

// fromCookie takes the cookie from the final response's Set-Cookie, else
// from the session's jar for the final URL (a cookie set by a redirect
// on the way, such as a login that answers 302). An empty value, which is
// how servers delete a cookie, counts as not set.
func (x *extractor) fromCookie(e *extraction) (string, error) {
	for _, c := range (&http.Response{Header: e.resp.header}).Cookies() {
		if c.Name == x.cookie && c.Value != "" {
			return c.Value, nil
		}
	}
	if e.jar != nil && e.resp.url != nil {
		for _, c := range e.jar.Cookies(e.resp.url) {
			if c.Name == x.cookie && c.Value != "" {
				return c.Value, nil
			}
		}
	}
	return "", fmt.Errorf("cookie %s is not set", x.cookie)
}
