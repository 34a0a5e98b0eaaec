package configs

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Decoder messages, as yaml.v3 spells them inside a TypeError.
var (
	reLinePrefix = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	reUnknownKey = regexp.MustCompile(`^field (.+) not found in type (\S+)$`)
	reDupKey     = regexp.MustCompile(`^mapping key (".*") already defined at line (\d+)$`)
	reWrongType  = regexp.MustCompile("^cannot unmarshal (!![a-z]+)(?: `.*`)? into (.+)$")
	reBackquoted = regexp.MustCompile("`[^`]*`")
)

// splitLine splits "line N: message" (with or without a "yaml: " prefix)
// into N and the message; N is 0 when there is no line.
func splitLine(s string) (int, string) {
	m := reLinePrefix.FindStringSubmatch(s)
	if m == nil {
		return 0, strings.TrimPrefix(s, "yaml: ")
	}
	n, _ := strconv.Atoi(m[1])
	return n, m[2]
}

// addSyntaxError reports a document that is not YAML at all.
func addSyntaxError(c *collector, data []byte, err error) {
	c.fatal = true
	line, msg := splitLine(err.Error())
	hint := "check the indentation and quoting on this line or the one before"
	if lines := bytes.Split(data, []byte("\n")); line > 0 && line <= len(lines) && bytes.ContainsRune(lines[line-1], '\t') {
		hint = "YAML indents with spaces: replace the tabs on this line"
	}
	c.addLine(line, "invalid YAML: %s; %s", msg, hint)
}

// addUnknownKeys decodes the original bytes strictly into a fresh value of
// root's type and reports every key the schema does not know. Values are
// not looked at here: they may still hold ${...} references.
func addUnknownKeys(c *collector, data []byte, root reflect.Type) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var te *yaml.TypeError
	if err := dec.Decode(reflect.New(deref(root)).Interface()); !errors.As(err, &te) {
		return // nil, or a syntax error reported already
	}
	secs := sections(root)
	for _, e := range te.Errors {
		line, msg := splitLine(e)
		m := reUnknownKey.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		if parent, ok := c.idx.parent[lineKey{line, m[1]}]; ok {
			c.unknownIn[parent] = true
		}
		sec, ok := secs[m[2]]
		if !ok {
			c.addLine(line, "unknown key %q; remove it or check its spelling", m[1])
			continue
		}
		c.addLine(line, "unknown key %q %s; valid keys are: %s", m[1], sec.where, strings.Join(yamlKeys(sec.typ), ", "))
	}
}

// addDecodeErrors turns the errors of decoding the expanded document into
// problems. Values that came from the environment are shown as their
// ${...} text, never expanded.
func addDecodeErrors(c *collector, err error, fromEnv map[*yaml.Node]string) {
	if err == nil {
		return
	}
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		// Not a per-value error: drop any quoted value it may carry.
		c.fatal = true
		line, msg := splitLine(err.Error())
		c.addLine(line, "%s", reBackquoted.ReplaceAllString(msg, "a value"))
		return
	}
	for _, e := range te.Errors {
		line, msg := splitLine(e)
		if m := reDupKey.FindStringSubmatch(msg); m != nil {
			c.fatal = true
			c.addLine(line, "key %s is already defined at line %s; keep only one of them", m[1], m[2])
			continue
		}
		if m := reWrongType.FindStringSubmatch(msg); m != nil {
			c.addValue(line, "%s", wrongType(c.idx.keyAt(line, m[1]), m[1], m[2]))
			continue
		}
		c.addValue(line, "%s", redact(msg, line, fromEnv))
	}
}

// wrongType words a type mismatch without the value, which may be a secret.
func wrongType(key, tag, goType string) string {
	want, hint := "", ""
	switch {
	case strings.HasPrefix(goType, "[]"):
		want, hint = "a list", `; write each entry on its own line starting with "- ", or [a, b]`
	case strings.HasPrefix(goType, "map["), strings.Contains(goType, "."):
		want, hint = "a mapping", "; write key: value pairs indented under it"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		want = "a whole number"
	case strings.HasPrefix(goType, "float"):
		want = "a number"
	case goType == "bool":
		want, hint = "true or false", ""
	case goType == "string":
		want, hint = "a string", "; put the value in quotes"
	default:
		want = goType
	}
	where := "wrong type"
	if key != "" {
		where = fmt.Sprintf("wrong type for %q", key)
	}
	return fmt.Sprintf("%s: expected %s, found %s%s", where, want, tagName(tag), hint)
}

// tagName words a YAML tag for people.
func tagName(tag string) string {
	switch tag {
	case "!!str":
		return "a string"
	case "!!int":
		return "a whole number"
	case "!!float":
		return "a number"
	case "!!bool":
		return "true/false"
	case "!!map":
		return "a mapping"
	case "!!seq":
		return "a list"
	case "!!null":
		return "nothing"
	case "!!timestamp":
		return "a timestamp"
	}
	return tag
}

// redact replaces values taken from the environment in a decoder message
// with the ${...} text of the file: first those of the message's own line,
// then, as a safety net, any other.
func redact(msg string, line int, fromEnv map[*yaml.Node]string) string {
	for n, raw := range fromEnv {
		if n.Line == line {
			msg = strings.ReplaceAll(msg, strconv.Quote(n.Value), strconv.Quote(raw))
		}
	}
	for n := range fromEnv {
		if n.Value != "" {
			msg = strings.ReplaceAll(msg, strconv.Quote(n.Value), `"(a value from the environment)"`)
		}
	}
	return msg
}
