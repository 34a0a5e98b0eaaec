package browser

import (
	"fmt"
	"os"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/probe"
)

// prober runs one browser check in the Runner's browser.
type prober struct {
	r        *Runner
	check    string
	steps    []step
	from, to int // the measured span, both included
	// timeout bounds a run whose caller set no deadline (the caller owns
	// the deadline; this only keeps a careless caller from hanging).
	timeout time.Duration
	shots   *screenshots // nil keeps no screenshots
}

// Prober builds the prober of a validated browser check. Failed runs keep
// a screenshot in screenshotDir, which is created when missing; "" keeps
// none. The probers share the Runner's browser and its run slots.
func (r *Runner) Prober(c configs.Check, screenshotDir string) (probe.Prober, error) {
	b := c.Browser
	if b == nil {
		return nil, fmt.Errorf("check %q is not a browser check", c.Name)
	}
	if !validCheckName(c.Name) {
		return nil, fmt.Errorf("check name %q is not usable in a screenshot name: use a-z, 0-9, _ and -", c.Name)
	}
	if len(b.Steps) == 0 {
		return nil, fmt.Errorf("browser check %q has no steps", c.Name)
	}
	steps, err := compileSteps(b.Steps)
	if err != nil {
		return nil, fmt.Errorf("browser check %q: %w", c.Name, err)
	}
	p := &prober{r: r, check: c.Name, steps: steps, from: 0, to: len(steps) - 1, timeout: c.Timeout.D()}
	if m := b.Measure; m != nil {
		if m.From < 0 || m.To >= len(steps) || m.From > m.To {
			return nil, fmt.Errorf("browser check %q: measure {from: %d, to: %d} is not a span of its %d steps", c.Name, m.From, m.To, len(steps))
		}
		p.from, p.to = m.From, m.To
	}
	if p.timeout <= 0 {
		p.timeout = configs.DefaultTimeout.D()
	}
	if screenshotDir != "" {
		if err := os.MkdirAll(screenshotDir, 0o750); err != nil {
			return nil, fmt.Errorf("screenshot directory: %w", err)
		}
		p.shots = &screenshots{dir: screenshotDir, check: c.Name, keep: r.opts.KeepScreenshots, clock: r.opts.Clock}
	}
	return p, nil
}

// measured reports whether step i is part of the measured span.
func (p *prober) measured(i int) bool { return i >= p.from && i <= p.to }

// failedResult is a run that never reached its steps.
func failedResult(reason probe.Reason, format string, args ...any) probe.Result {
	return probe.Result{Start: time.Now().UTC(), Reason: reason, Message: fmt.Sprintf(format, args...)}
}
