package probe

import (
	"bytes"
	"context"
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

// httpProber requests one URL and judges the response.
type httpProber struct {
	client  *http.Client
	request *http.Request // template: shared, read-only; each probe copies it with its context
	body    string        // request body, or "" for none
	maxBody int64
	expect  httpExpect
}

// newHTTP builds an HTTP prober and its own transport. resolver is nil for
// the system resolver; tests pass one that asks a local DNS server.
func newHTTP(c *configs.HTTPProbe, resolver *net.Resolver) (*httpProber, error) {
	req, body, err := requestTemplate(c)
	if err != nil {
		return nil, err
	}
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
		Proxy:             nil, // probes measure the path customers take, not a proxy
		DialContext:       dialer.DialContext,
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
	return &httpProber{client: client, request: req, body: body, maxBody: maxBody, expect: expect}, nil
}

// requestTemplate builds the request every probe copies: method, URL,
// headers (User-Agent, Content-Type for forms, Host) and the body text.
func requestTemplate(c *configs.HTTPProbe) (*http.Request, string, error) {
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
	header.Set("User-Agent", UserAgent)
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
	r, t0 := begin()
	trace := newRoundTripTrace()
	req := p.request.WithContext(httptrace.WithClientTrace(ctx, &trace.trace))
	if p.body != "" {
		req.Body = io.NopCloser(strings.NewReader(p.body))
		req.GetBody = p.getBody
		req.ContentLength = int64(len(p.body))
	}
	resp, err := p.client.Do(req)
	if err != nil {
		r.Duration = time.Since(t0)
		ph, phase, inTLS := trace.finish(t0.Add(r.Duration))
		r.Phases = ph
		setFailure(ctx, &r, err, inTLS, phase)
		return r
	}
	r.Status = resp.StatusCode
	body, n, err := p.readBody(resp.Body)
	_ = resp.Body.Close() // the connection is not reused; the read already told us what we need
	end := time.Now()
	r.Duration = end.Sub(t0)
	r.Phases, _, _ = trace.finish(end)
	defer releaseBuffer(body)
	if err != nil {
		setFailure(ctx, &r, fmt.Errorf("read body: %w", err), false, "transfer")
		return r
	}
	p.judge(&r, body, n)
	return r
}

// judge applies the expectations in order: status, size, body, duration.
func (p *httpProber) judge(r *Result, body *bytes.Buffer, n int64) {
	r.OK = true
	switch {
	case !p.expect.statusOK(r.Status):
		setFailuref(r, ReasonStatus, "status %d, expected %s", r.Status, p.expect.statusWanted())
		return
	case n > p.maxBody:
		setFailuref(r, ReasonSize, "body larger than max_body_bytes (%d bytes)", p.maxBody)
		return
	}
	if body != nil {
		if p.expect.judgeBody(r, body.Bytes()); !r.OK {
			return
		}
	}
	if limit := p.expect.maxDuration; limit > 0 && r.Duration > limit {
		setFailuref(r, ReasonAssertion, "took %s, more than max_duration %s",
			r.Duration.Round(time.Millisecond), limit)
	}
}

// getBody lets net/http resend the body on a redirect that keeps it.
func (p *httpProber) getBody() (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader(p.body)), nil
}

// readBody reads at most maxBody+1 bytes: into a pooled buffer when an
// expectation needs them, otherwise only counting. n > maxBody means the
// body is over its limit.
func (p *httpProber) readBody(r io.Reader) (buf *bytes.Buffer, n int64, err error) {
	limited := &io.LimitedReader{R: r, N: p.maxBody + 1}
	if !p.expect.needsBody() {
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
