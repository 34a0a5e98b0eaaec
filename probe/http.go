package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/vigilmon/vigil/configs"
)

// maxRedirects is how many redirects a probe follows before failing with
// ReasonProtocol, as browsers and net/http do.
const maxRedirects = 10

// errTooManyRedirects ends a redirect loop.
var errTooManyRedirects = fmt.Errorf("stopped after %d redirects", maxRedirects)

// httpSender sends requests and judges responses the way one
// configs.HTTPProbe says: its transport (a fresh connection per request,
// its TLS settings, its redirect policy), its body limit and its
// expectations. The http probe sends one fixed request with it; a screen
// step sends one built at run time.
type httpSender struct {
	client  *http.Client
	maxBody int64
	expect  httpExpect
	// hideURL keeps the request URL out of failure messages: a screen
	// step's URL may carry values it extracted, such as tokens, and the
	// step's name already says which request failed.
	hideURL bool
}

// httpProber requests one URL and judges the response.
type httpProber struct {
	sender  *httpSender
	request *http.Request // template: shared, read-only; each probe copies it with its context
	body    string        // request body, or "" for none
}

// newHTTP builds an HTTP prober and its own transport. resolver is nil for
// the system resolver; tests pass one that asks a local DNS server.
func newHTTP(c *configs.HTTPProbe, resolver *net.Resolver) (*httpProber, error) {
	req, body, err := requestTemplate(c, UserAgent)
	if err != nil {
		return nil, err
	}
	sender, err := newHTTPSender(c, resolver)
	if err != nil {
		return nil, err
	}
	return &httpProber{sender: sender, request: req, body: body}, nil
}

// newHTTPSender builds the transport, loads the CA file and compiles the
// expectations of c; c's URL, headers and body are not looked at.
func newHTTPSender(c *configs.HTTPProbe, resolver *net.Resolver) (*httpSender, error) {
	tlsCfg, err := tlsClientConfig(c.TLS, "")
	if err != nil {
		return nil, err
	}
	expect, err := compileExpect(c.Expect)
	if err != nil {
		return nil, err
	}
	dialer := newDialer(resolver)
	transport := &http.Transport{
		Proxy: nil, // probes measure the path customers take, not a proxy
		DialContext: func(ctx context.Context, network, address string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, address)
			if err != nil {
				return nil, err
			}
			return stampConn(c), nil
		},
		TLSClientConfig:   tlsCfg,
		DisableKeepAlives: true, // every probe measures a fresh connection
		// Small buffers: a probe reads one response per connection, and the
		// default 4 KiB pair per connection was half of a probe's garbage.
		ReadBufferSize:    1 << 10,
		WriteBufferSize:   1 << 10,
		ForceAttemptHTTP2: false,
		// No TLSHandshakeTimeout or ResponseHeaderTimeout: the context
		// carries the probe's deadline.
	}
	follow := c.FollowRedirects == nil || *c.FollowRedirects
	client := &http.Client{
		Transport: transport,
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if !follow {
				return http.ErrUseLastResponse
			}
			if len(via) >= maxRedirects {
				return errTooManyRedirects
			}
			return nil
		},
	}
	maxBody := int64(c.MaxBodyBytes)
	if maxBody <= 0 {
		maxBody = 10 << 20
	}
	return &httpSender{client: client, maxBody: maxBody, expect: expect}, nil
}

// requestTemplate builds the request every probe copies: method, URL,
// headers (userAgent unless c sets its own, Content-Type for forms, Host)
// and the body text.
func requestTemplate(c *configs.HTTPProbe, userAgent string) (*http.Request, string, error) {
	u, err := url.Parse(c.URL)
	if err != nil {
		return nil, "", fmt.Errorf("parse url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, "", fmt.Errorf("parse url %q: scheme must be http or https", c.URL)
	}
	method := c.Method
	if method == "" {
		method = http.MethodGet
	}
	body := c.Body
	header := make(http.Header, len(c.Headers)+2)
	if body == "" && len(c.Form) > 0 {
		form := make(url.Values, len(c.Form))
		for k, v := range c.Form {
			form.Set(k, v)
		}
		body = form.Encode()
		header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	header.Set("User-Agent", userAgent)
	for k, v := range c.Headers {
		header.Set(k, v)
	}
	req, err := http.NewRequest(method, u.String(), nil)
	if err != nil {
		return nil, "", fmt.Errorf("build request: %w", err)
	}
	if h := header.Get("Host"); h != "" {
		req.Host = h
		header.Del("Host")
	}
	req.Header = header
	return req, body, nil
}

// Probe runs one request and judges it.
func (p *httpProber) Probe(ctx context.Context) Result {
	r, resp := p.sender.send(ctx, p.sender.client, p.request, p.body, false)
	if !resp.received {
		return r
	}
	defer releaseBuffer(resp.body)
	p.sender.judge(&r, resp.body, resp.n)
	return r
}

// httpResponse is what send leaves of a response for judging and for a
// screen step's extractions.
type httpResponse struct {
	received bool          // a whole response arrived; false when r is already failed
	header   http.Header   // the final response's, Set-Cookie included
	url      *url.URL      // the final request's URL, after redirects
	body     *bytes.Buffer // pooled (see releaseBuffer); nil unless needed
	n        int64         // body bytes read, up to maxBody+1
}

// send runs one request: a copy of tmpl with ctx, carrying body, through
// client (s.client, or a copy of it with a cookie jar). The body's bytes
// are kept when the expectations or keepBody ask for them. The Result has
// Start, Duration, Phases and Status; when no whole response arrived it is
// failed (the transport's or the read's error, classified) and
// resp.received is false. Judging is left to the caller.
func (s *httpSender) send(ctx context.Context, client *http.Client, tmpl *http.Request, body string, keepBody bool) (Result, httpResponse) {
	r, t0 := begin()
	trace := newRoundTripTrace()
	req := tmpl.WithContext(httptrace.WithClientTrace(ctx, &trace.trace))
	if body != "" {
		req.Body = io.NopCloser(strings.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { // a redirect that keeps the body resends it
			return io.NopCloser(strings.NewReader(body)), nil
		}
		req.ContentLength = int64(len(body))
	}
	resp, err := client.Do(req)
	if err != nil {
		r.Duration = time.Since(t0)
		var ue *url.Error
		if s.hideURL && errors.As(err, &ue) {
			err = ue.Err
		}
		ph, phase, inTLS := trace.finish(t0.Add(r.Duration))
		r.Phases = ph
		setFailure(ctx, &r, err, inTLS, phase)
		return r, httpResponse{}
	}
	r.Status = resp.StatusCode
	buf, n, err := s.readBody(resp.Body, keepBody || s.expect.needsBody())
	_ = resp.Body.Close() // the connection is not reused; the read already told us what we need
	end := time.Now()
	r.Phases, _, _ = trace.finish(end)
	r.Duration = r.Phases.total() // see roundTripTrace: the network's and the target's time
	if err != nil || r.Duration <= 0 {
		r.Duration = end.Sub(t0) // a failure lasts until it is seen, as the others do
	}
	if err != nil {
		releaseBuffer(buf)
		setFailure(ctx, &r, fmt.Errorf("read body: %w", err), false, "transfer")
		return r, httpResponse{}
	}
	return r, httpResponse{received: true, header: resp.Header, url: resp.Request.URL, body: buf, n: n}
}

// judge applies the expectations in order: status, size, body, duration.
func (s *httpSender) judge(r *Result, body *bytes.Buffer, n int64) {
	r.OK = true
	switch {
	case !s.expect.statusOK(r.Status):
		setFailuref(r, ReasonStatus, "status %d, expected %s", r.Status, s.expect.statusWanted())
		return
	case n > s.maxBody:
		setFailuref(r, ReasonSize, "body larger than max_body_bytes (%d bytes)", s.maxBody)
		return
	}
	if body != nil {
		if s.expect.judgeBody(r, body.Bytes()); !r.OK {
			return
		}
	}
	if limit := s.expect.maxDuration; limit > 0 && r.Duration > limit {
		setFailuref(r, ReasonAssertion, "took %s, more than max_duration %s",
			r.Duration.Round(time.Millisecond), limit)
	}
}

// readBody reads at most maxBody+1 bytes: into a pooled buffer when keep
// is set, otherwise only counting. n > maxBody means the body is over its
// limit.
func (s *httpSender) readBody(r io.Reader, keep bool) (buf *bytes.Buffer, n int64, err error) {
	limited := &io.LimitedReader{R: r, N: s.maxBody + 1}
	if !keep {
		n, err = io.Copy(io.Discard, limited)
		return nil, n, err
	}
	buf = bufferPool.Get().(*bytes.Buffer)
	buf.Reset()
	n, err = buf.ReadFrom(limited)
	return buf, n, err
}

// bufferPool holds body buffers between probes.
var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// releaseBuffer returns buf to the pool unless it grew too large to keep.
func releaseBuffer(buf *bytes.Buffer) {
	if buf == nil || buf.Cap() > 1<<20 {
		return
	}
	bufferPool.Put(buf)
}
