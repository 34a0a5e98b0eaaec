package remotewrite

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"

	"github.com/hashicorp/go-retryablehttp"
)

// The protocol's headers (remote write 1.0).
const (
	remoteWriteVersion = "0.1.0"
	contentType        = "application/x-protobuf"
	contentEncoding    = "snappy"
)

// errorBodyLimit is how much of a refusal's body goes into the log: the
// backend's reason ("out of order sample", "too many series"), not a page.
const errorBodyLimit = 256

// newClient returns the retrying HTTP client of the sender. It logs
// nothing itself (its log lines would carry the URL); the Writer logs.
func (w *Writer) newClient(rt http.RoundTripper) *retryablehttp.Client {
	if rt == nil {
		rt = http.DefaultTransport.(*http.Transport).Clone()
	}
	retryMax := 0
	if w.cfg.Queue.RetryFor > 0 {
		retryMax = math.MaxInt32 // bounded by RetryFor in checkRetry
	}
	return &retryablehttp.Client{
		HTTPClient:     &http.Client{Transport: rt, Timeout: w.cfg.Timeout},
		RetryWaitMin:   w.cfg.Queue.MinBackoff,
		RetryWaitMax:   w.cfg.Queue.MaxBackoff,
		RetryMax:       retryMax,
		CheckRetry:     w.checkRetry,
		Backoff:        retryablehttp.DefaultBackoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: w.beforeAttempt,
	}
}

// send POSTs one compressed WriteRequest of n samples, retrying what the
// backend could not take. It returns nil once the backend accepted it.
func (w *Writer) send(ctx context.Context, body []byte, n int) error {
	w.inFlight, w.attempts = n, 0
	w.giveUpAt = w.clock.Now().Add(w.cfg.Queue.RetryFor)
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, w.url.String(), body)
	if err != nil {
		return RedactError(err)
	}
	w.cfg.Auth.Apply(req.Header)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Content-Encoding", contentEncoding)
	req.Header.Set("User-Agent", w.cfg.UserAgent)
	req.Header.Set("X-Prometheus-Remote-Write-Version", remoteWriteVersion)
	resp, err := w.client.Do(req)
	if err != nil {
		if resp != nil { // the error handler passes the last answer through
			resp.Body.Close()
		}
		return fmt.Errorf("after %d attempt(s): %w", w.attempts, RedactError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096)) // lets the connection be reused
		if w.attempts > 1 {
			w.logger.Info("remote write recovered", "url", w.shown, "attempts", w.attempts)
		}
		return nil
	}
	return fmt.Errorf("after %d attempt(s): HTTP %s: %s", w.attempts, resp.Status, errorBody(resp.Body))
}

// beforeAttempt counts the attempts of the request being sent, and the
// samples of every retry.
func (w *Writer) beforeAttempt(_ retryablehttp.Logger, _ *http.Request, retry int) {
	w.attempts = retry + 1
	if retry > 0 {
		w.retried.Add(uint64(w.inFlight))
	}
}

// checkRetry decides after each attempt: a connection error, a 5xx and a
// 429 are retried until RetryFor has passed since the first attempt;
// anything else is final (a 4xx means the data is refused, and sending it
// again cannot help).
func (w *Writer) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	var retry bool
	var why string
	if err != nil {
		retry, _ = retryablehttp.DefaultRetryPolicy(ctx, nil, err)
		why = RedactError(err).Error()
	} else {
		retry = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
		why = "HTTP " + resp.Status
	}
	if !retry || !w.clock.Now().Before(w.giveUpAt) {
		return false, nil
	}
	if w.attempts == 1 {
		w.logger.Warn("remote write attempt failed, retrying", "url", w.shown, "samples", w.inFlight,
			"retry_for", w.cfg.Queue.RetryFor, "err", why)
	}
	return true, nil
}

// errorBody is the start of a refusal's body on one line.
func errorBody(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, errorBodyLimit))
	s := strings.Join(strings.Fields(string(b)), " ")
	if s == "" {
		return "(no body)"
	}
	return s
}
