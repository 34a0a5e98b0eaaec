package subscribe

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// tokenTTL is how long a form may be open before it is submitted.
const tokenTTL = time.Hour

// The purposes of form tokens: a token of one form does not work in
// another.
const (
	purposeSubscribe   = "subscribe"
	purposeVerify      = "verify"
	purposeUnsubscribe = "unsubscribe"
)

// Why a form's token is refused (HTTP 403), as the visitor reads it.
const (
	msgNoCookie   = "Your browser did not send this site's cookie with the form. Allow cookies for this site and send the form again."
	msgBadToken   = "This form is not valid. Send it again from this page."
	msgStaleToken = "This form has expired. Send it again from this page."
	msgUsedToken  = "This code form was already used. Enter the code in the form below."
)

// Token check failures.
var (
	errNoCookie   = errors.New("no cookie")
	errBadToken   = errors.New("token does not verify")
	errStaleToken = errors.New("token expired")
)

// cookieSpec is the cookie the tokens are bound to: a random value per
// browser, HttpOnly, SameSite=Lax (a cross-site POST does not carry it),
// and __Host- prefixed and Secure on an https page.
type cookieSpec struct {
	name   string
	secure bool
}

func newCookieSpec(https bool) cookieSpec {
	if https {
		return cookieSpec{name: "__Host-vigil_subscribe", secure: true}
	}
	return cookieSpec{name: "vigil_subscribe"}
}

// read returns the request's cookie value, or errNoCookie.
func (c cookieSpec) read(r *http.Request) (string, error) {
	ck, err := r.Cookie(c.name)
	if err != nil {
		return "", errNoCookie
	}
	if raw, err := base64.RawURLEncoding.DecodeString(ck.Value); err != nil || len(raw) != 16 {
		return "", errNoCookie
	}
	return ck.Value, nil
}

// ensure returns the request's cookie value, setting a new cookie when the
// request has none (or a malformed one).
func (c cookieSpec) ensure(w http.ResponseWriter, r *http.Request) string {
	if v, err := c.read(r); err == nil {
		return v
	}
	v := randomID()
	http.SetCookie(w, &http.Cookie{Name: c.name, Value: v, Path: "/", HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode})
	return v
}

// formToken returns the token of a form for purpose, acting on binding
// (what the form is about: the verification and its tries, the
// unsubscribe token), in the browser with cookie value cookie: the issue
// time and an HMAC over all of them.
func (k keys) formToken(cookie, purpose, binding string, issued time.Time) string {
	ts := strconv.FormatInt(issued.Unix(), 10)
	return ts + "." + base64.RawURLEncoding.EncodeToString(k.tokenMAC(cookie, purpose, binding, ts))
}

// checkToken verifies token in constant time; the error is errBadToken
// or errStaleToken.
func (k keys) checkToken(token, cookie, purpose, binding string, now time.Time) error {
	ts, sig, ok := strings.Cut(token, ".")
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if !ok || err != nil {
		return errBadToken
	}
	if !hmac.Equal(mac, k.tokenMAC(cookie, purpose, binding, ts)) {
		return errBadToken
	}
	issued, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errBadToken
	}
	if age := now.Sub(time.Unix(issued, 0)); age > tokenTTL || age < -time.Minute {
		return errStaleToken
	}
	return nil
}

// tokenMAC is the HMAC over the token's fields, each length-prefixed so
// that no two field lists give the same input.
func (k keys) tokenMAC(cookie, purpose, binding, ts string) []byte {
	m := hmac.New(sha256.New, k.csrf)
	for _, f := range []string{cookie, purpose, binding, ts} {
		m.Write([]byte(strconv.Itoa(len(f)) + ":" + f))
	}
	return m.Sum(nil)
}

// checkForm checks the CSRF token of the form in r for purpose and
// binding against the request's cookie; a refusal is a 403.
func (h *Handler) checkForm(r *http.Request, purpose, binding string) *problem {
	cookie, err := h.cookie.read(r)
	if err == nil {
		err = h.keys.checkToken(r.PostForm.Get("csrf"), cookie, purpose, binding, h.o.Clock.Now())
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errNoCookie):
		return &problem{status: http.StatusForbidden, msg: msgNoCookie}
	case errors.Is(err, errStaleToken):
		return &problem{status: http.StatusForbidden, msg: msgStaleToken}
	}
	return &problem{status: http.StatusForbidden, msg: msgBadToken}
}
