package configs

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// index maps key paths such as "checks[2].http.url" to where they are in
// the file, so that validation, which works on the decoded structs, can
// still point at a line.
type index struct {
	lines map[string]int    // path -> line of the key (or of the list item)
	null  map[string]bool   // path -> the key is present without a value
	raw   map[string]string // path -> the ${...} text of a value taken from the environment
	// sameLine and nextLine name the key whose value starts on a line
	// (the key's own line, or the next one for a block mapping or list),
	// for decode errors, which yaml reports at the value's line.
	sameLine, nextLine map[int]string
	// parent maps a key at a line to the path of the mapping holding it.
	parent map[lineKey]string
}

// lineKey is a key as written at one line.
type lineKey struct {
	line int
	key  string
}

// buildIndex walks the (expanded) document. fromEnv holds the original
// text of the scalars that expandTree changed.
func buildIndex(root *yaml.Node, fromEnv map[*yaml.Node]string) *index {
	idx := &index{
		lines:    map[string]int{},
		null:     map[string]bool{},
		raw:      map[string]string{},
		sameLine: map[int]string{},
		nextLine: map[int]string{},
		parent:   map[lineKey]string{},
	}
	var walk func(n *yaml.Node, path string)
	visit := func(path string, line int, v *yaml.Node) {
		if _, dup := idx.lines[path]; dup {
			return // a duplicated key is reported by the decoder
		}
		idx.lines[path] = line
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
			idx.null[path] = true
		}
		if raw, ok := fromEnv[v]; ok {
			idx.raw[path] = raw
		}
		walk(v, path)
	}
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				lines := idx.nextLine
				if v.Line == k.Line {
					lines = idx.sameLine
				}
				if _, ok := lines[v.Line]; !ok {
					lines[v.Line] = k.Value
				}
				idx.parent[lineKey{k.Line, k.Value}] = path
				visit(joinPath(path, k.Value), k.Line, v)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				visit(path+"["+strconv.Itoa(i)+"]", c.Line, c)
			}
		}
	}
	walk(root, "")
	return idx
}

// joinPath appends a key to a path.
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// keyAt names the key whose value yaml found at line. A list or mapping
// usually starts on the line after its key.
func (idx *index) keyAt(line int, tag string) string {
	first, second := idx.sameLine, idx.nextLine
	if tag == "!!map" || tag == "!!seq" {
		first, second = second, first
	}
	if k, ok := first[line]; ok {
		return k
	}
	return second[line]
}

// existing returns path if the file has it, else its nearest ancestor
// that the file has ("" for the document).
func (idx *index) existing(path string) string {
	for path != "" {
		if _, ok := idx.lines[path]; ok {
			return path
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			return ""
		}
		path = path[:cut]
	}
	return ""
}

// line returns the line of path, or of its nearest ancestor in the file,
// or 0.
func (idx *index) line(path string) int {
	return idx.lines[idx.existing(path)]
}

// set reports whether the file gives path a value (present and not null).
func (idx *index) set(path string) bool {
	_, ok := idx.lines[path]
	return ok && !idx.null[path]
}
