package twilio

import (
	"encoding/base64"
	"errors"
	"strings"
)

// redacted is the text that replaces a secret.
const redacted = "[REDACTED]"

// newRedactor returns a replacer that removes the auth token from text,
// raw and in the encodings it travels in (Basic credentials, URL userinfo).
func newRedactor(sid, token string) *strings.Replacer {
	basic := base64.StdEncoding.EncodeToString([]byte(sid + ":" + token))
	return strings.NewReplacer(
		basic, redacted,
		sid+":"+token, sid+":"+redacted,
		token, redacted,
	)
}

// clean returns an error with err's text cleaned of secrets. It keeps no
// chain to err on purpose: an error Twilio (or a proxy) built may quote the
// credentials, and errors.As would hand them out again. Callers classify
// before they clean.
func (n *Notifier) clean(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(n.redact.Replace(err.Error()))
}
