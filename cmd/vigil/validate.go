package main

import (
	"fmt"
	"io"
)

// validate checks a config file and prints every problem at FILE:LINE.
func validate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", stderr)
	path := fs.String("config", "", "config file to check (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *path == "" {
		return usageError{"validate needs -config FILE"}
	}
	cfg, err := loadConfig(*path, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: ok (%d components, %d checks)\n", *path, len(cfg.Components), len(cfg.Checks))
	return nil
}
