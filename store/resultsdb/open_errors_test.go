package resultsdb

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// assertOpenFails opens dir and checks that the error contains every part.
func assertOpenFails(t *testing.T, dir string, parts ...string) {
	t.Helper()
	r, err := Open(dir, Options{}, nil)
	if err == nil {
		r.Close()
		t.Fatalf("Open(%s) succeeded, want an error", dir)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q\ndoes not contain %q", err, p)
		}
	}
}

func TestOpenLockedDir(t *testing.T) {
	dir := t.TempDir()
	openTest(t, dir, testOptions())
	assertOpenFails(t, dir,
		fmt.Sprintf("data dir %s is in use by another vigil process (lock held on %s)", dir, filepath.Join(dir, "tsdb", "lock")),
		"stop it or choose another -data-dir")
}

func TestOpenDataDirIsFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(dir, []byte("not a dir"), 0o600); err != nil {
		t.Fatal(err)
	}
	assertOpenFails(t, dir, dir+" is a file, not a directory", "choose another -data-dir")
	assertOpenFails(t, filepath.Join(dir, "sub"), "lies below a file", "choose another -data-dir")
}

func TestOpenTSDBDirIsFile(t *testing.T) {
	dir := t.TempDir()
	tsdbDir := filepath.Join(dir, "tsdb")
	if err := os.WriteFile(tsdbDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	assertOpenFails(t, dir, tsdbDir+" is a file, not a directory")
}

func TestOpenNotWritable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may write anywhere: TestExplainDirError covers the message")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	assertOpenFails(t, dir, "data dir "+dir+" is not writable", "give the user running vigil write access")
}

func TestExplainResultsDirError(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "mkdir", Path: "/d/tsdb", Err: syscall.EACCES}, "data dir /d is not writable (mkdir /d/tsdb: permission denied): give the user running vigil write access to it or choose another -data-dir"},
		{&fs.PathError{Op: "open", Path: "/d/tsdb/x", Err: syscall.EROFS}, "data dir /d is not writable"},
		{&fs.PathError{Op: "open", Path: "/d/tsdb/x", Err: syscall.ENOSPC}, "disk full"},
	}
	for _, tt := range tests {
		if got := explainResultsDirError("/d", tt.err).Error(); !strings.Contains(got, tt.want) {
			t.Errorf("explainDirError(%v) = %q, want it to contain %q", tt.err, got, tt.want)
		}
	}
}

func TestOpenCorrupt(t *testing.T) {
	tests := map[string]func(tsdbDir string) error{
		"head chunk file with a bad magic number": func(d string) error {
			if err := os.MkdirAll(filepath.Join(d, "chunks_head"), 0o750); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(d, "chunks_head", "000001"), []byte("this is no chunk file"), 0o600)
		},
		"block without an index": func(d string) error {
			const id = "01JQ0000000000000000000000"
			if err := os.MkdirAll(filepath.Join(d, id), 0o750); err != nil {
				return err
			}
			meta := fmt.Sprintf(`{"ulid":%q,"minTime":%d,"maxTime":%d,"version":1}`,
				id, t0.UnixMilli(), t0.Add(2*time.Hour).UnixMilli())
			return os.WriteFile(filepath.Join(d, id, "meta.json"), []byte(meta), 0o600)
		},
		"wal is a file": func(d string) error {
			return os.WriteFile(filepath.Join(d, "wal"), []byte("x"), 0o600)
		},
	}
	for name, damage := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			tsdbDir := filepath.Join(dir, "tsdb")
			if err := os.MkdirAll(tsdbDir, 0o750); err != nil {
				t.Fatal(err)
			}
			if err := damage(tsdbDir); err != nil {
				t.Fatal(err)
			}
			assertOpenFails(t, dir,
				"the results db in "+tsdbDir+" is damaged or is not a Prometheus TSDB",
				"move "+tsdbDir+" aside")
			// A failed open must not leave the directory locked.
			if err := os.RemoveAll(tsdbDir); err != nil {
				t.Fatal(err)
			}
			openTest(t, dir, testOptions())
		})
	}
}
