package browser

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// waitJS resolves once the element sel finds is ready: visible, or, when
// text is not null, showing that text. It looks at once, then after every
// change to the DOM and before every frame (for what only CSS changes),
// so it answers within a frame of the change: the end of a measured span
// is never later than that. Once ready, it acts on then:
//
//   - "point": scroll the element into view and resolve to its middle,
//     where a click lands;
//   - "clear": focus the field and empty it, input event included, so
//     that typing fills it;
//   - anything else: resolve to true.
//
// querySelector throws on a selector that is not CSS, which rejects the
// promise.
const waitJS = `(sel, text, then) => new Promise(resolve => {
	let el = null;
	const ready = () => {
		el = document.querySelector(sel);
		if (el === null) return false;
		if (text !== null) return el.innerText.includes(text);
		return (el.offsetWidth > 0 || el.offsetHeight > 0 || el.getClientRects().length > 0) &&
			getComputedStyle(el).visibility !== "hidden";
	};
	const answer = () => {
		if (then === "point") {
			el.scrollIntoViewIfNeeded(true);
			const r = el.getBoundingClientRect();
			return {x: r.left + r.width / 2, y: r.top + r.height / 2};
		}
		if (then === "clear") {
			el.focus();
			el.value = "";
			el.dispatchEvent(new Event("input", {bubbles: true}));
		}
		return true;
	};
	if (ready()) return resolve(answer());
	let done = false;
	const finish = () => { done = true; observer.disconnect(); resolve(answer()); };
	const observer = new MutationObserver(() => { if (!done && ready()) finish(); });
	observer.observe(document, {childList: true, subtree: true, attributes: true, characterData: true});
	const frame = () => { if (!done) { if (ready()) finish(); else requestAnimationFrame(frame); } };
	requestAnimationFrame(frame);
})`

// waitRetry is the pause before waiting again in a new document, after
// the page navigated away from the one a wait watched.
const waitRetry = 10 * time.Millisecond

// point is where a click lands, in CSS pixels of the viewport.
type point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// waitFor waits until the element sel finds is visible (text nil) or
// shows *text.
func waitFor(sel string, text *string) func(context.Context) error {
	textArg := "null"
	if text != nil {
		textArg = jsString(*text)
	}
	expr := fmt.Sprintf("(%s)(%s, %s, null)", waitJS, jsString(sel), textArg)
	return func(ctx context.Context) error {
		_, err := waitIn[bool](ctx, sel, expr)
		return err
	}
}

// click waits until the element sel finds is visible, then presses and
// releases the left mouse button over its middle: the page gets the
// trusted events of a real click, on whatever element is on top there.
func click(sel string) func(context.Context) error {
	expr := fmt.Sprintf(`(%s)(%s, null, "point")`, waitJS, jsString(sel))
	return func(ctx context.Context) error {
		at, err := waitIn[point](ctx, sel, expr)
		if err != nil {
			return err
		}
		return chromedp.Do(ctx, chromedp.MouseClickXY(at.X, at.Y))
	}
}

// fill waits until the field sel finds is visible, focuses and empties
// it, and types value into it key by key, like a person, so that the
// page's key and input handlers run.
func fill(sel, value string) func(context.Context) error {
	expr := fmt.Sprintf(`(%s)(%s, null, "clear")`, waitJS, jsString(sel))
	return func(ctx context.Context) error {
		if _, err := waitIn[bool](ctx, sel, expr); err != nil {
			return err
		}
		return chromedp.Do(ctx, chromedp.KeyEvent(value))
	}
}

// waitIn evaluates a waitJS expression until it resolves. A navigation
// while it waits ends the page's promise with a protocol error; it then
// waits again in the new document.
func waitIn[T any](ctx context.Context, sel, expr string) (T, error) {
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
		var exc *chromedp.ExceptionError
		switch {
		case err == nil:
			return v, nil
		case errors.As(err, &exc):
			return v, &selectorError{selector: sel, err: errors.New(exceptionText(exc))}
		case ctx.Err() != nil:
			return v, ctx.Err()
		case errors.Is(err, chromedp.ErrTargetDetached):
			return v, err // the tab is gone: no document will come
		}
		select {
		case <-ctx.Done():
			return v, ctx.Err()
		case <-time.After(waitRetry):
		}
	}
}
