package configs

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestParseJSONPath(t *testing.T) {
	key := func(k string) PathElem { return PathElem{Key: k} }
	idx := func(i int) PathElem { return PathElem{Index: i, IsIndex: true} }
	tests := []struct {
		in   string
		want []PathElem
		err  string
	}{
		{in: "$", want: []PathElem{}},
		{in: "$.ok", want: []PathElem{key("ok")}},
		{in: "$.a.b[0].c", want: []PathElem{key("a"), key("b"), idx(0), key("c")}},
		{in: "$.items[12]", want: []PathElem{key("items"), idx(12)}},
		{in: "$[0][1]", want: []PathElem{idx(0), idx(1)}},
		{in: "$.rate-limit.remaining_2", want: []PathElem{key("rate-limit"), key("remaining_2")}},
		{in: `$.labels["app.kubernetes.io/name"]`, want: []PathElem{key("labels"), key("app.kubernetes.io/name")}},
		{in: `$["a]b"].c`, want: []PathElem{key("a]b"), key("c")}},
		{in: `$["say \"hi\""]`, want: []PathElem{key(`say "hi"`)}},
		{in: "ok", err: `a JSON path starts with "$", e.g. $.status or $.items[0].name`},
		{in: "$.", err: `expected a name after the dot at position 2; for other keys write ["key"]`},
		{in: "$..a", err: `expected a name after the dot at position 2; for other keys write ["key"]`},
		{in: "$.a[", err: "missing ] for the [ at position 4"},
		{in: "$.a[-1]", err: `[-1] at position 4 is not an array index; write [0], [1], ... or ["key"]`},
		{in: "$.a[*]", err: `[*] at position 4 is not an array index; write [0], [1], ... or ["key"]`},
		{in: `$["a]`, err: `unterminated quoted key at position 3; write ["key"]`},
		{in: "$.a b", err: `unexpected ' ' at position 4; separate steps with . or [ ]`},
		{in: "$a", err: `unexpected 'a' at position 2; separate steps with . or [ ]`},
	}
	for _, tt := range tests {
		got, err := ParseJSONPath(tt.in)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("ParseJSONPath(%q) error = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("ParseJSONPath(%q): %v", tt.in, err)
		case tt.err == "" && !reflect.DeepEqual(got, tt.want):
			t.Errorf("ParseJSONPath(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestPathElemStringRoundTrip(t *testing.T) {
	for _, in := range []string{"$.a.b[0].c", `$.labels["app.kubernetes.io/name"]`, `$[""]`, "$[3]"} {
		path, err := ParseJSONPath(in)
		if err != nil {
			t.Fatal(err)
		}
		s := "$"
		for _, e := range path {
			s += e.String()
		}
		if s != in {
			t.Errorf("%q printed back as %q", in, s)
		}
	}
}

func TestLookupJSON(t *testing.T) {
	var doc any
	body := `{"ok": true, "token": "abc", "items": [{"name": "x"}, {"name": "y", "n": 2}], "a.b": 1}`
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path  string
		want  any
		found bool
	}{
		{"$.ok", true, true},
		{"$.token", "abc", true},
		{"$.items[1].name", "y", true},
		{"$.items[1].n", 2.0, true},
		{`$["a.b"]`, 1.0, true},
		{"$.items[2]", nil, false},
		{"$.missing", nil, false},
		{"$.ok.deeper", nil, false},
		{"$.items.name", nil, false},
		{"$[0]", nil, false},
	}
	for _, tt := range tests {
		path, err := ParseJSONPath(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		got, found := LookupJSON(doc, path)
		if found != tt.found || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("LookupJSON(%s) = %v, %v; want %v, %v", tt.path, got, found, tt.want, tt.found)
		}
	}
	if got, ok := LookupJSON(doc, []PathElem{}); !ok || !reflect.DeepEqual(got, doc) {
		t.Errorf("the empty path should return the whole document")
	}
}
