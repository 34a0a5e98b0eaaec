package store

import (
	"net/url"
	"strings"
)

// IsPostgresDSN reports whether dsn names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than a data directory.
func IsPostgresDSN(dsn string) bool {
	scheme, _, ok := strings.Cut(dsn, "://")
	return ok && (strings.EqualFold(scheme, "postgres") || strings.EqualFold(scheme, "postgresql"))
}

// dsnSecretParams are the query parameters of a PostgreSQL URL that hold
// secrets.
var dsnSecretParams = []string{"password", "sslpassword"}

// RedactDSN returns dsn with its password and other secrets replaced by
// xxxxx, fit for logs and error messages. A DSN that does not parse is
// reduced to its scheme.
func RedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		scheme, _, _ := strings.Cut(dsn, "://")
		return scheme + "://(unparsable DSN, not shown)"
	}
	q := u.Query()
	changed := false
	for _, p := range dsnSecretParams {
		if q.Has(p) {
			q.Set(p, "xxxxx")
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// dsnSecrets returns the secrets in dsn as they may appear in messages:
// decoded and as written.
func dsnSecrets(dsn string) []string {
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	u, err := url.Parse(dsn)
	if err != nil {
		// Unparsable: whatever lies between the user's colon and the @
		// is the password.
		if _, rest, ok := strings.Cut(dsn, "://"); ok {
			if at := strings.LastIndexByte(rest, '@'); at > 0 {
				if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
					add(pw)
				}
			}
		}
		return out
	}
	if pw, ok := u.User.Password(); ok {
		add(pw)
		if _, raw, ok := strings.Cut(u.User.String(), ":"); ok && raw != pw {
			add(raw)
		}
	}
	for _, p := range dsnSecretParams {
		add(u.Query().Get(p))
	}
	return out
}

// scrubbedError hides secrets in the message of the error it wraps.
type scrubbedError struct {
	err     error
	secrets []string
}

func (e *scrubbedError) Error() string {
	msg := e.err.Error()
	for _, s := range e.secrets {
		msg = strings.ReplaceAll(msg, s, "xxxxx")
	}
	return msg
}

func (e *scrubbedError) Unwrap() error { return e.err }

// scrub wraps err so that none of secrets shows in its message; the
// error chain stays intact for errors.Is and errors.As.
func scrub(err error, secrets []string) error {
	if err == nil || len(secrets) == 0 {
		return err
	}
	return &scrubbedError{err: err, secrets: secrets}
}
