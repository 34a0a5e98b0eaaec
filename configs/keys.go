package configs

import (
	"reflect"
	"strings"
)

// yamlKeys lists the keys a struct type accepts, in declaration order,
// with inlined structs flattened.
func yamlKeys(t reflect.Type) []string {
	t = deref(t)
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if strings.Contains(","+opts+",", ",inline,") {
			keys = append(keys, yamlKeys(f.Type)...)
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		keys = append(keys, name)
	}
	return keys
}

// section is how messages name a struct type: the key under which it is
// written, e.g. "http" for HTTPProbe, "check" for an entry of checks.
type section struct {
	where string // "in http", "at the top level"
	typ   reflect.Type
}

// sections names every struct type reachable from root, keyed by the
// type's String() ("configs.HTTPProbe") as yaml's errors spell it. The
// first key that reaches a type names it.
func sections(root reflect.Type) map[string]section {
	root = deref(root)
	m := map[string]section{root.String(): {"at the top level", root}}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			ft := deref(f.Type)
			if ft.Kind() == reflect.Slice || ft.Kind() == reflect.Map {
				ft = deref(ft.Elem())
				name = strings.TrimSuffix(name, "s") // "checks" holds a "check"
			}
			if ft.Kind() != reflect.Struct {
				continue
			}
			if strings.Contains(","+opts+",", ",inline,") {
				walk(ft)
				continue
			}
			if _, seen := m[ft.String()]; seen {
				continue
			}
			m[ft.String()] = section{"in " + name, ft}
			walk(ft)
		}
	}
	walk(root)
	return m
}

// deref strips pointers.
func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}
