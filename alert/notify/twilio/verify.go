package twilio

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	twclient "github.com/twilio/twilio-go/client"
)

// ErrBadSignature means a webhook's X-Twilio-Signature is missing or does
// not match: answer 403 and change nothing.
var ErrBadSignature = errors.New("twilio webhook: missing or invalid X-Twilio-Signature")

// ValidSignature reports whether signature is Twilio's signature of a POST
// to fullURL (exactly as Twilio requested it, public scheme, host and
// query) with the form params, under authToken. It uses twilio-go's
// RequestValidator.
func ValidSignature(authToken, fullURL string, params url.Values, signature string) bool {
	if signature == "" || authToken == "" {
		return false
	}
	flat := make(map[string]string, len(params))
	for k, v := range params {
		if len(v) > 0 {
			flat[k] = v[0]
		}
	}
	v := twclient.NewRequestValidator(authToken)
	return v.Validate(fullURL, flat, signature)
}

// Verifier checks the webhooks Twilio posts to vigil. Behind a proxy the
// URL vigil sees is not the one Twilio signed, so it rebuilds it from the
// configured public URL and the request's path and query.
type Verifier struct {
	authToken string
	publicURL string
}

// NewVerifier returns a Verifier for webhooks signed with authToken and
// sent to addresses below publicURL (e.g. https://status.example.com).
func NewVerifier(authToken, publicURL string) *Verifier {
	return &Verifier{authToken: authToken, publicURL: strings.TrimSuffix(publicURL, "/")}
}

// Verify parses r's form (reading its body, at most 64 KiB) and checks
// its signature; the error wraps ErrBadSignature when it does not match.
func (v *Verifier) Verify(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if w != nil {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	}
	if err := r.ParseForm(); err != nil {
		return nil, fmt.Errorf("twilio webhook: read form: %w", err)
	}
	full := v.publicURL + r.URL.RequestURI()
	if !ValidSignature(v.authToken, full, r.PostForm, r.Header.Get("X-Twilio-Signature")) {
		return nil, fmt.Errorf("%w (url %s)", ErrBadSignature, full)
	}
	return r.PostForm, nil
}
