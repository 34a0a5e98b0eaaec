package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// render renders the fixture in format f.
func render(t *testing.T, f Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, testResult(t)); err != nil {
		t.Fatalf("Write %s: %v", f, err)
	}
	return buf.Bytes()
}

// TestGolden pins every rendering of the fixture; a change shows as a diff
// to review (go test ./sla/report -run Golden -update rewrites them; view
// testdata/report.golden.html and .pdf before committing).
func TestGolden(t *testing.T) {
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			got := render(t, f)
			path := filepath.Join("testdata", "report.golden."+string(f))
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./sla/report -run Golden -update creates it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s rendering differs from %s (go test ./sla/report -run Golden -update rewrites it)", f, path)
			}
		})
	}
}
