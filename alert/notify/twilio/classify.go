package twilio

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	twclient "github.com/twilio/twilio-go/client"

	"github.com/vigilmon/vigil/alert/notify"
)

// PermanentCodes are Twilio error codes that mean this recipient cannot
// receive SMS from us: the outbox deactivates it and never retries.
var PermanentCodes = map[int]string{
	21211: "invalid 'To' number",
	21217: "phone number does not appear to be valid",
	21408: "sending to this region is not enabled",
	21610: "recipient unsubscribed (replied STOP)",
	21612: "'To' not reachable via SMS from this sender",
	21614: "'To' is not a mobile number",
}

// classify turns a failed API call into a notify.Failure whose text is
// free of secrets. The order matters: rate limits first, then permanent
// recipient errors, then anything that may have been accepted.
func (n *Notifier) classify(c *call, err error, now time.Time) *notify.Failure {
	status := int(c.status.Load())
	ra, _ := c.retryAfter.Load().(string)
	f := &notify.Failure{}
	var rest *twclient.TwilioRestError
	if errors.As(err, &rest) {
		if rest.Status != 0 {
			status = rest.Status
		}
		f.Code = rest.Code
	}
	switch {
	case status == http.StatusTooManyRequests || f.Code == 20429:
		f.Retry, f.RetryAfter = true, parseRetryAfter(ra, now)
	case f.Code != 0 && PermanentCodes[f.Code] != "":
		f.Permanent = true
	case status >= 500:
		// The request arrived; Twilio may have queued the message.
		f.Uncertain = true
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		// Wrong credentials or a suspended account: nothing was sent and
		// the operator can fix it; keep the message.
		f.Retry = true
	case status >= 400:
		// Rejected for good (a body Twilio refuses, a bad From); the
		// recipient is not to blame.
	case status >= 200 && status < 300:
		// Accepted, but the answer could not be read.
		f.Uncertain = true
	case !c.wrote.Load():
		// No connection or the request never left: safe to send again.
		f.Retry = true
	default:
		// Written, then a timeout or a dropped connection: it may have
		// been accepted.
		f.Uncertain = true
	}
	f.Err = n.clean(fmt.Errorf("twilio: %s: %w", describe(f, status), err))
	return f
}

// describe names a failure's class for its message.
func describe(f *notify.Failure, status int) string {
	switch {
	case f.Retry && f.RetryAfter > 0:
		return fmt.Sprintf("retry after %s (HTTP %d)", f.RetryAfter, status)
	case f.Retry && status != 0:
		return fmt.Sprintf("retry later (HTTP %d)", status)
	case f.Retry:
		return "not sent, retry later"
	case f.Permanent:
		return fmt.Sprintf("recipient cannot receive SMS (%d: %s)", f.Code, PermanentCodes[f.Code])
	case f.Uncertain && status != 0:
		return fmt.Sprintf("may have been accepted (HTTP %d)", status)
	case f.Uncertain:
		return "may have been accepted (no answer after the request was sent)"
	}
	return fmt.Sprintf("rejected (HTTP %d, code %d)", status, f.Code)
}
