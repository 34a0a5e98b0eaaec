package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/vigilmon/vigil/configs"
)

// step is one compiled action of a browser check.
type step struct {
	// label names the step for people: the action and its target, never
	// a value typed into a field (it may be a password).
	label string
	do    func(ctx context.Context) error
	// navigates marks a navigate step, whose step record gets the status
	// of the document it loaded.
	navigates bool
}

// compileSteps turns the configured steps into actions.
func compileSteps(steps []configs.BrowserStep) ([]step, error) {
	out := make([]step, len(steps))
	for i, s := range steps {
		st, err := compileStep(s)
		if err != nil {
			return nil, fmt.Errorf("step %d: %w", i, err)
		}
		out[i] = st
	}
	return out, nil
}

// compileStep turns one configured step into an action.
func compileStep(s configs.BrowserStep) (step, error) {
	set := 0
	for _, ok := range []bool{s.Navigate != "", s.Fill != nil, s.Click != "", s.WaitVisible != "", s.WaitText != nil, s.Eval != ""} {
		if ok {
			set++
		}
	}
	if set != 1 {
		return step{}, fmt.Errorf("a step sets exactly one action, this one %d", set)
	}
	switch {
	case s.Navigate != "":
		u, err := url.Parse(s.Navigate)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return step{}, errors.New("navigate needs an http or https URL")
		}
		return step{label: "navigate " + redactURL(s.Navigate), do: navigate(s.Navigate), navigates: true}, nil
	case s.Fill != nil:
		return step{label: "fill " + s.Fill.Selector, do: fill(s.Fill.Selector, s.Fill.Value)}, nil
	case s.Click != "":
		return step{label: "click " + s.Click, do: click(s.Click)}, nil
	case s.WaitVisible != "":
		return step{label: "wait_visible " + s.WaitVisible, do: waitFor(s.WaitVisible, nil)}, nil
	case s.WaitText != nil:
		return step{label: "wait_text " + s.WaitText.Selector, do: waitFor(s.WaitText.Selector, &s.WaitText.Text)}, nil
	default:
		return step{label: "eval", do: eval(s.Eval)}, nil
	}
}

// navigate loads rawURL and waits for its load event. A main document
// with an error status is caught by the run's page events, which see
// every navigation, also those a click starts.
func navigate(rawURL string) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := chromedp.Run(ctx, chromedp.NavigateResponse(rawURL))
		return err
	}
}

// eval runs a script and fails when it throws, its promise rejects, or
// its value is falsy in JavaScript's sense.
func eval(script string) func(context.Context) error {
	return func(ctx context.Context) error {
		obj, err := chromedp.Run(ctx, chromedp.Evaluate[*runtime.RemoteObject](script, chromedp.EvalAwaitPromise))
		var exc *chromedp.ExceptionError
		switch {
		case errors.As(err, &exc):
			return &evalError{msg: "the script threw " + exceptionText(exc)}
		case err != nil:
			return err
		case !truthy(obj):
			return &evalError{msg: "the script returned " + describe(obj)}
		}
		return nil
	}
}

// truthy applies JavaScript's truthiness to a value the page returned.
func truthy(o *runtime.RemoteObject) bool {
	switch o.Type {
	case runtime.RemoteObjectTypeUndefined:
		return false
	case runtime.RemoteObjectTypeBoolean:
		return string(o.Value) == "true"
	case runtime.RemoteObjectTypeString:
		var s string
		return json.Unmarshal(o.Value, &s) != nil || s != ""
	case runtime.RemoteObjectTypeNumber:
		switch o.UnserializableValue {
		case "NaN", "-0":
			return false
		case "":
			var f float64
			return json.Unmarshal(o.Value, &f) != nil || f != 0
		}
		return true // Infinity, -Infinity
	case runtime.RemoteObjectTypeBigint:
		return o.UnserializableValue != "0n"
	case runtime.RemoteObjectTypeObject:
		return o.Subtype != runtime.RemoteObjectSubtypeNull
	}
	return true // functions and symbols
}

// describe shows a falsy value the way a console would.
func describe(o *runtime.RemoteObject) string {
	switch {
	case o.Type == runtime.RemoteObjectTypeUndefined:
		return "undefined"
	case o.Subtype == runtime.RemoteObjectSubtypeNull:
		return "null"
	case o.UnserializableValue != "":
		return string(o.UnserializableValue)
	case len(o.Value) > 0:
		return string(o.Value)
	}
	return o.Description
}

// exceptionText is the message of an exception the page threw, such as
// "ReferenceError: x is not defined".
func exceptionText(e *chromedp.ExceptionError) string {
	if e.Exception != nil && e.Exception.Description != "" {
		// The description holds the stack after the first line.
		first, _, _ := strings.Cut(e.Exception.Description, "\n")
		return first
	}
	return e.Text
}

// jsString quotes s as a JavaScript string literal (JSON's is one).
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// redactURL shows a URL without what may be secret: user info, query and
// fragment.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

// evalError is an eval step that found the page wrong.
type evalError struct{ msg string }

func (e *evalError) Error() string { return e.msg }

// selectorError is a selector the browser does not accept as CSS.
type selectorError struct {
	selector string
	err      error
}

func (e *selectorError) Error() string {
	return fmt.Sprintf("selector %q is not valid CSS", e.selector)
}

func (e *selectorError) Unwrap() error { return e.err }
