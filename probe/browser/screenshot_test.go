package browser

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

func TestValidScreenshotName(t *testing.T) {
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"home-1767225600000.png", true},
		{"employee-properties-browser-1767225600000.png", true},
		{"a_b-1.png", true},
		{"0-1.png", true},
		{"", false},
		{".png", false},
		{"-1767225600000.png", false},
		{"home.png", false},
		{"home-.png", false},
		{"home-17672256x0000.png", false},
		{"home-1767225600000.jpg", false},
		{"home-1767225600000.png.tmp", false},
		{"Home-1767225600000.png", false},
		{"_home-1767225600000.png", false},
		{"../home-1767225600000.png", false},
		{"..-1767225600000.png", false},
		{"a/b-1767225600000.png", false},
		{`a\b-1767225600000.png`, false},
		{"home-1767225600000.png/", false},
		{".tmp-home-1767225600000.png-123", false},
		{"home-12345678901234567890.png", false},
		{"home -1767225600000.png", false},
		{"home-+1767225600000.png", false},
	} {
		if got := ValidScreenshotName(tt.name); got != tt.ok {
			t.Errorf("ValidScreenshotName(%q) = %v, want %v", tt.name, got, tt.ok)
		}
	}
}

func TestScreenshotsSaveAndPrune(t *testing.T) {
	dir := t.TempDir()
	clk := clock.NewFake(time.UnixMilli(1767225600000))
	shots := &screenshots{dir: dir, check: "a", keep: 3, clock: clk}
	// Another check whose name starts like this one's: never pruned by it.
	other := filepath.Join(dir, "a-b-1.png")
	if err := os.WriteFile(other, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	var names []string
	for i := range 5 {
		name, err := shots.save([]byte{byte(i)})
		if err != nil {
			t.Fatal(err)
		}
		if !ValidScreenshotName(name) {
			t.Errorf("saved under the invalid name %q", name)
		}
		names = append(names, name)
		clk.Advance(time.Second)
	}
	if names[0] != "a-1767225600000.png" {
		t.Errorf("first name %q, want a-<unix ms>.png", names[0])
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := append([]string{"a-b-1.png"}, names[2:]...)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("files %v, want the 3 newest of check a and the other check's: %v", got, want)
	}
	for i, name := range names[2:] {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || len(b) != 1 || b[0] != byte(i+2) {
			t.Errorf("%s holds %v (%v), want [%d]", name, b, err, i+2)
		}
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v (%v), want 0600: screenshots show customer data", name, fi.Mode(), err)
		}
	}
}

func TestScreenshotSaveFailsInMissingDir(t *testing.T) {
	shots := &screenshots{dir: filepath.Join(t.TempDir(), "gone"), check: "a", keep: 3, clock: clock.Real{}}
	if _, err := shots.save([]byte("png")); err == nil {
		t.Error("saved into a directory that does not exist")
	}
}
