package browser

import (
	"strings"

	"github.com/chromedp/chromedp"
)

// Window size of every page: a common laptop screen, so that a layout
// (and a failed run's screenshot) looks the way customers see it.
const (
	windowWidth  = 1280
	windowHeight = 800
)

// allocatorOptions are the command line of the shared browser: headless,
// quiet (no first-run page, no sound, no GPU, no background traffic of its
// own), /tmp instead of a small /dev/shm, and no sandbox when running as
// root, where Chromium refuses to start with one. env is the browser's
// whole environment (see browserEnv).
func allocatorOptions(execPath string, root bool, env []string) []chromedp.ExecAllocatorOption {
	opts := append([]chromedp.ExecAllocatorOption(nil), chromedp.DefaultExecAllocatorOptions[:]...)
	return append(opts,
		chromedp.ExecPath(execPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", root),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-notifications", true),
		chromedp.Flag("no-pings", true),
		chromedp.WindowSize(windowWidth, windowHeight),
		chromedp.NoInheritEnv,
		chromedp.Env(env...),
	)
}

// browserEnvKeys are the variables of vigil's environment a headless
// Chromium gets (where to write temporary files, fonts, locale, time
// zone). Everything else stays out: vigil's environment holds its secrets
// (API tokens, the Twilio token), and the browser runs the JavaScript of
// other people's pages.
var browserEnvKeys = []string{"PATH", "HOME", "TMPDIR", "TZ", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE",
	"FONTCONFIG_PATH", "FONTCONFIG_FILE", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"}

// browserEnv keeps the entries of environ ("NAME=value") that
// browserEnvKeys names, and points XDG_CONFIG_HOME at configDir: Chromium
// keeps its crash database there and starts its crash handler (a daemon,
// outside the browser's process tree) with that path on its command line,
// which is how stop finds it.
func browserEnv(environ []string, configDir string) []string {
	out := []string{"XDG_CONFIG_HOME=" + configDir}
	for _, kv := range environ {
		name, _, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		for _, k := range browserEnvKeys {
			if name == k {
				out = append(out, kv)
				break
			}
		}
	}
	return out
}
