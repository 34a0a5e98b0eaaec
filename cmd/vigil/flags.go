package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/vigilmon/vigil/configs"
)

// newFlags returns a flag set that reports mistakes as usage errors.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("vigil "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args; -h is not an error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// errHelp says -h printed a usage; run turns it into success.
var errHelp = errors.New("help shown")

// loadConfig reads the file, or the embedded default when path is empty.
// Problems are printed one per line; the caller exits 1.
func loadConfig(path string, stderr io.Writer) (*configs.Config, error) {
	var (
		cfg *configs.Config
		err error
	)
	if path == "" {
		cfg, err = configs.Default()
	} else {
		cfg, err = configs.Load(path)
	}
	if err != nil {
		var probs configs.Problems
		if errors.As(err, &probs) {
			fmt.Fprintln(stderr, probs.Error())
			return nil, errFailed
		}
		return nil, err
	}
	return cfg, nil
}
