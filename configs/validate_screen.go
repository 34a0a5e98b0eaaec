package configs

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/template"
	"text/template/parse"
)

// Screen steps pass values to later steps through templates. The rules:
//
//   - A step's extract names values taken from its response; a name is a
//     template identifier ([A-Za-z_][A-Za-z0-9_]*) so that it can be
//     written as {{.name}}. A later step may extract a name again: from
//     then on the later value wins (a token that is refreshed on the way).
//   - A step's url, header values, form values and body are templates
//     (ParseStepTemplate) that may use only the values extracted by an
//     EARLIER step: anything else is a config error at the line of the
//     field that uses it.
//   - The steps before the first measured one are the login (see
//     ScreenProbe); session_ttl is only meaningful when there is one.

// stepFuncs are the functions a step template may call besides Go's
// built-ins (among them urlquery, which escapes for a query string).
var stepFuncs = template.FuncMap{"pathescape": url.PathEscape}

// ParseStepTemplate parses a screen step's url, header value, form value
// or body as a Go text/template. {{.name}} inserts the value an earlier
// step extracted exactly as it is: nothing is escaped by itself, because
// a token in a header must arrive untouched. Inside a URL write
// {{pathescape .name}} for a path segment and {{urlquery .name}} for a
// query value. Using a value no step extracted is an error when the
// template runs (missingkey=error), never an empty string. ${...} values
// from the environment are expanded before parsing and so are templates
// too: a secret holding "{{" is refused at load, without showing it.
func ParseStepTemplate(name, text string) (*template.Template, error) {
	return template.New(name).Option("missingkey=error").Funcs(stepFuncs).Parse(text)
}

// validateScreen checks a screen transaction: its steps, the values they
// pass on, what it measures and its session.
func validateScreen(v *collector, p string, s *ScreenProbe) {
	if len(s.Steps) == 0 {
		v.add(p+".steps", "screen has no steps; list the requests that open the screen, e.g. a login step and the step that opens it")
		return
	}
	extractors := extractorsOf(v, p, s.Steps)
	names := map[string]int{} // step name -> line
	seen := map[string]bool{} // values extracted by the steps so far
	for i := range s.Steps {
		st := &s.Steps[i]
		sp := fmt.Sprintf("%s.steps[%d]", p, i)
		validateStepName(v, sp+".name", st.Name, names)
		if st.HTTP == nil {
			v.add(sp+".http", "step has no http; write the request it sends, e.g. http: {url: \"https://app.example.com/login\", method: POST}")
		} else {
			validateStepHTTP(v, sp+".http", st.HTTP, &stepScope{index: i, seen: seen, extractors: extractors})
		}
		validateExtracts(v, sp+".extract", st.Extract)
		for name := range st.Extract {
			seen[name] = true
		}
	}
	first := validateMeasure(v, p, s, names)
	if first == 0 && s.SessionTTL > 0 {
		v.add(p+".session_ttl", "session_ttl %s has no effect: no step runs before the first measured one, so there is no login to reuse; remove session_ttl, or put the login steps before the measured ones", s.SessionTTL)
	}
}

// validateStepName checks a step's name; names maps those seen so far to
// their lines.
func validateStepName(v *collector, path, name string, names map[string]int) {
	switch {
	case name == "":
		v.add(path, "step name is empty; give every step a short name such as \"login\" or \"open\"")
		return
	case !validName(name):
		v.add(path, "step name %s may only hold a-z, 0-9, _ and -, starting with a letter or digit; write %q", v.q(path, name), fixName(name))
	}
	if line, dup := names[name]; dup {
		v.add(path, "step name %s is already used at line %d; step names must be unique within a screen", v.q(path, name), line)
		return
	}
	names[name] = v.idx.line(path)
}

// validateMeasure checks that measure names known steps, each once, and
// returns the index of the first measured step (the last step when
// measure is empty).
func validateMeasure(v *collector, p string, s *ScreenProbe, names map[string]int) int {
	if len(s.Measure) == 0 {
		return len(s.Steps) - 1
	}
	index := map[string]int{}
	for i, st := range s.Steps {
		if _, dup := index[st.Name]; !dup {
			index[st.Name] = i
		}
	}
	first := len(s.Steps)
	listed := map[string]int{}
	for i, name := range s.Measure {
		mp := fmt.Sprintf("%s.measure[%d]", p, i)
		at, known := index[name]
		switch {
		case !known:
			v.add(mp, "measure names step %s, which this screen does not have; use one of: %s", v.q(mp, name), stepList(names))
			continue
		case listed[name] > 0:
			v.add(mp, "step %q is already measured at line %d; list each step once", name, listed[name])
			continue
		}
		listed[name] = v.idx.line(mp)
		first = min(first, at)
	}
	if first == len(s.Steps) { // nothing valid listed: judge the session as if measure were empty
		return len(s.Steps) - 1
	}
	return first
}

// stepList lists step names for a message, in their order.
func stepList(names map[string]int) string {
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	sort.Slice(list, func(i, j int) bool { return names[list[i]] < names[list[j]] })
	return strings.Join(list, ", ")
}

// validateExtracts checks one step's extract mapping.
func validateExtracts(v *collector, p string, ex map[string]Extract) {
	for _, name := range slices.Sorted(maps.Keys(ex)) {
		e := ex[name]
		ep := p + "." + name
		if !templateIdent(name) {
			v.add(ep, "extract name %q cannot be used in a template; use letters, digits and _, not starting with a digit, e.g. %q", name, fixIdent(name))
		}
		var kinds []string
		for _, k := range []struct {
			name string
			set  bool
		}{{"json", e.JSON != ""}, {"regex", e.Regex != ""}, {"header", e.Header != ""}, {"cookie", e.Cookie != ""}} {
			if k.set {
				kinds = append(kinds, k.name)
			}
		}
		switch len(kinds) {
		case 0:
			// At the missing key, so that a misspelt one is reported alone.
			v.add(ep+".json", "extract %s sets none of json, regex, header or cookie; set exactly one, e.g. %s: {json: \"$.%s\"}", name, name, name)
			continue
		case 1:
		default:
			v.add(ep+"."+kinds[1], "extract %s sets %s; keep exactly one of json, regex, header or cookie", name, strings.Join(kinds, " and "))
		}
		if e.JSON != "" {
			if _, err := ParseJSONPath(e.JSON); err != nil {
				v.add(ep+".json", "extract %s: json %s is not a JSON path: %v", name, v.q(ep+".json", e.JSON), err)
			}
		}
		if e.Regex != "" {
			if _, err := regexp.Compile(e.Regex); err != nil {
				detail := err.Error()
				if _, fromEnv := v.idx.raw[ep+".regex"]; fromEnv {
					detail = "invalid regular expression"
				}
				v.add(ep+".regex", "extract %s: regex does not compile: %s; write a Go (RE2) regular expression whose first group is the value, e.g. name=\"csrf\" value=\"([^\"]+)\"", name, detail)
			}
		}
	}
}

// templateIdent reports whether s can follow the dot in {{.s}}.
func templateIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		ok := b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || i > 0 && b >= '0' && b <= '9'
		if !ok {
			return false
		}
	}
	return s != ""
}

// fixIdent suggests a template identifier for s.
func fixIdent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9' && b.Len() > 0:
			b.WriteByte(c)
		case b.Len() > 0:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "value"
	}
	return b.String()
}

// extractor is where a value is extracted: the step and the line.
type extractor struct {
	step string
	line int
}

// extractorsOf maps every extracted value to the steps that extract it,
// by step index, so that a use before its extraction can say where it
// comes from.
func extractorsOf(v *collector, p string, steps []ScreenStep) map[string]map[int]extractor {
	m := map[string]map[int]extractor{}
	for i, st := range steps {
		for name := range st.Extract {
			if m[name] == nil {
				m[name] = map[int]extractor{}
			}
			m[name][i] = extractor{st.Name, v.idx.line(fmt.Sprintf("%s.steps[%d].extract.%s", p, i, name))}
		}
	}
	return m
}

// stepScope is what the templates of step index may use: the values in
// seen, extracted by the steps before it.
type stepScope struct {
	index      int
	seen       map[string]bool
	extractors map[string]map[int]extractor
}

// validateStepHTTP checks a step's templates, then its request with the
// checks of an http probe. The URL is checked as it will be sent, with
// every value filled in by a sample.
func validateStepHTTP(v *collector, p string, h *HTTPProbe, scope *stepScope) {
	plain := *h
	rendered, ok := validateStepTemplate(v, p+".url", "url", h.URL, scope)
	if ok {
		plain.URL = rendered
	} else if h.URL != "" {
		// The template is already reported; a stand-in keeps validateHTTP
		// from adding a second, misleading complaint about the same URL.
		plain.URL = "http://template.invalid/"
	}
	for _, k := range slices.Sorted(maps.Keys(h.Headers)) {
		validateStepTemplate(v, p+".headers."+k, "header "+k, h.Headers[k], scope)
	}
	for _, k := range slices.Sorted(maps.Keys(h.Form)) {
		validateStepTemplate(v, p+".form."+k, "form field "+k, h.Form[k], scope)
	}
	validateStepTemplate(v, p+".body", "body", h.Body, scope)
	validateHTTP(v, p, &plain)
}

// sampleValue stands in for every extracted value when a URL template is
// rendered to be checked.
const sampleValue = "x"

// validateStepTemplate checks one templated field at path (what names it
// in messages) and returns the text rendered with sample values; ok is
// false when the template has a problem or cannot be rendered.
func validateStepTemplate(v *collector, path, what, text string, scope *stepScope) (rendered string, ok bool) {
	if !strings.Contains(text, "{{") {
		return text, true
	}
	_, fromEnv := v.idx.raw[path]
	t, err := ParseStepTemplate(what, text)
	if err != nil {
		detail := templateError(err, what)
		if fromEnv {
			detail = "it does not parse" // the text may hold a secret
		}
		v.add(path, "%s is not a valid template: %s; write a value from an earlier step as {{.name}}", what, detail)
		return "", false
	}
	fields, unsupported := templateFields(t)
	if unsupported != "" {
		v.add(path, "%s uses %s, which step templates do not support; write a value from an earlier step as {{.name}}, {{urlquery .name}} or {{pathescape .name}}", what, unsupported)
		return "", false
	}
	ok = true
	sample := make(map[string]string, len(fields))
	for _, name := range fields {
		sample[name] = sampleValue
		if scope.seen[name] {
			continue
		}
		ok = false
		v.add(path, "%s uses {{.%s}}, %s", what, name, scope.whereFrom(name))
	}
	if !ok {
		return "", false
	}
	var b strings.Builder
	if err := t.Execute(&b, sample); err != nil {
		// Only a real value can tell (say, {{index .id 3}} on a short
		// sample): the probe reports it when it runs.
		return "", false
	}
	return b.String(), true
}

// templateError shortens a parse error of the template named name:
// "template: url:1: unexpected EOF" becomes "unexpected EOF", with the
// line kept for the lines after the first of a multi-line body.
func templateError(err error, name string) string {
	msg := strings.TrimPrefix(err.Error(), "template: "+name+":")
	line, rest, ok := strings.Cut(msg, ": ")
	switch {
	case !ok:
		return err.Error()
	case line == "1":
		return rest
	}
	return "line " + msg
}

// whereFrom says where a value used before its extraction comes from and
// what to do about it.
func (s *stepScope) whereFrom(name string) string {
	at := -1
	for i := range s.extractors[name] {
		if i >= s.index && (at < 0 || i < at) {
			at = i
		}
	}
	by := s.extractors[name]
	switch {
	case at < 0:
		return fmt.Sprintf("but no earlier step extracts %s; add it to the extract of an earlier step, e.g. extract: {%s: {json: \"$.%s\"}}", name, name, name)
	case at == s.index:
		return fmt.Sprintf("but %s is extracted from this step's own response (line %d), after its request is sent; extract it in an earlier step", name, by[at].line)
	}
	return fmt.Sprintf("but %s is extracted only by step %q at line %d, which runs later; move that extract to an earlier step", name, by[at].step, by[at].line)
}

// templateFields returns the value names a step template uses, in order
// of first use, or the construct it uses that step templates do not
// support: in {{range}}, {{with}} and named templates the dot is no
// longer the values, so what they use could not be checked; {{.}} would
// print every value, and {{.a.b}} looks into a value, which is a string.
func templateFields(t *template.Template) (fields []string, unsupported string) {
	if len(t.Templates()) > 1 {
		return nil, "{{define}}"
	}
	seen := map[string]bool{}
	use := func(name string) {
		if !seen[name] {
			seen[name] = true
			fields = append(fields, name)
		}
	}
	var walk func(n parse.Node) string
	walkAll := func(nodes ...parse.Node) string {
		for _, n := range nodes {
			if n == nil {
				continue
			}
			if u := walk(n); u != "" {
				return u
			}
		}
		return ""
	}
	walk = func(n parse.Node) string {
		switch n := n.(type) {
		case *parse.ListNode:
			return walkAll(listNodes(n)...)
		case *parse.ActionNode:
			return walk(n.Pipe)
		case *parse.PipeNode:
			nodes := make([]parse.Node, len(n.Cmds))
			for i, c := range n.Cmds {
				nodes[i] = c
			}
			return walkAll(nodes...)
		case *parse.CommandNode:
			return walkAll(n.Args...)
		case *parse.IfNode:
			return walkAll(n.Pipe, n.List, n.ElseList)
		case *parse.FieldNode:
			if len(n.Ident) > 1 {
				return "{{" + n.String() + "}}"
			}
			use(n.Ident[0])
		case *parse.VariableNode:
			if n.Ident[0] == "$" && len(n.Ident) == 2 {
				use(n.Ident[1])
			} else if n.Ident[0] == "$" && len(n.Ident) > 2 {
				return "{{" + n.String() + "}}"
			}
		case *parse.ChainNode:
			return "{{" + n.String() + "}}"
		case *parse.DotNode:
			return "{{.}}"
		case *parse.RangeNode:
			return "{{range}}"
		case *parse.WithNode:
			return "{{with}}"
		case *parse.TemplateNode:
			return "{{template}}"
		case *parse.BreakNode, *parse.ContinueNode:
			return "{{" + n.String() + "}}"
		}
		return ""
	}
	return fields, walk(t.Tree.Root)
}

// listNodes returns a list's children; an if without else has a nil
// ElseList.
func listNodes(l *parse.ListNode) []parse.Node {
	if l == nil {
		return nil
	}
	return l.Nodes
}
