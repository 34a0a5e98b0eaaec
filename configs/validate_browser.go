package configs

import (
	"fmt"
	"strings"
	"time"
)

// browserActions are the keys of a browser step; a step sets exactly one.
var browserActions = []string{"navigate", "fill", "click", "wait_visible", "wait_text", "eval"}

// MinBrowserTimeout is the shortest timeout a browser check may have:
// opening a tab and loading a page in a real Chromium takes a good part of
// a second even on a fast machine, so anything shorter turns a busy prober
// into a false outage.
const MinBrowserTimeout = Duration(5 * time.Second)

// validateBrowser checks a browser check; p is the check's path.
func validateBrowser(v *collector, p string, ch *Check) {
	b, bp := ch.Browser, p+".browser"
	if len(b.Steps) == 0 {
		v.add(bp+".steps", "browser check has no steps; start with navigate: URL")
	}
	for i := range b.Steps {
		validateBrowserStep(v, fmt.Sprintf("%s.steps[%d]", bp, i), i, &b.Steps[i])
	}
	if b.Measure != nil {
		validateStepSpan(v, bp+".measure", b.Measure, len(b.Steps))
	}
	validateBrowserTimeout(v, p, ch.Timeout)
}

// validateBrowserStep checks one step: exactly one action, the first one a
// navigate, and the action's own fields. Which actions a step has is read
// from the file, so that an action written with an empty value (click: "")
// is reported as empty rather than missing.
func validateBrowserStep(v *collector, sp string, i int, s *BrowserStep) {
	var actions []string
	for _, a := range browserActions {
		if v.idx.present(sp + "." + a) {
			actions = append(actions, a)
		}
	}
	switch len(actions) {
	case 0:
		v.add(sp, "browser step has no action; write one of %s", strings.Join(browserActions, ", "))
		return
	case 1:
	default:
		v.add(sp+"."+actions[1], "browser step has %d actions (%s); a step does exactly one: split it into one step per action", len(actions), strings.Join(actions, ", "))
		return
	}
	if i == 0 && actions[0] != "navigate" {
		v.add(sp+"."+actions[0], "the first browser step is %s; start with navigate: URL so that the run opens a page", actions[0])
	}
	switch actions[0] {
	case "navigate":
		validateFetchURL(v, sp+".navigate", "navigate url", s.Navigate, "https://app.example.com/login")
	case "click":
		if strings.TrimSpace(s.Click) == "" {
			v.add(sp+".click", "click has no selector; write the CSS selector of the element to click, e.g. click: \"#login\"")
		}
	case "wait_visible":
		if strings.TrimSpace(s.WaitVisible) == "" {
			v.add(sp+".wait_visible", "wait_visible has no selector; write the CSS selector of the element that shows the screen is open, e.g. wait_visible: \"#employee-properties\"")
		}
	case "fill":
		if s.Fill == nil || strings.TrimSpace(s.Fill.Selector) == "" {
			v.add(sp+".fill.selector", "fill has no selector; write the CSS selector of the field, e.g. fill: {selector: \"#user\", value: \"${PROBE_USER}\"}")
		}
	case "wait_text":
		switch {
		case s.WaitText == nil || strings.TrimSpace(s.WaitText.Selector) == "":
			v.add(sp+".wait_text.selector", "wait_text has no selector; write the CSS selector of the element that must hold the text, e.g. wait_text: {selector: \"h1\", text: \"Employee\"}")
		case s.WaitText.Text == "":
			v.add(sp+".wait_text.text", "wait_text has no text; write the text the element must hold, or use wait_visible to wait for the element alone")
		}
	case "eval":
		if strings.TrimSpace(s.Eval) == "" {
			v.add(sp+".eval", "eval is empty; write a JavaScript expression that is true when the page is right, e.g. eval: \"document.title.includes('Employee')\"")
		}
	}
}

// validateStepSpan checks the span of steps that opens the screen.
func validateStepSpan(v *collector, p string, m *StepSpan, steps int) {
	const how = "write the span as {from: 3, to: 4}: 0-based step numbers, both included"
	for _, k := range []string{"from", "to"} {
		if !v.idx.set(p + "." + k) {
			v.add(p, "measure has no %s; %s", k, how)
			return
		}
	}
	if steps == 0 {
		return // "no steps" is reported already
	}
	for _, e := range []struct {
		key string
		val int
	}{{"from", m.From}, {"to", m.To}} {
		if e.val < 0 || e.val >= steps {
			v.add(p+"."+e.key, "measure %s %d is not a step of this check; its steps are numbered 0 to %d", e.key, e.val, steps-1)
			return
		}
	}
	if m.From > m.To {
		v.add(p+".from", "measure from %d is after to %d; from is the first measured step and to the last, e.g. {from: %d, to: %d}", m.From, m.To, m.To, m.From)
	}
}

// validateBrowserTimeout rejects a timeout too short for a real browser,
// whether the check sets it or inherits it.
func validateBrowserTimeout(v *collector, p string, timeout Duration) {
	if timeout <= 0 || timeout >= MinBrowserTimeout {
		return // a zero timeout is reported by validateTiming
	}
	if v.idx.set(p + ".timeout") {
		v.add(p+".timeout", "timeout %s is too short for a browser check: opening a tab and a page in Chromium alone takes about a second; write %s or more (the default is %s)", timeout, MinBrowserTimeout, DefaultTimeout)
		return
	}
	v.add(p, "browser check inherits timeout %s (from defaults.timeout or its interval), too short for a browser: write timeout: %s or more on this check, with an interval at least as long", timeout, DefaultTimeout)
}

// present reports whether the file has path as a key, with or without a value.
func (idx *index) present(path string) bool {
	_, ok := idx.lines[path]
	return ok
}
