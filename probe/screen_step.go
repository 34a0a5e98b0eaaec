package probe

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/vigilmon/vigil/configs"
)

// screenStep is one request of a screen, compiled: its transport and
// expectations (an httpSender), the templates of its request, and what it
// extracts from the response.
type screenStep struct {
	name      string
	measured  bool
	sender    *httpSender
	method    string
	userAgent string
	url       *template.Template
	headers   []namedTemplate
	form      []namedTemplate
	body      *template.Template // nil for no body
	extract   []extractor
	keepBody  bool // an extraction reads the body
}

// namedTemplate is a header or form field whose value is a template.
type namedTemplate struct {
	name  string
	value *template.Template
}

// newScreenStep compiles one step.
func newScreenStep(c *configs.ScreenStep, resolver *net.Resolver, userAgent string) (*screenStep, error) {
	if c.HTTP == nil {
		return nil, fmt.Errorf("no http request")
	}
	sender, err := newHTTPSender(c.HTTP, resolver)
	if err != nil {
		return nil, err
	}
	sender.hideURL = true
	s := &screenStep{name: c.Name, sender: sender, method: c.HTTP.Method, userAgent: userAgent}
	if s.url, err = configs.ParseStepTemplate("url", c.HTTP.URL); err != nil {
		return nil, err
	}
	if s.headers, err = namedTemplates("header", c.HTTP.Headers); err != nil {
		return nil, err
	}
	if s.form, err = namedTemplates("form field", c.HTTP.Form); err != nil {
		return nil, err
	}
	if c.HTTP.Body != "" {
		if s.body, err = configs.ParseStepTemplate("body", c.HTTP.Body); err != nil {
			return nil, err
		}
	}
	if s.extract, err = compileExtractors(c.Extract); err != nil {
		return nil, err
	}
	s.keepBody = slices.ContainsFunc(s.extract, func(x extractor) bool { return x.needsBody() })
	return s, nil
}

// namedTemplates parses the values of a header or form mapping, in key
// order.
func namedTemplates(what string, m map[string]string) ([]namedTemplate, error) {
	var out []namedTemplate
	for _, k := range slices.Sorted(maps.Keys(m)) {
		t, err := configs.ParseStepTemplate(what+" "+k, m[k])
		if err != nil {
			return nil, err
		}
		out = append(out, namedTemplate{k, t})
	}
	return out, nil
}

// run sends the step's request with the values extracted so far and the
// session's cookies, judges the response, and adds what the step
// extracts to values.
func (s *screenStep) run(ctx context.Context, jar http.CookieJar, values map[string]string) Result {
	req, body, err := s.request(values)
	if err != nil {
		r := Result{Start: time.Now().UTC()}
		setFailuref(&r, ReasonConfig, "%v", err)
		return r
	}
	client := *s.sender.client
	client.Jar = jar
	r, resp := s.sender.send(ctx, &client, req, body, s.keepBody)
	if !resp.received {
		return r
	}
	defer releaseBuffer(resp.body)
	if s.sender.judge(&r, resp.body, resp.n); !r.OK {
		return r
	}
	extracted := extraction{resp: &resp, jar: jar}
	for i := range s.extract {
		x := &s.extract[i]
		v, err := x.from(&extracted)
		if err != nil {
			setFailuref(&r, ReasonAssertion, "extract %s: %v", x.name, err)
			return r
		}
		values[x.name] = v
	}
	return r
}

// request renders the step's templates with values and builds the
// request as an http probe would from the same fields.
func (s *screenStep) request(values map[string]string) (*http.Request, string, error) {
	c := configs.HTTPProbe{Method: s.method}
	var err error
	if c.URL, err = render(s.url, values); err != nil {
		return nil, "", err
	}
	if err := checkRenderedURL(c.URL); err != nil {
		return nil, "", err
	}
	if c.Headers, err = renderAll(s.headers, values); err != nil {
		return nil, "", err
	}
	if c.Form, err = renderAll(s.form, values); err != nil {
		return nil, "", err
	}
	if s.body != nil {
		if c.Body, err = render(s.body, values); err != nil {
			return nil, "", err
		}
	}
	return requestTemplate(&c, s.userAgent)
}

// checkRenderedURL rejects a URL built at run time that cannot be sent,
// without quoting it: it may hold a token.
func checkRenderedURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("url does not parse with the extracted values filled in: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("url with the extracted values filled in has scheme %q; it must be http or https", u.Scheme)
	}
	return nil
}

// render executes one template.
func render(t *template.Template, values map[string]string) (string, error) {
	var b strings.Builder
	if err := t.Execute(&b, values); err != nil {
		return "", err
	}
	return b.String(), nil
}

// renderAll executes the templates of a header or form mapping.
func renderAll(ts []namedTemplate, values map[string]string) (map[string]string, error) {
	if len(ts) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(ts))
	for _, t := range ts {
		v, err := render(t.value, values)
		if err != nil {
			return nil, err
		}
		out[t.name] = v
	}
	return out, nil
}
