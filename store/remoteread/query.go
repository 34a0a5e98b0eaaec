package remoteread

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/vigilmon/vigil/store/remotewrite"
)

// The series Observations reads: without and with the details of the
// latency objectives.
var (
	seriesPlain   = []string{remotewrite.MetricSuccess, remotewrite.MetricInterval}
	seriesDetails = []string{remotewrite.MetricSuccess, remotewrite.MetricInterval, remotewrite.MetricDuration, remotewrite.MetricFailure}
)

// selector is the series selector of check's series: those of the
// latency objectives' checks with details, the others without.
func selector(check string, details bool) string {
	names := seriesPlain
	if details {
		names = seriesDetails
	}
	// PromQL strings take Go's escapes; regex matchers are anchored.
	return fmt.Sprintf("{%s=~%s,%s=%s}", remotewrite.LabelName, strconv.Quote(strings.Join(names, "|")),
		remotewrite.LabelCheck, strconv.Quote(check))
}

// newClient returns the retrying HTTP client of the queries: a
// connection error, a 5xx or a 429 is tried again a few times.
func newClient(rt http.RoundTripper, c Config) *retryablehttp.Client {
	if rt == nil {
		rt = http.DefaultTransport.(*http.Transport).Clone()
	}
	return &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: rt, Timeout: c.Timeout},
		RetryWaitMin: retryWaitMin,
		RetryWaitMax: retryWaitMax,
		RetryMax:     retries,
		CheckRetry:   retryablehttp.DefaultRetryPolicy,
		Backoff:      retryablehttp.DefaultBackoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// query returns the raw samples of sel with timestamps in [start, end]
// (milliseconds): the range selector's window ends at end and reaches
// back to start, and a backend whose window includes its left edge gives
// one millisecond more, which the caller's bounds drop.
func (r *Reader) query(ctx context.Context, sel string, start, end int64) ([]matrixSeries, error) {
	q := fmt.Sprintf("%s[%dms]", sel, end-start+1)
	form := url.Values{"query": {q}, "time": {formatSeconds(end)}}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, r.url.String(), []byte(form.Encode()))
	if err != nil {
		return nil, remotewrite.RedactError(err)
	}
	r.cfg.Auth.Apply(req.Header)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", r.cfg.UserAgent)
	resp, err := r.client.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, fmt.Errorf("query %s: %w", r.shown, remotewrite.RedactError(err))
	}
	defer resp.Body.Close()
	var qr queryResponse
	decodeErr := json.NewDecoder(resp.Body).Decode(&qr)
	switch {
	case resp.StatusCode/100 != 2:
		why := qr.Error
		if decodeErr != nil || why == "" {
			why = "no Prometheus API error in the answer"
		}
		hint := ""
		if resp.StatusCode == http.StatusUnprocessableEntity || resp.StatusCode == http.StatusRequestEntityTooLarge ||
			strings.Contains(why, "limit") || strings.Contains(why, "too many") {
			hint = "; if a sample limit was hit, lower remote_read.chunk"
		}
		return nil, fmt.Errorf("query %s for %s: HTTP %s: %s%s", r.shown, q, resp.Status, why, hint)
	case decodeErr != nil:
		return nil, fmt.Errorf("query %s for %s: read the answer: %w", r.shown, q, decodeErr)
	case qr.Status != "success":
		return nil, fmt.Errorf("query %s for %s: status %q: %s", r.shown, q, qr.Status, qr.Error)
	case qr.IsPartial:
		return nil, fmt.Errorf("query %s for %s: the backend answered with partial data (some storage nodes missing); try again when it is whole", r.shown, q)
	case len(qr.Warnings) > 0:
		return nil, fmt.Errorf("query %s for %s: the backend warned: %s; a report needs complete data", r.shown, q, strings.Join(qr.Warnings, "; "))
	case qr.Data.ResultType != "matrix":
		return nil, fmt.Errorf("query %s for %s: %w", r.shown, q, errNotMatrix)
	}
	return qr.Data.Result, nil
}

// formatSeconds writes Unix milliseconds as the API's decimal seconds.
func formatSeconds(ms int64) string {
	sign := ""
	if ms < 0 {
		sign, ms = "-", -ms
	}
	return fmt.Sprintf("%s%d.%03d", sign, ms/1000, ms%1000)
}
