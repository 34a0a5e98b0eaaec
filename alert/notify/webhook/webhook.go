package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/vigilmon/vigil/alert/notify"
)

// Headers vigil sets on every delivery.
const (
	HeaderSignature = "X-Vigil-Signature"
	HeaderTimestamp = "X-Vigil-Timestamp"
	HeaderDelivery  = "X-Vigil-Delivery"
	HeaderEvent     = "X-Vigil-Event"
)

// Config configures the channel.
type Config struct {
	// Secrets maps each configured webhook URL (the recipient) to its
	// signing secret.
	Secrets map[string]string
	// Timeout bounds one attempt; default 10 s.
	Timeout time.Duration
	// RetryMax bounds in-process retries; default 2.
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the wait between them; default
	// 200 ms and 5 s. A longer Retry-After goes back to the worker.
	RetryWaitMin, RetryWaitMax time.Duration
	// Transport carries requests; default a clone of http.DefaultTransport.
	Transport http.RoundTripper
	// Logger gets one line per failed delivery; default discards.
	Logger *slog.Logger
	// Now is the clock for the timestamp header; default time.Now.
	Now func() time.Time
}

// Notifier delivers webhooks. It is safe for concurrent use.
type Notifier struct {
	cfg    Config
	client *retryablehttp.Client
	logger *slog.Logger
}

// New returns a Notifier.
func New(cfg Config) *Notifier {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = 2
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = 200 * time.Millisecond
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = 5 * time.Second
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport: cfg.Transport,
			Timeout:   cfg.Timeout,
			// A redirect could send the signed payload elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     cfg.RetryMax,
		CheckRetry:   checkRetry(cfg.RetryWaitMax),
		Backoff:      retryablehttp.DefaultBackoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return &Notifier{cfg: cfg, client: c, logger: cfg.Logger.With("channel", "webhook")}
}

// checkRetry retries connection errors, and 429/503 whose Retry-After is
// present and at most max; nothing else.
func checkRetry(max time.Duration) retryablehttp.CheckRetry {
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if err != nil {
			return true, nil
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
			return ok && d <= max, nil
		}
		return false, nil
	}
}

// Sign returns the X-Vigil-Signature value for body under secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Payload is what is posted when a message carries no payload of its own.
type Payload struct {
	ID    int64  `json:"id"`
	Event string `json:"event"`
	Text  string `json:"text"`
}

// Notify delivers m to m.Recipient. A failure is a *notify.Failure.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (notify.Receipt, error) {
	target := redact(m.Recipient)
	secret, ok := n.cfg.Secrets[m.Recipient]
	if !ok {
		return notify.Receipt{}, &notify.Failure{Err: fmt.Errorf("webhook %s: not configured (no secret): add it to alerting.webhooks", target)}
	}
	body := m.Payload
	if body == nil {
		var err error
		if body, err = json.Marshal(Payload{ID: m.ID, Event: m.Event, Text: m.Text}); err != nil {
			return notify.Receipt{}, &notify.Failure{Err: fmt.Errorf("webhook %s: encode payload: %w", target, err)}
		}
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, m.Recipient, body)
	if err != nil {
		return notify.Receipt{}, &notify.Failure{Err: fmt.Errorf("webhook %s: %s", target, "bad URL: fix alerting.webhooks")}
	}
	delivery := strconv.FormatInt(m.ID, 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "vigil-webhook/1")
	req.Header.Set(HeaderDelivery, delivery)
	req.Header.Set(HeaderEvent, m.Event)
	req.Header.Set(HeaderSignature, Sign(secret, body))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(n.cfg.Now().Unix(), 10))
	resp, err := n.client.Do(req)
	if resp != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}
	if err == nil && resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return notify.Receipt{ProviderID: "delivery-" + delivery, Status: strconv.Itoa(resp.StatusCode)}, nil
	}
	f := classify(resp, err)
	f.Err = fmt.Errorf("webhook %s: %w", target, f.Err)
	n.logger.WarnContext(ctx, "webhook not delivered", "id", m.ID, "url", target, "retry", f.Retry, "permanent", f.Permanent, "err", f.Err)
	return notify.Receipt{}, f
}

// classify turns a failed delivery into a Failure.
func classify(resp *http.Response, err error) *notify.Failure {
	if resp == nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // its text repeats the URL, which may hold userinfo
		}
		return &notify.Failure{Retry: true, Err: fmt.Errorf("no answer: %w", err)}
	}
	code := resp.StatusCode
	switch {
	case code == http.StatusGone:
		return &notify.Failure{Permanent: true, Code: code, Err: fmt.Errorf("HTTP %d: receiver is gone", code)}
	case code == http.StatusTooManyRequests || code >= 500:
		d, _ := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		return &notify.Failure{Retry: true, RetryAfter: d, Code: code, Err: fmt.Errorf("HTTP %d", code)}
	}
	return &notify.Failure{Code: code, Err: fmt.Errorf("HTTP %d: rejected", code)}
}

// retryAfter parses Retry-After: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// redact returns u without its password, for messages.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}

// Verify reports whether signature is body's X-Vigil-Signature under
// secret, for receivers written in Go and for tests.
func Verify(secret string, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(signature))
}
