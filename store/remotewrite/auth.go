package remotewrite

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
)

// Auth is how requests to a backend authenticate: extra headers (a Mimir
// tenant's X-Scope-OrgID, say), and basic auth or a bearer token. None of
// it is ever logged. store/remoteread uses it too.
type Auth struct {
	Headers  map[string]string
	Username string // basic auth when not empty
	Password string
	// BearerToken is sent as Authorization: Bearer when Username is empty.
	BearerToken string
}

// Apply sets the headers and credentials on h.
func (a Auth) Apply(h http.Header) {
	for k, v := range a.Headers {
		h.Set(k, v)
	}
	switch {
	case a.Username != "":
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(a.Username+":"+a.Password)))
	case a.BearerToken != "":
		h.Set("Authorization", "Bearer "+a.BearerToken)
	}
}

// RedactURL is u as logs may show it: scheme, host and path, without
// credentials, query or fragment (any of which may hold a secret).
func RedactURL(u *url.URL) string {
	r := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	return r.String()
}

// RedactError replaces the URL in a *url.Error (which net/http puts in
// every transport error) by its redacted form, keeping the cause.
func RedactError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	shown := "the endpoint"
	if u, perr := url.Parse(ue.URL); perr == nil {
		shown = RedactURL(u)
	}
	return &redactedError{op: ue.Op, url: shown, err: ue.Err}
}

type redactedError struct {
	op, url string
	err     error
}

func (e *redactedError) Error() string { return e.op + " " + e.url + ": " + e.err.Error() }
func (e *redactedError) Unwrap() error { return e.err }
