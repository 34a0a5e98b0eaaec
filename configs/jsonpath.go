package configs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// PathElem is one step of a JSON path: an object key, or an array index
// when IsIndex is set.
type PathElem struct {
	Key     string
	Index   int
	IsIndex bool
}

// String writes the step as it appears in a path: ".key", "[0]" or
// `["odd key"]` for keys that are not plain names.
func (e PathElem) String() string {
	switch {
	case e.IsIndex:
		return "[" + strconv.Itoa(e.Index) + "]"
	case plainKey(e.Key):
		return "." + e.Key
	}
	return "[" + strconv.Quote(e.Key) + "]"
}

// ParseJSONPath parses the small JSON path dialect used by expect.json:
// "$" is the whole document, followed by any number of ".name" (letters,
// digits, _ and -), "[index]" (0-based) and ["any key"] steps, e.g.
// "$.data.items[0].name" or `$.labels["app.kubernetes.io/name"]`.
// Wildcards, slices and filters are not supported.
func ParseJSONPath(s string) ([]PathElem, error) {
	if !strings.HasPrefix(s, "$") {
		return nil, errors.New(`a JSON path starts with "$", e.g. $.status or $.items[0].name`)
	}
	path := []PathElem{}
	for i := 1; i < len(s); {
		switch s[i] {
		case '.':
			j := i + 1
			for j < len(s) && isNameByte(s[j]) {
				j++
			}
			if j == i+1 {
				return nil, fmt.Errorf("expected a name after the dot at position %d; for other keys write [\"key\"]", i+1)
			}
			path = append(path, PathElem{Key: s[i+1 : j]})
			i = j
		case '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("missing ] for the [ at position %d", i+1)
			}
			inner := s[i+1 : i+end]
			if strings.HasPrefix(inner, `"`) {
				end = closingQuote(s, i+1)
				if end < 0 || end+1 >= len(s) || s[end+1] != ']' {
					return nil, fmt.Errorf(`unterminated quoted key at position %d; write ["key"]`, i+2)
				}
				key, err := strconv.Unquote(s[i+1 : end+1])
				if err != nil {
					return nil, fmt.Errorf("bad quoted key at position %d: %w", i+2, err)
				}
				path = append(path, PathElem{Key: key})
				i = end + 2
				continue
			}
			n, err := strconv.Atoi(inner)
			if err != nil || n < 0 || strings.HasPrefix(inner, "+") {
				return nil, fmt.Errorf(`[%s] at position %d is not an array index; write [0], [1], ... or ["key"]`, inner, i+1)
			}
			path = append(path, PathElem{Index: n, IsIndex: true})
			i += end + 1
		default:
			return nil, fmt.Errorf("unexpected %q at position %d; separate steps with . or [ ]", s[i], i+1)
		}
	}
	return path, nil
}

// LookupJSON follows path through a document decoded by encoding/json
// (map[string]any, []any, and scalars) and returns the value it reaches.
func LookupJSON(doc any, path []PathElem) (any, bool) {
	for _, e := range path {
		if e.IsIndex {
			arr, ok := doc.([]any)
			if !ok || e.Index >= len(arr) {
				return nil, false
			}
			doc = arr[e.Index]
			continue
		}
		obj, ok := doc.(map[string]any)
		if !ok {
			return nil, false
		}
		if doc, ok = obj[e.Key]; !ok {
			return nil, false
		}
	}
	return doc, true
}

// closingQuote returns the index of the quote that closes the one at
// s[open], honouring backslash escapes, or -1.
func closingQuote(s string, open int) int {
	for i := open + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// isNameByte reports whether b may appear in a .name step.
func isNameByte(b byte) bool {
	return b == '_' || b == '-' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// plainKey reports whether k can be written as a .name step.
func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !isNameByte(k[i]) {
			return false
		}
	}
	return true
}
