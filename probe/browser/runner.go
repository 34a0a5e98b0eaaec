package browser

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"runtime"
	"sync"

	"github.com/vigilmon/vigil/internal/clock"
)

// DefaultKeepScreenshots is how many screenshots of failed runs are kept
// per check when Options.KeepScreenshots is 0.
const DefaultKeepScreenshots = 20

// Options configure a Runner. The zero value works when Chromium is in
// PATH or $VIGIL_CHROMIUM names it.
type Options struct {
	// ExecPath is the browser to run; "" finds it with FindChromium.
	ExecPath string
	// MaxRuns bounds how many runs use the browser at once; 0 means
	// GOMAXPROCS. A run waiting for a slot has not started: the wait is
	// not part of its duration, only of the caller's deadline.
	MaxRuns int
	// KeepScreenshots is how many screenshots each check keeps; 0 means
	// DefaultKeepScreenshots.
	KeepScreenshots int
	// Clock names screenshots by their time; nil means the wall clock.
	Clock clock.Clock
	// Logger gets browser starts, deaths and restarts; nil discards them.
	Logger *slog.Logger
}

// errClosed fails the runs that start after Close.
var errClosed = errors.New("the browser runner is closed")

// Runner owns the one Chromium process every browser check shares. It
// starts the browser on the first run, starts a new one when a run finds
// it dead, and kills it on Close. It is safe for concurrent use.
type Runner struct {
	opts    Options
	root    bool          // running as root: Chromium needs --no-sandbox
	environ []string      // vigil's environment, of which the browser gets a part
	slots   chan struct{} // one token per run in progress

	// lock guards cur and closed; it is a channel so that a run waiting
	// for a browser that is being started can give up at its deadline.
	lock   chan struct{}
	cur    *process
	closed bool

	// runs is held for reading by every run, so that Close can wait for
	// them.
	runs sync.RWMutex
}

// NewRunner finds the browser and prepares its command line; the browser
// itself starts with the first run. The error is ErrNoChromium (or says
// what is wrong with $VIGIL_CHROMIUM) when there is no browser to run.
func NewRunner(opts Options) (*Runner, error) {
	if opts.ExecPath == "" {
		path, err := FindChromium(os.Getenv)
		if err != nil {
			return nil, err
		}
		opts.ExecPath = path
	}
	if opts.MaxRuns <= 0 {
		opts.MaxRuns = max(runtime.GOMAXPROCS(0), 1)
	}
	if opts.KeepScreenshots <= 0 {
		opts.KeepScreenshots = DefaultKeepScreenshots
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Runner{
		opts:    opts,
		root:    os.Geteuid() == 0,
		environ: os.Environ(),
		slots:   make(chan struct{}, opts.MaxRuns),
		lock:    make(chan struct{}, 1),
	}, nil
}

// acquire waits for a free run slot.
func (r *Runner) acquire(ctx context.Context) (release func(), err error) {
	select {
	case r.slots <- struct{}{}:
		return func() { <-r.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// browser returns the running browser, starting one when there is none
// or the last one died.
func (r *Runner) browser(ctx context.Context) (*process, error) {
	select {
	case r.lock <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-r.lock }()
	if r.closed {
		return nil, errClosed
	}
	if r.cur != nil && r.cur.alive() {
		return r.cur, nil
	}
	if r.cur != nil {
		r.opts.Logger.Warn("chromium died; starting a new one", "pid", r.cur.pid)
		r.cur.stop()
		r.cur = nil
	}
	p, err := startProcess(ctx, r.opts.ExecPath, r.root, r.environ, r.opts.Logger)
	if err != nil {
		return nil, err
	}
	r.opts.Logger.Info("chromium started", "pid", p.pid, "path", r.opts.ExecPath)
	r.cur = p
	return p, nil
}

// Close kills the browser and its children and waits for the runs in
// progress, which fail with reason browser. Runs after Close fail the
// same way. Close is safe to call more than once.
func (r *Runner) Close() error {
	r.lock <- struct{}{}
	r.closed = true
	p := r.cur
	r.cur = nil
	<-r.lock
	if p != nil {
		p.stop()
		r.opts.Logger.Info("chromium stopped", "pid", p.pid)
	}
	r.runs.Lock()
	defer r.runs.Unlock()
	return nil
}
