package demo

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// The demo's one account.
const (
	demoUser     = "demo"
	demoPassword = "demo"
)

// sessionCookie carries the session of the pages.
const sessionCookie = "profit_session"

// loginDelay is the login's own time: checking a password is not free.
const loginDelay = 80 * time.Millisecond

// maxFormBytes caps a login form.
const maxFormBytes = 64 << 10

// credentials reads and checks the user and password of a login form; it
// answers the status to send when they do not pass.
func (a *App) credentials(w http.ResponseWriter, r *http.Request) (status int, msg string) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return http.StatusBadRequest, "send user and password as a form"
	}
	user := subtle.ConstantTimeCompare([]byte(r.PostForm.Get("user")), []byte(demoUser))
	pass := subtle.ConstantTimeCompare([]byte(r.PostForm.Get("password")), []byte(demoPassword))
	a.sleep(r, loginDelay)
	if user&pass != 1 {
		return http.StatusUnauthorized, "wrong user or password (the demo's are demo/demo)"
	}
	return http.StatusOK, ""
}

// apiLogin is the JSON API's login: a form in, a bearer token out.
func (a *App) apiLogin(w http.ResponseWriter, r *http.Request) {
	if status, msg := a.credentials(w, r); status != http.StatusOK {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	token, expires := a.sessions.start()
	writeJSON(w, http.StatusOK, map[string]any{
		"token":      token,
		"expires_at": expires.UTC().Format(time.RFC3339),
		"expires_in": int(SessionTTL.Seconds()),
	})
}

// loginForm is the pages' login: on success the session goes into an
// HttpOnly cookie and the browser on to /app; on failure the form comes
// back with the reason.
func (a *App) loginForm(w http.ResponseWriter, r *http.Request) {
	if status, msg := a.credentials(w, r); status != http.StatusOK {
		a.render(w, status, "login.html", loginView{Error: msg, User: r.PostForm.Get("user")})
		return
	}
	token, expires := a.sessions.start()
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: expires, MaxAge: int(SessionTTL.Seconds()),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
	http.Redirect(w, r, "/app", http.StatusSeeOther)
}

// logout ends the cookie's session.
func (a *App) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		a.sessions.end(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// apiAuthorized reports whether a JSON API request carries a live
// session: a bearer token, or the pages' cookie (their scripts fetch the
// API with it).
func (a *App) apiAuthorized(r *http.Request) bool {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		return ok && strings.EqualFold(scheme, "Bearer") && a.sessions.valid(strings.TrimSpace(token))
	}
	return a.pageAuthorized(r)
}

// pageAuthorized reports whether a page request carries a live session
// cookie.
func (a *App) pageAuthorized(r *http.Request) bool {
	c, err := r.Cookie(sessionCookie)
	return err == nil && a.sessions.valid(c.Value)
}
