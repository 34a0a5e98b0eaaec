package browser

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindChromium(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "chromium")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	t.Run("from VIGIL_CHROMIUM", func(t *testing.T) {
		got, err := FindChromium(env(map[string]string{EnvExecPath: fake}))
		if err != nil || got != fake {
			t.Errorf("got %q, %v; want %q", got, err, fake)
		}
	})
	t.Run("VIGIL_CHROMIUM wrong", func(t *testing.T) {
		_, err := FindChromium(env(map[string]string{EnvExecPath: filepath.Join(dir, "nope")}))
		if err == nil || !strings.Contains(err.Error(), EnvExecPath) {
			t.Errorf("error %v does not name %s", err, EnvExecPath)
		}
	})
	t.Run("from PATH", func(t *testing.T) {
		t.Setenv("PATH", dir)
		got, err := FindChromium(env(nil))
		if err != nil || got != fake {
			t.Errorf("got %q, %v; want %q", got, err, fake)
		}
	})
	t.Run("none", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		_, err := FindChromium(env(nil))
		if !errors.Is(err, ErrNoChromium) || !strings.Contains(err.Error(), "apt-get install chromium") {
			t.Errorf("error %v, want ErrNoChromium naming apt-get install chromium", err)
		}
		if _, err := NewRunner(Options{}); !errors.Is(err, ErrNoChromium) {
			t.Errorf("NewRunner without a browser: %v", err)
		}
	})
}

// The browser gets what it needs of vigil's environment and no secret.
func TestBrowserEnv(t *testing.T) {
	got := browserEnv([]string{
		"PATH=/usr/bin", "HOME=/var/lib/vigil", "TZ=Europe/Amsterdam",
		"TWILIO_AUTH_TOKEN=secret", "VIGIL_ADMIN_TOKEN=secret", "PROBE_PASSWORD=secret",
		"XDG_CONFIG_HOME=/home/vigil/.config", "MALFORMED",
	}, "/tmp/vigil-chromium-1")
	want := []string{"XDG_CONFIG_HOME=/tmp/vigil-chromium-1", "PATH=/usr/bin", "HOME=/var/lib/vigil", "TZ=Europe/Amsterdam"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("browserEnv = %q, want %q", got, want)
	}
}
