// Package configs owns vigil's configuration: the YAML schema, strict loading
// with ${ENV} expansion, defaults, and validation that reports every problem
// at FILE:LINE. It also embeds default.yaml, used when no -config is given.
//
// It imports nothing of vigil's: every other package reads its types.
package configs
