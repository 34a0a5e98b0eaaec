package configs

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// envIssue is one ${...} that could not be expanded, at a byte offset of
// the scalar's value.
type envIssue struct {
	offset  int
	message string
}

// expandEnv replaces ${NAME} and ${NAME:-default} in s with values from
// lookup. As in the shell, the default also applies when NAME is set but
// empty. "$$" is a literal "$"; a "$" followed by anything else is kept as
// is, so regular expressions such as "ok$" need no escaping.
func expandEnv(s string, lookup func(string) (string, bool)) (string, []envIssue) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	var issues []envIssue
	for i := 0; i < len(s); {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			i++
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i += 2
		case '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				issues = append(issues, envIssue{i, "unterminated ${: close it with } or write $$ for a literal dollar"})
				b.WriteString(s[i:])
				i = len(s)
				continue
			}
			expr := s[i+2 : i+2+end]
			v, issue := lookupEnv(expr, lookup)
			if issue != "" {
				issues = append(issues, envIssue{i, issue})
			}
			b.WriteString(v)
			i += 2 + end + 1
		default:
			b.WriteByte('$')
			i++
		}
	}
	return b.String(), issues
}

// lookupEnv resolves the inside of one ${...}.
func lookupEnv(expr string, lookup func(string) (string, bool)) (value, issue string) {
	name, def, hasDef := strings.Cut(expr, ":-")
	if !validEnvName(name) {
		return "", fmt.Sprintf("invalid environment variable name %q in ${%s}: use letters, digits and _, e.g. ${API_TOKEN} or ${API_TOKEN:-changeme}", name, expr)
	}
	v, ok := lookup(name)
	switch {
	case ok && (v != "" || !hasDef):
		return v, ""
	case hasDef:
		return def, ""
	}
	return "", fmt.Sprintf("environment variable %s is not set; export it or write ${%s:-default}", name, name)
}

// validEnvName reports whether s is a portable variable name.
func validEnvName(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// expandTree expands every scalar value (not mapping keys) under n in
// place. It returns the original text of each scalar it changed, so that
// messages can show "${TOKEN}" rather than the secret, and reports
// unexpandable references through add. Aliases are not followed: their
// anchor is expanded where it is defined, exactly once.
func expandTree(n *yaml.Node, lookup func(string) (string, bool), add func(line int, msg string)) map[*yaml.Node]string {
	changed := map[*yaml.Node]string{}
	var walk func(n *yaml.Node, isKey bool)
	walk = func(n *yaml.Node, isKey bool) {
		switch n.Kind {
		case yaml.ScalarNode:
			if isKey {
				return
			}
			v, issues := expandEnv(n.Value, lookup)
			for _, is := range issues {
				add(scalarLine(n, is.offset), is.message)
			}
			if v == n.Value {
				return
			}
			changed[n] = n.Value
			n.Value = v
			if n.Style&(yaml.TaggedStyle|yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
				// A plain scalar is typed by its final text: ${PORT:-443}
				// is a number, ${VERIFY:-true} a boolean.
				n.Tag = ""
			}
		case yaml.MappingNode:
			for i, c := range n.Content {
				walk(c, i%2 == 0)
			}
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, false)
			}
		}
	}
	walk(n, false)
	return changed
}

// scalarLine is the line of a byte offset inside a scalar's value; only
// literal blocks (|) keep their line breaks exactly.
func scalarLine(n *yaml.Node, offset int) int {
	if n.Style&yaml.LiteralStyle != 0 {
		return n.Line + 1 + strings.Count(n.Value[:offset], "\n")
	}
	return n.Line
}
