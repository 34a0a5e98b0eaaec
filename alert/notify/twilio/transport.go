package twilio

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"

	twclient "github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"
)

// call is one API call: the twilio-go client for it and what its
// transport observed, which twilio-go does not report (whether the request
// was written, the HTTP status, Retry-After).
type call struct {
	api        *openapi.ApiService
	wrote      atomic.Bool
	status     atomic.Int32
	retryAfter atomic.Value // string
}

// newCall builds a twilio-go client whose requests go to the configured
// base URL and carry ctx (twilio-go v1.31 takes no context of its own).
func (n *Notifier) newCall(ctx context.Context) *call {
	c := &call{}
	rt := &rewriter{n: n, ctx: ctx, call: c}
	cl := &twclient.Client{
		Credentials: twclient.NewCredentials(n.cfg.AccountSid, n.cfg.AuthToken),
		HTTPClient: &http.Client{
			Transport: rt,
			// twilio-go's own client does not follow redirects either.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	cl.SetAccountSid(n.cfg.AccountSid)
	// A RequestHandler without Edge/Region: TWILIO_EDGE and TWILIO_REGION
	// must not move requests away from api_base_url.
	c.api = openapi.NewApiService(&twclient.RequestHandler{Client: cl})
	return c
}

// rewriter sends twilio-go's requests to the configured base URL, on the
// call's context, and records what happened.
type rewriter struct {
	n    *Notifier
	ctx  context.Context
	call *call
}

// RoundTrip implements http.RoundTripper.
func (rw *rewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	trace := &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				rw.call.wrote.Store(true)
			}
		},
	}
	ctx := httptrace.WithClientTrace(rw.ctx, trace)
	out := req.Clone(ctx)
	u := *req.URL
	base := rw.n.base
	u.Scheme, u.Host = base.Scheme, base.Host
	u.Path = strings.TrimSuffix(base.Path, "/") + req.URL.Path
	if req.URL.RawPath != "" {
		u.RawPath = strings.TrimSuffix(base.EscapedPath(), "/") + req.URL.RawPath
	}
	out.URL, out.Host = &u, ""
	resp, err := rw.n.cfg.Transport.RoundTrip(out)
	if resp != nil {
		rw.call.status.Store(int32(resp.StatusCode))
		rw.call.retryAfter.Store(resp.Header.Get("Retry-After"))
	}
	return resp, err
}

// parseRetryAfter parses a Retry-After value: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := time.ParseDuration(v + "s"); err == nil && secs >= 0 {
		return secs
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
