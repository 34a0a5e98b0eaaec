package browser

import (
	"context"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigilmon/vigil/probe"
)

// navigationEntryJS reads the Navigation Timing entry of the current
// document (toJSON: its fields are getters, which a plain copy misses).
const navigationEntryJS = `(performance.getEntriesByType("navigation")[0] || null)?.toJSON() ?? null`

// navigationEntry is the part of a PerformanceNavigationTiming that makes
// the phases; times are milliseconds since the navigation started, and 0
// for a step that did not happen (a reused connection has no DNS).
type navigationEntry struct {
	Name                  string  `json:"name"`
	DomainLookupStart     float64 `json:"domainLookupStart"`
	DomainLookupEnd       float64 `json:"domainLookupEnd"`
	ConnectStart          float64 `json:"connectStart"`
	SecureConnectionStart float64 `json:"secureConnectionStart"`
	ConnectEnd            float64 `json:"connectEnd"`
	RequestStart          float64 `json:"requestStart"`
	ResponseStart         float64 `json:"responseStart"`
	ResponseEnd           float64 `json:"responseEnd"`
}

// navigationPhases reads the phases of the page's last navigation. It
// returns nil when the tab shows no document of docURL (an error page of
// the browser, or about:blank).
func navigationPhases(ctx context.Context, docURL string) *probe.Phases {
	if docURL == "" {
		return nil
	}
	e, err := chromedp.Run(ctx, chromedp.Evaluate[*navigationEntry](navigationEntryJS))
	if err != nil || e == nil || e.Name != docURL {
		return nil
	}
	return e.phases()
}

// phases splits the entry the way the HTTP probe does: TLS out of connect,
// TTFB from the request to the first byte, transfer to the last.
func (e *navigationEntry) phases() *probe.Phases {
	connectEnd := e.ConnectEnd
	var tls time.Duration
	if e.SecureConnectionStart > 0 {
		tls = span(e.SecureConnectionStart, e.ConnectEnd)
		connectEnd = e.SecureConnectionStart
	}
	return &probe.Phases{
		DNS:      span(e.DomainLookupStart, e.DomainLookupEnd),
		Connect:  span(e.ConnectStart, connectEnd),
		TLS:      tls,
		TTFB:     span(e.RequestStart, e.ResponseStart),
		Transfer: span(e.ResponseStart, e.ResponseEnd),
	}
}

// span is the time from mark a to mark b (milliseconds) as a Duration,
// never negative.
func span(a, b float64) time.Duration {
	if b <= a {
		return 0
	}
	return time.Duration((b - a) * float64(time.Millisecond))
}
