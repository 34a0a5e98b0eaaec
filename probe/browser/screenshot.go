package browser

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vigilmon/vigil/internal/clock"
)

// ValidScreenshotName reports whether name can be a screenshot this
// package wrote: "<check>-<unix-ms>.png", the check name of a-z, 0-9, _
// and - starting with a letter or digit. A name that passes is a plain
// file name: no path separator, no "..", nothing hidden. The API checks
// it before it serves /api/v1/screenshots/{name}.
func ValidScreenshotName(name string) bool {
	stem, ok := strings.CutSuffix(name, ".png")
	if !ok {
		return false
	}
	i := strings.LastIndexByte(stem, '-')
	if i <= 0 || !validCheckName(stem[:i]) {
		return false
	}
	_, ok = screenshotMillis(stem[i+1:])
	return ok
}

// validCheckName is the charset of check names (configs validates them
// the same way): [a-z0-9][a-z0-9_-]*.
func validCheckName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '_' || c == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}

// screenshotMillis parses the time part of a screenshot name: 1 to 19
// decimal digits, nothing else.
func screenshotMillis(s string) (int64, bool) {
	if s == "" || len(s) > 19 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	return ms, err == nil
}

// screenshots keeps the PNGs of one check's failed runs in a directory.
type screenshots struct {
	dir   string
	check string
	keep  int
	clock clock.Clock

	mu sync.Mutex // one save (and prune) at a time
}

// save writes png as "<check>-<unix-ms>.png", atomically (readers never
// see half a file), prunes the check's oldest files beyond keep, and
// returns the name.
func (s *screenshots) save(png []byte) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := fmt.Sprintf("%s-%d.png", s.check, s.clock.Now().UnixMilli())
	if err := writeAtomic(filepath.Join(s.dir, name), png); err != nil {
		return "", fmt.Errorf("save screenshot: %w", err)
	}
	if err := s.prune(); err != nil {
		return name, fmt.Errorf("prune screenshots: %w", err)
	}
	return name, nil
}

// prune removes the check's oldest screenshots beyond keep.
func (s *screenshots) prune() error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	type shot struct {
		name string
		ms   int64
	}
	var mine []shot
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), s.check+"-")
		if !ok || !e.Type().IsRegular() {
			continue
		}
		// "a-b-1.png" is check a-b's, not check a's: what follows the
		// name must be the time alone.
		if digits, ok := strings.CutSuffix(rest, ".png"); ok {
			if ms, ok := screenshotMillis(digits); ok {
				mine = append(mine, shot{e.Name(), ms})
			}
		}
	}
	if len(mine) <= s.keep {
		return nil
	}
	slices.SortFunc(mine, func(a, b shot) int { return cmp.Compare(b.ms, a.ms) }) // newest first
	for _, old := range mine[s.keep:] {
		if err := os.Remove(filepath.Join(s.dir, old.name)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// writeAtomic writes data to a temporary file beside path and renames it
// into place once it is complete and on disk. The file is readable by
// vigil's user only (CreateTemp's 0600): a screenshot shows whatever the
// page showed, customer data included.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp) // the error that matters is err
	}
	return err
}
