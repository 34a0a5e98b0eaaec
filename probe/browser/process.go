package browser

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/chromedp/chromedp"
)

// gracefulClose is how long Chromium gets to close itself before it is
// killed.
const gracefulClose = 2 * time.Second

// process is one running Chromium. Its context is the parent of every
// run's tab; the context ends when the process dies, whoever killed it.
type process struct {
	ctx         context.Context // chromedp context of the browser
	cancel      context.CancelFunc
	allocCancel context.CancelFunc
	pid         int
	// configDir is the browser's XDG_CONFIG_HOME, private to this
	// process: its crash handler names it on its command line.
	configDir string
}

// startProcess starts Chromium and waits until it answers. ctx only
// bounds the start: the process lives until stop, independent of the
// run that happened to start it.
func startProcess(ctx context.Context, execPath string, root bool, environ []string, log *slog.Logger) (*process, error) {
	configDir, err := os.MkdirTemp("", "vigil-chromium-")
	if err != nil {
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	opts := allocatorOptions(execPath, root, browserEnv(environ, configDir))
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	logf := func(format string, args ...any) { log.Debug("chromium: " + fmt.Sprintf(format, args...)) }
	bctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(logf), chromedp.WithErrorf(logf))
	p := &process{ctx: bctx, cancel: cancel, allocCancel: allocCancel, configDir: configDir}

	// A start that outlives the caller's deadline is abandoned.
	abandon := context.AfterFunc(ctx, cancel)
	err = chromedp.Do(bctx)
	if !abandon() && err == nil {
		err = ctx.Err()
	}
	if err != nil {
		p.stop()
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	if proc := chromedp.FromContext(bctx).Browser.Process(); proc != nil {
		p.pid = proc.Pid
	}
	return p, nil
}

// alive reports whether the browser still runs.
func (p *process) alive() bool { return p.ctx.Err() == nil }

// stop closes the browser: politely first, then by killing it. It returns
// when the process, every child that still used its profile, and its
// crash handler are gone, and their directories removed.
func (p *process) stop() {
	if p.alive() {
		ctx, cancel := context.WithTimeout(p.ctx, gracefulClose)
		_ = chromedp.Cancel(ctx) // a refusal or a timeout is answered by the kill below
		cancel()
	}
	// Cancelling the allocator kills the process and the children that
	// name its profile directory, and removes that directory.
	p.cancel()
	p.allocCancel()
	killLeftovers(p.configDir)
	_ = os.RemoveAll(p.configDir) // a temporary directory: nothing to do if it stays
}
