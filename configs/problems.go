package configs

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong in a configuration file, at the line that holds it.
type Problem struct {
	File    string
	Line    int // 1-based; 0 when the problem has no single line
	Message string
}

// String formats the problem as "FILE:LINE: message".
func (p Problem) String() string {
	if p.Line <= 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// Problems is every problem found in one file. Load and Parse return it as
// their error so that a user fixes everything in one go; use errors.As to
// get at the list.
type Problems []Problem

// Error lists one problem per line, sorted by line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps.sorted() {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sorted returns a copy ordered by line; problems on one line keep the
// order in which they were found.
func (ps Problems) sorted() Problems {
	out := append(Problems(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// collector gathers problems for one file and places them by key path.
type collector struct {
	file string
	idx  *index
	list Problems
	// fatal is set when the document could not be decoded as a whole
	// (bad syntax, a duplicated key): validating it would only mislead.
	fatal bool
	// badValue marks the lines with a problem in their value.
	badValue map[int]bool
	// unknownIn marks the mappings (by path) that hold an unknown key.
	unknownIn map[string]bool
	// paths holds the key path of each problem added with add.
	paths map[int]string
}

// newCollector starts collecting problems for file.
func newCollector(file string, idx *index) *collector {
	return &collector{file: file, idx: idx, badValue: map[int]bool{}, unknownIn: map[string]bool{}, paths: map[int]string{}}
}

// merge adds the problems of o (validation) except those that would only
// repeat one c (decoding) found: a complaint about a value already
// reported as bad, or about a missing key in a mapping with an unknown
// key, which is most likely that key misspelt.
func (c *collector) merge(o *collector) {
	for i, p := range o.list {
		if c.badValue[p.Line] {
			continue
		}
		if path, ok := o.paths[i]; ok {
			if at := c.idx.existing(path); at != path && c.unknownIn[at] {
				continue
			}
		}
		c.list = append(c.list, p)
	}
}

// addValue records a problem with the value on a line (an unset variable,
// a wrong type, a bad duration).
func (c *collector) addValue(line int, format string, args ...any) {
	c.badValue[line] = true
	c.addLine(line, format, args...)
}

// addLine records a problem at a line.
func (c *collector) addLine(line int, format string, args ...any) {
	c.list = append(c.list, Problem{File: c.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// add records a problem at the line of a key path such as
// "checks[2].http.url", or of its nearest parent present in the file.
func (c *collector) add(path, format string, args ...any) {
	c.paths[len(c.list)] = path
	c.addLine(c.idx.line(path), format, args...)
}

// q quotes a value for a message. A value that came from the environment
// is shown as the ${...} text the file holds: secrets never reach an error.
func (c *collector) q(path, value string) string {
	if raw, ok := c.idx.raw[path]; ok {
		return fmt.Sprintf("%q", raw)
	}
	return fmt.Sprintf("%q", value)
}

// result returns the problems sorted by line, or nil when there are none.
func (c *collector) result() Problems {
	if len(c.list) == 0 {
		return nil
	}
	return c.list.sorted()
}
