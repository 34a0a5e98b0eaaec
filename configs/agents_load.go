package configs

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// agentSections are the top-level keys a `vigil agent` uses; see ParseAgent.
var agentSections = map[string]bool{"location": true, "log": true, "defaults": true, "components": true, "checks": true}

// LoadAgent reads the configuration file at path for `vigil agent`; see
// ParseAgent.
func LoadAgent(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return ParseAgent(path, data)
}

// ParseAgent reads the server's configuration as an agent does: the same
// file, so that server and agents share one list of checks. An agent uses
// only location, log, defaults, components and checks (agents it reads
// for their locations); problems in the other sections are the server's to
// report (`vigil validate` on the server), and are left out here: their
// secrets, such as ${VIGIL_ADMIN_TOKEN} or the agents' tokens, are not set
// where the agents run. Otherwise it is Parse.
func ParseAgent(file string, data []byte) (*Config, error) {
	var cfg Config
	c := decode(file, data, &cfg, os.LookupEnv)
	if c.fatal {
		return nil, c.result()
	}
	applyDefaults(&cfg, c.idx.set)
	resolvePaths(&cfg, filepath.Dir(file))
	v := newCollector(file, c.idx)
	validate(&cfg, v)
	c.merge(v)
	c.list = agentProblems(c.list, c.idx)
	if ps := c.result(); ps != nil {
		return nil, ps
	}
	return &cfg, nil
}

// agentProblems keeps the problems an agent must care about: those in the
// sections it uses, and those with no line.
func agentProblems(ps Problems, idx *index) Problems {
	type span struct {
		line int
		key  string
	}
	var tops []span
	for path, line := range idx.lines {
		if path != "" && !strings.ContainsAny(path, ".[") {
			tops = append(tops, span{line, path})
		}
	}
	sort.Slice(tops, func(i, j int) bool { return tops[i].line < tops[j].line })
	var out Problems
	for _, p := range ps {
		// The section a line is in: the last top-level key at or before it.
		i := sort.Search(len(tops), func(i int) bool { return tops[i].line > p.Line }) - 1
		if p.Line <= 0 || i < 0 || agentSections[tops[i].key] {
			out = append(out, p)
		}
	}
	return out
}
