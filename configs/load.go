package configs

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"

	"go.yaml.in/yaml/v3"
)

// defaultYAML is the configuration used when vigil runs without -config.
//
//go:embed default.yaml
var defaultYAML []byte

// DefaultFile is the name Default reports problems under.
const DefaultFile = "default.yaml"

// Load reads the configuration file at path; see Parse. Relative paths in
// the file (ca_file) are taken relative to the file's directory.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// Default returns the embedded default configuration, which watches the
// built-in demo application.
func Default() (*Config, error) {
	return Parse(DefaultFile, defaultYAML)
}

// DefaultYAML returns the text of the embedded default configuration, for
// "vigil config default" style commands and documentation.
func DefaultYAML() []byte {
	return bytes.Clone(defaultYAML)
}

// Parse reads one configuration document. file names it in messages and
// is the base for relative paths. Parsing is strict: an unknown key is an
// error. ${NAME} and ${NAME:-default} in values are replaced from the
// environment ($$ is a literal $). Defaults are filled in, then the result
// is validated.
//
// On failure the error is a Problems listing everything wrong in the file,
// each at its line; no value taken from the environment appears in it.
func Parse(file string, data []byte) (*Config, error) {
	var cfg Config
	c := decode(file, data, &cfg, os.LookupEnv)
	if c.fatal {
		return nil, c.result()
	}
	applyDefaults(&cfg, c.idx.set)
	resolvePaths(&cfg, filepath.Dir(file))
	// Validate even after decode problems, so that one run shows everything;
	// but a value already reported gets no follow-up complaint (an unset
	// ${URL} need not also be reported as an empty url).
	v := newCollector(file, c.idx)
	validate(&cfg, v)
	c.merge(v)
	if ps := c.result(); ps != nil {
		return nil, ps
	}
	return &cfg, nil
}

// decode parses data into out (a pointer to a struct): syntax, environment
// expansion, unknown keys and value types. It returns a collector holding
// the problems found so far and the index of key paths for validation.
func decode(file string, data []byte, out any, lookup func(string) (string, bool)) *collector {
	c := newCollector(file, buildIndex(&yaml.Node{}, nil))
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if !errors.Is(err, io.EOF) {
			addSyntaxError(c, data, err)
		}
		return c // an empty file is an empty configuration
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		c.addLine(extra.Line, "a second YAML document starts here; a config file holds one document: remove the --- and what follows, or merge it")
	case !errors.Is(err, io.EOF):
		addSyntaxError(c, data, err)
	}

	fromEnv := expandTree(&root, lookup, func(line int, msg string) { c.addValue(line, "%s", msg) })
	c.idx = buildIndex(&root, fromEnv)
	addUnknownKeys(c, data, reflect.TypeOf(out))
	addDecodeErrors(c, root.Decode(out), fromEnv)
	return c
}

// resolvePaths makes relative file paths relative to dir, the directory
// of the config file, so that they do not depend on the working directory.
func resolvePaths(cfg *Config, dir string) {
	fix := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	for i := range cfg.Checks {
		ch := &cfg.Checks[i]
		if ch.HTTP != nil {
			fix(&ch.HTTP.TLS.CAFile)
		}
		if ch.TLS != nil {
			fix(&ch.TLS.Client.CAFile)
		}
		if ch.Screen != nil {
			for j := range ch.Screen.Steps {
				if h := ch.Screen.Steps[j].HTTP; h != nil {
					fix(&h.TLS.CAFile)
				}
			}
		}
	}
}
