package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/sla/report"
)

// writeReport renders res in format f to the file path, or to stdout when
// path is empty or "-". It renders in full before writing anything, and
// writes a file through a temporary one renamed into place, so that a
// failure never leaves half a report behind.
func writeReport(path string, stdout io.Writer, f report.Format, res *sla.Result) error {
	var buf bytes.Buffer
	if err := report.Write(&buf, f, res); err != nil {
		return fmt.Errorf("render %s report: %w", f, err)
	}
	if path == "" || path == "-" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("report file: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("report file %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report file %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("report file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("report file %s: %w", path, err)
	}
	return nil
}
