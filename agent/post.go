package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/vigilmon/vigil/agent/wire"
)

// verdict is what the shipper does after a try.
type verdict int

const (
	delivered verdict = iota // the server has the batch: acknowledge it
	tooLarge                 // the body is over the server's limit: split the batch
	retry                    // try the same batch again later
)

// outcome is the result of one POST.
type outcome struct {
	verdict    verdict
	receipt    wire.Receipt
	status     int           // HTTP status, 0 without an answer
	message    string        // the server's error, or the transport's
	retryAfter time.Duration // the server's Retry-After, if any
}

// maxAnswerBytes caps how much of an answer is read: a receipt listing
// every result of a large batch as refused fits.
const maxAnswerBytes = 8 << 20

// post sends one batch and sorts the answer.
func (a *Agent) post(ctx context.Context, id wire.BatchID, body []byte) outcome {
	a.requests.Add(1)
	ctx, cancel := context.WithTimeout(ctx, a.opts.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.ingest, bytes.NewReader(body))
	if err != nil {
		return outcome{verdict: retry, message: err.Error()}
	}
	req.Header.Set("Authorization", "Bearer "+a.opts.Token)
	req.Header.Set("Content-Type", wire.ContentType)
	req.Header.Set("Content-Encoding", "zstd")
	req.Header.Set(wire.HeaderBatch, id.String())
	resp, err := a.opts.Client.Do(req)
	if err != nil {
		return outcome{verdict: retry, message: err.Error()}
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	out := outcome{status: resp.StatusCode, retryAfter: retryAfter(resp.Header.Get("Retry-After"))}
	if err != nil {
		out.verdict, out.message = retry, "reading the answer: "+err.Error()
		return out
	}
	switch resp.StatusCode {
	case http.StatusOK:
		if err := json.Unmarshal(answer, &out.receipt); err != nil {
			// Stored or not, the server recognises the batch when it comes again.
			out.verdict, out.message = retry, "the answer is not a receipt: "+err.Error()
			return out
		}
		out.verdict = delivered
	case http.StatusRequestEntityTooLarge:
		out.verdict, out.message = tooLarge, errorText(answer)
	default:
		// 401 and 403 (a token an operator fixes), 404 (agents not yet
		// configured), 400 and 415 (a server older than the agent, which
		// cannot read its records), 429, 5xx: the results wait in the
		// spool until someone mends the server side. Dropping them would
		// lose a whole spool to an upgrade done in the wrong order.
		out.verdict, out.message = retry, errorText(answer)
	}
	return out
}

// errorText is the "error" of a JSON error answer, or the start of the
// answer as it is.
func errorText(answer []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(answer, &e) == nil && e.Error != "" {
		return e.Error
	}
	return string(answer[:min(len(answer), 200)])
}

// retryAfter reads a Retry-After given in seconds; 0 otherwise.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}
