package resultsdb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// checkResultsDir makes sure dir and its TSDB directory exist, are directories
// and are writable, and explains what to do when they are not.
func checkResultsDir(dir, tsdbDir string) error {
	for _, d := range []string{dir, tsdbDir} {
		fi, err := os.Stat(d)
		if err == nil && !fi.IsDir() {
			return fmt.Errorf("open results db: data dir %s: %s is a file, not a directory: move it away or choose another -data-dir", dir, d)
		}
	}
	if err := os.MkdirAll(tsdbDir, 0o750); err != nil {
		return explainResultsDirError(dir, err)
	}
	f, err := os.CreateTemp(tsdbDir, ".write-test-*")
	if err != nil {
		return explainResultsDirError(dir, err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return explainResultsDirError(dir, err)
	}
	return nil
}

// explainResultsDirError turns a failure to create or write in the data dir into
// an error that says what to do.
func explainResultsDirError(dir string, err error) error {
	switch {
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return fmt.Errorf("open results db: data dir %s is not writable (%w): give the user running vigil write access to it or choose another -data-dir", dir, err)
	case errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("open results db: data dir %s lies below a file, not a directory (%w): choose another -data-dir", dir, err)
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("open results db: data dir %s: disk full (%w): free space or choose another -data-dir", dir, err)
	}
	return fmt.Errorf("open results db: data dir %s: %w", dir, err)
}

// explainResultsOpenError turns an error of tsdb.Open into one that says what is
// wrong with the data dir and what to do about it.
func explainResultsOpenError(dir, tsdbDir string, err error) error {
	lock := filepath.Join(tsdbDir, "lock")
	switch {
	case errors.Is(err, syscall.EWOULDBLOCK):
		return fmt.Errorf("open results db: data dir %s is in use by another vigil process (lock held on %s): stop it or choose another -data-dir: %w", dir, lock, err)
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS), errors.Is(err, syscall.ENOSPC):
		return explainResultsDirError(dir, err)
	}
	// checkResultsDir has vouched for the directories: what is left is their
	// content, damaged or not a TSDB at all.
	return fmt.Errorf("open results db: data dir %s: the results db in %s is damaged or is not a Prometheus TSDB: "+
		"stop vigil, move %s aside (keep it for inspection) and start again with an empty history, or restore it from a backup: %w",
		dir, tsdbDir, tsdbDir, err)
}
