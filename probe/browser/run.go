package browser

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/vigilmon/vigil/probe"
)

// afterDeadline is how long a run's tab outlives the caller's deadline, so
// that a run that timed out can still be photographed and its navigation
// timing read. The steps themselves stop at the deadline.
const afterDeadline = 3 * time.Second

// evidenceTimeout bounds reading the navigation timing and taking the
// screenshot after the steps.
const evidenceTimeout = 2 * time.Second

// Probe runs the check once: it waits for a run slot (time that is not
// part of the run), gets the shared browser (starting it if needed), opens
// a tab in a browser context of its own, and runs the steps until the
// caller's deadline. Duration is the measured span of an ok run, and the
// time until the failure of a failed one.
func (p *prober) Probe(ctx context.Context) probe.Result {
	p.r.runs.RLock()
	defer p.r.runs.RUnlock()
	release, err := p.r.acquire(ctx)
	if err != nil {
		return failedResult(probe.ReasonBrowser, "no browser run slot came free before the deadline (%d runs at a time): spread the browser checks over their interval or give them longer timeouts", p.r.opts.MaxRuns)
	}
	defer release()
	b, err := p.r.browser(ctx)
	if err != nil {
		return failedResult(probe.ReasonBrowser, "no browser for this run: %v", err)
	}
	return p.run(ctx, b)
}

// run runs the steps in a new tab of b.
func (p *prober) run(ctx context.Context, b *process) probe.Result {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(p.timeout)
	}
	tabParent, cancelTabParent := context.WithDeadline(b.ctx, deadline.Add(afterDeadline))
	defer cancelTabParent()
	// The caller cancelling (a shutdown, not its deadline) ends the tab at once.
	stopCancel := context.AfterFunc(ctx, func() {
		if errors.Is(ctx.Err(), context.Canceled) {
			cancelTabParent()
		}
	})
	defer stopCancel()

	events := &pageEvents{}
	tabCtx, closeTab := chromedp.NewContext(tabParent, chromedp.WithNewBrowserContext(), chromedp.WithListener(events.handle))
	defer closeTab()
	if err := chromedp.Do(tabCtx); err != nil {
		if !b.alive() {
			return failedResult(probe.ReasonBrowser, "the browser died while opening a tab%s", exitDetail(err))
		}
		return failedResult(probe.ReasonBrowser, "open a tab: %v", err)
	}
	stepCtx, cancelSteps := context.WithDeadline(tabCtx, deadline)
	defer cancelSteps()
	stepCtx, abort := context.WithCancelCause(stepCtx)
	defer abort(nil)
	events.watch(cdp.FrameID(chromedp.FromContext(tabCtx).Target.TargetID), abort)

	res, err := p.runSteps(ctx, stepCtx, b, events)
	status, docURL := events.document()
	var load *chromedp.LoadError
	if !errors.As(err, &load) {
		// The status of the document on screen; after a navigation that
		// got no answer, that would be the previous page's.
		res.Status = status
	}
	if b.alive() && !errors.Is(context.Cause(stepCtx), errPageCrashed) {
		p.gatherEvidence(tabCtx, &res, docURL)
	}
	return res
}

// runSteps runs the steps in order and makes the result: the measured span
// when all pass, else the failure of the first that did not, whose error
// it returns too.
func (p *prober) runSteps(ctx, stepCtx context.Context, b *process, events *pageEvents) (probe.Result, error) {
	start := time.Now()
	res := probe.Result{Start: start.UTC(), Steps: make([]probe.Step, 0, len(p.steps))}
	var measureFrom time.Time
	for i, s := range p.steps {
		t0 := time.Now()
		err := s.do(stepCtx)
		t1 := time.Now()
		if i == p.from {
			measureFrom = t0
		}
		rec := probe.Step{Name: s.label, Duration: t1.Sub(t0), OK: err == nil, Measured: p.measured(i)}
		if s.navigates && err == nil {
			rec.Status, _ = events.document()
		}
		if err != nil {
			reason, msg := classify(ctx, stepCtx, b, err, t1.Sub(start))
			rec.Message = msg
			res.Steps = append(res.Steps, rec)
			res.Duration = t1.Sub(start)
			res.Reason, res.Message = reason, fmt.Sprintf("%s at step %d (%s)", msg, i, s.label)
			return res, err
		}
		res.Steps = append(res.Steps, rec)
		if i == p.to {
			res.Duration = t1.Sub(measureFrom)
		}
	}
	res.OK = true
	return res, nil
}

// gatherEvidence reads the navigation timing of the page and, for a
// failed run, keeps a screenshot. It runs after the steps, in the tab's
// time beyond the deadline, so it never counts towards the duration.
func (p *prober) gatherEvidence(tabCtx context.Context, res *probe.Result, docURL string) {
	ctx, cancel := context.WithTimeout(tabCtx, evidenceTimeout)
	defer cancel()
	res.Phases = navigationPhases(ctx, docURL)
	if res.OK || p.shots == nil {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.r.opts.Logger.Warn("no screenshot of a failed browser run", "check", p.check, "err", err)
		return
	}
	name, err := p.shots.save(png)
	if err != nil {
		p.r.opts.Logger.Warn("browser screenshot", "check", p.check, "err", err)
	}
	res.Screenshot = name
}

// classify maps the error that ended a step to a failure reason and a
// message. The order matters: what the page events saw (an error status,
// a crash) and a dead browser explain the errors they cause, and the
// deadline comes after a network error that happened before it.
func classify(ctx, stepCtx context.Context, b *process, err error, elapsed time.Duration) (probe.Reason, string) {
	cause := context.Cause(stepCtx)
	var (
		status *statusError
		load   *chromedp.LoadError
		eval   *evalError
		sel    *selectorError
	)
	switch {
	case errors.As(cause, &status):
		return probe.ReasonStatus, status.Error()
	case errors.Is(cause, errPageCrashed):
		return probe.ReasonBrowser, errPageCrashed.Error()
	case !b.alive():
		return probe.ReasonBrowser, "the browser died" + exitDetail(err)
	case errors.As(err, &load):
		return netReason(load.ErrorText), load.ErrorText
	case errors.Is(ctx.Err(), context.Canceled):
		return probe.ReasonTimeout, "probe cancelled"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(stepCtx.Err(), context.DeadlineExceeded):
		return probe.ReasonTimeout, fmt.Sprintf("timeout after %s", elapsed.Round(time.Millisecond))
	case errors.As(err, &eval):
		return probe.ReasonAssertion, eval.Error()
	case errors.As(err, &sel):
		return probe.ReasonConfig, sel.Error()
	case errors.Is(err, chromedp.ErrTargetDetached):
		return probe.ReasonBrowser, "the tab was closed"
	}
	return probe.ReasonBrowser, err.Error()
}

// exitDetail is " (signal: killed)", how the browser process ended, when
// err carries it, else "".
func exitDetail(err error) string {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return " (" + exit.Error() + ")"
	}
	return ""
}
