package main

import (
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/probe/browser"
)

// browsers starts the shared Chromium runner when the first browser
// check needs it, so that configs without browser checks never look for
// a browser.
type browsers struct {
	dir    string // screenshots of failed runs
	logger *slog.Logger

	mu sync.Mutex
	r  *browser.Runner
}

func newBrowsers(dataDir string, logger *slog.Logger) *browsers {
	return &browsers{dir: filepath.Join(dataDir, "screenshots"), logger: logger.With("component", "browser")}
}

// prober builds the prober of a browser check.
func (b *browsers) prober(c configs.Check) (probe.Prober, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.r == nil {
		r, err := browser.NewRunner(browser.Options{Logger: b.logger})
		if errors.Is(err, browser.ErrNoChromium) {
			return nil, errors.New("it is a browser check, but no Chromium was found: install it (apt-get install chromium) or set VIGIL_CHROMIUM to its path")
		}
		if err != nil {
			return nil, err
		}
		b.r = r
	}
	return b.r.Prober(c, b.dir)
}

// Close stops the browser, if one was started.
func (b *browsers) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.r == nil {
		return nil
	}
	return b.r.Close()
}

// screenshots serves the PNG of a failed browser run by the name its
// result links to; any other name is 404, so no path leaves the directory.
func (b *browsers) screenshots() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		if !browser.ValidScreenshotName(name) {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(filepath.Join(b.dir, name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			http.Error(w, "screenshot unreadable", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Cache-Control", "private, max-age=86400, immutable") // a name is never reused
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, name, st.ModTime(), f)
	})
}
