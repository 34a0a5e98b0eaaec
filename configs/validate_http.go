package configs

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// httpMethods are the methods an http probe may send.
var httpMethods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

// validateHTTP checks an http probe.
func validateHTTP(v *collector, p string, h *HTTPProbe) {
	validateURL(v, p+".url", h.URL)
	validateOneOf(v, p+".method", "http method", h.Method, httpMethods...)
	if h.Body != "" && len(h.Form) > 0 {
		v.add(p+".form", "http has both body and form; keep one: form sends fields as application/x-www-form-urlencoded, body sends its text as is")
	}
	validateTLSClient(v, p+".tls", &h.TLS)

	e := p + ".expect"
	for i, code := range h.Expect.Status {
		if code < 100 || code > 599 {
			v.add(fmt.Sprintf("%s.status[%d]", e, i), "status %d is not an HTTP status code; use codes from 100 to 599, e.g. [200, 204]", code)
		}
	}
	if h.Expect.BodyRegex != "" {
		if _, err := regexp.Compile(h.Expect.BodyRegex); err != nil {
			if _, fromEnv := v.idx.raw[e+".body_regex"]; fromEnv {
				err = errors.New("invalid regular expression")
			}
			v.add(e+".body_regex", "body_regex does not compile: %v; write a Go (RE2) regular expression, and escape special characters such as . ( [ with \\", err)
		}
	}
	keys := make([]string, 0, len(h.Expect.JSON))
	for k := range h.Expect.JSON {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := ParseJSONPath(k); err != nil {
			v.add(e+".json."+k, "json key %q is not a JSON path: %v", k, err)
		}
	}
}

// validateURL checks the URL an http probe requests.
func validateURL(v *collector, path, raw string) {
	validateFetchURL(v, path, "http url", raw, "https://app.example.com/health")
}

// validateFetchURL checks an http(s) URL a probe loads; what names it in
// messages ("http url", "navigate url"). The parser's detail is only
// given for URLs written in the file: one from the environment may carry
// a token.
func validateFetchURL(v *collector, path, what, raw, exampleURL string) {
	example := "write a full URL such as " + exampleURL
	if raw == "" {
		v.add(path, "%s is empty; %s", what, example)
		return
	}
	u, err := url.Parse(raw)
	if err != nil {
		detail := "it does not parse"
		var ue *url.Error
		if _, fromEnv := v.idx.raw[path]; !fromEnv && errors.As(err, &ue) {
			detail = ue.Err.Error()
		}
		v.add(path, "%s cannot be parsed (%s); %s", what, detail, example)
		return
	}
	switch {
	case u.Scheme == "":
		v.add(path, "%s has no scheme; %s", what, example)
	case u.Scheme != "http" && u.Scheme != "https":
		v.add(path, "%s scheme %q is not supported; use http:// or https://", what, u.Scheme)
	case u.Host == "":
		v.add(path, "%s has no host; %s", what, example)
	}
}

// hasPEMCertificate reports whether data holds at least one PEM certificate.
func hasPEMCertificate(data []byte) bool {
	return strings.Contains(string(data), "-----BEGIN CERTIFICATE-----") && x509.NewCertPool().AppendCertsFromPEM(data)
}
