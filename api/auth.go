package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// bearer guards an API with a bearer token. An empty token turns the API
// off: it answers 404 and says which setting turns it on. The token is
// compared in constant time and never written anywhere.
type bearer struct {
	token   string // the expected token; "" turns the API off
	name    string // "admin API", "report API"
	setting string // the config key, "server.admin_token"
	env     string // the usual environment variable, "VIGIL_ADMIN_TOKEN"
}

// wrap returns h guarded by the token.
func (b bearer) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if b.token == "" {
			writeError(w, http.StatusNotFound, "the %s is off: set %s in the config (e.g. %s: ${%s}) and restart vigil to turn it on",
				b.name, b.setting, b.setting[strings.LastIndexByte(b.setting, '.')+1:], b.env)
			return
		}
		if !b.allows(r.Header.Get("Authorization")) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="vigil `+b.name+`"`)
			writeError(w, http.StatusUnauthorized, "missing or wrong bearer token: send the header Authorization: Bearer <%s>", b.setting)
			return
		}
		h(w, r)
	}
}

// allows reports whether the Authorization header carries the token.
// Both sides are hashed first, so that neither the content nor the length
// of the token shows in the time the comparison takes.
func (b bearer) allows(header string) bool {
	scheme, got, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	g := sha256.Sum256([]byte(strings.TrimSpace(got)))
	want := sha256.Sum256([]byte(b.token))
	return subtle.ConstantTimeCompare(g[:], want[:]) == 1
}
