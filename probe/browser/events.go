package browser

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/network"
)

// errPageCrashed ends a run whose page (its renderer process) crashed.
var errPageCrashed = errors.New("the page crashed (its renderer process died)")

// statusError is a main document that came back with an error status.
type statusError struct {
	status int
	url    string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("status %d for %s", e.status, redactURL(e.url))
}

// pageEvents watches one run's tab: the responses of its main document,
// whichever step navigated, and renderer crashes. It ends the run's steps
// at once on either, rather than letting a wait run into the timeout.
//
// handle runs on chromedp's reading goroutine: it only records and cancels.
type pageEvents struct {
	mu        sync.Mutex
	mainFrame cdp.FrameID
	status    int                     // status of the last main document, 0 before one
	url       string                  // its URL
	abort     context.CancelCauseFunc // set once by watch, before any step
}

// watch starts acting on the events of the tab whose main frame is frame,
// ending the steps with abort.
func (e *pageEvents) watch(frame cdp.FrameID, abort context.CancelCauseFunc) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.mainFrame, e.abort = frame, abort
}

// handle is the tab's event listener.
func (e *pageEvents) handle(ev any) {
	if abort, cause := e.record(ev); cause != nil {
		abort(cause)
	}
}

// record notes a main document's response and returns why the run must
// end at once, if it must, with the func that ends it.
func (e *pageEvents) record(ev any) (context.CancelCauseFunc, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.abort == nil {
		return nil, nil // the tab is still being set up
	}
	switch ev := ev.(type) {
	case *network.EventResponseReceived:
		if ev.Type != network.ResourceTypeDocument || ev.FrameID != e.mainFrame || ev.Response == nil {
			return nil, nil
		}
		e.status, e.url = int(ev.Response.Status), ev.Response.URL
		if e.status >= 400 {
			return e.abort, &statusError{status: e.status, url: e.url}
		}
	case *inspector.EventTargetCrashed:
		return e.abort, errPageCrashed
	}
	return nil, nil
}

// document returns the status and URL of the last main document.
func (e *pageEvents) document() (status int, url string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status, e.url
}
