package browser

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// EnvExecPath names the environment variable that can point at the
// browser to run, as a path or a name looked up in PATH.
const EnvExecPath = "VIGIL_CHROMIUM"

// execNames are the browsers looked for in PATH, in order.
var execNames = []string{"chromium", "chromium-browser", "google-chrome"}

// ErrNoChromium is returned when no browser can be found.
var ErrNoChromium = errors.New("no Chromium found for browser checks: install it (apt-get install chromium) or set " +
	EnvExecPath + " to the browser's path; looked in PATH for " + strings.Join(execNames, ", "))

// FindChromium returns the browser to run: the one $VIGIL_CHROMIUM names
// when it is set, else the first of chromium, chromium-browser and
// google-chrome in PATH. getenv is os.Getenv outside tests.
func FindChromium(getenv func(string) string) (string, error) {
	if want := getenv(EnvExecPath); want != "" {
		path, err := exec.LookPath(want)
		if err != nil {
			return "", fmt.Errorf("%s=%q is not a browser vigil can run: %w; point it at the chromium binary, or unset it to look in PATH", EnvExecPath, want, err)
		}
		return path, nil
	}
	for _, name := range execNames {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", ErrNoChromium
}
