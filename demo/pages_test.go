package demo

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// pageLogin logs c in through the login form and returns the session
// cookie it got.
func pageLogin(t *testing.T, c *http.Client, base string) *http.Cookie {
	t.Helper()
	resp, _ := do(t, c, "POST", base+"/login", "", demoLogin)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/app" {
		t.Fatalf("login form: %d to %q, want 303 to /app", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			return ck
		}
	}
	t.Fatalf("login form set no %s cookie", sessionCookie)
	return nil
}

func TestLoginPage(t *testing.T) {
	_, srv, _ := newTestApp(t)
	c := browser(t)
	resp, body := do(t, c, "GET", srv.URL+"/login", "", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("login page: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{`<form class="login" method="post" action="/login">`, `id="user" name="user"`,
		`id="password" name="password" type="password"`, `<button id="login" type="submit">`} {
		if !strings.Contains(body, want) {
			t.Errorf("login page lacks %s", want)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP %q", csp)
	}

	resp, body = do(t, c, "POST", srv.URL+"/login", "", url.Values{"user": {"demo<b>"}, "password": {"nope"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `id="login-error"`) || !strings.Contains(body, `value="demo&lt;b&gt;"`) {
		t.Errorf("wrong password: %d\n%s", resp.StatusCode, body)
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("a failed login set cookies %v", resp.Cookies())
	}

	ck := pageLogin(t, c, srv.URL)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.MaxAge != 1800 || ck.Secure {
		t.Errorf("session cookie %+v, want HttpOnly, SameSite=Strict, Path=/, 30 minutes, not Secure on http", ck)
	}
}

func TestPagesNeedSession(t *testing.T) {
	_, srv, f := newTestApp(t)
	c := browser(t)
	for _, s := range screens {
		for _, path := range []string{"/app", s.page + s.example} {
			if resp, _ := do(t, c, "GET", srv.URL+path, "", nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
				t.Errorf("%s without a session: %d to %q, want 303 to /login", path, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
	}
	// A bearer token is for the API, not for the pages.
	if resp, _ := do(t, c, "GET", srv.URL+"/app", apiLogin(t, srv), nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("/app with a bearer token: %d, want 303 to the login", resp.StatusCode)
	}

	pageLogin(t, c, srv.URL)
	if resp, _ := do(t, c, "GET", srv.URL+"/app", "", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("/app with a session: %d", resp.StatusCode)
	}
	f.Advance(SessionTTL)
	if resp, _ := do(t, c, "GET", srv.URL+"/app", "", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("/app with an expired session: %d, want 303", resp.StatusCode)
	}
}

// The whole walk a browser probe takes: log in, open each screen from
// /app, and fetch what the page's script fetches.
func TestScreenPages(t *testing.T) {
	_, srv, _ := newTestApp(t)
	c := browser(t)
	pageLogin(t, c, srv.URL)
	resp, app := do(t, c, "GET", srv.URL+"/app", "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/app: %d", resp.StatusCode)
	}
	links := regexp.MustCompile(`<a id="([a-z-]+)" href="([^"]+)">`).FindAllStringSubmatch(app, -1)
	if len(links) != len(screens) {
		t.Fatalf("/app has %d screen links, want %d:\n%s", len(links), len(screens), app)
	}
	shell := regexp.MustCompile(`<div id="screen" data-api="([^"]+)" data-element="([^"]+)">`)
	for i, s := range screens {
		if links[i][1] != s.link || links[i][2] != s.page+s.example {
			t.Errorf("link %d = #%s to %s, want #%s to %s", i, links[i][1], links[i][2], s.link, s.page+s.example)
		}
		resp, page := do(t, c, "GET", srv.URL+links[i][2], "", nil)
		m := shell.FindStringSubmatch(page)
		if resp.StatusCode != http.StatusOK || m == nil || m[1] != s.api+s.example || m[2] != s.element {
			t.Fatalf("%s: %d, shell %v\n%s", links[i][2], resp.StatusCode, m, page)
		}
		// The screen is not in the page: only the script brings it.
		if strings.Contains(page, s.title) || strings.Contains(page, `id="`+s.element+`"`) {
			t.Errorf("%s: the screen is in the page itself, a plain GET would measure it", links[i][2])
		}
		if !strings.Contains(page, `<script src="/static/screen.js" defer></script>`) {
			t.Errorf("%s does not load screen.js", links[i][2])
		}
		// The script's fetch, with the cookie.
		resp, body := do(t, c, "GET", srv.URL+m[1], "", nil)
		var rec record
		if err := json.Unmarshal([]byte(body), &rec); err != nil || resp.StatusCode != http.StatusOK || rec.Screen != s.title {
			t.Errorf("fetch %s with the cookie: %d %s", m[1], resp.StatusCode, body)
		}
	}
	if resp, _ := do(t, c, "GET", srv.URL+"/app/employees/x1", "", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("screen page of a bad id: %d, want 404", resp.StatusCode)
	}

	// Signing out ends the session.
	resp, _ = do(t, c, "POST", srv.URL+"/logout", "", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("logout: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := do(t, c, "GET", srv.URL+"/app", "", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("/app after logout: %d, want 303", resp.StatusCode)
	}
}

func TestStaticFiles(t *testing.T) {
	_, srv, _ := newTestApp(t)
	for _, tc := range []struct{ path, ctype, want string }{
		{"/static/screen.js", "text/javascript; charset=utf-8", "screen.dataset.element"},
		{"/static/profit.css", "text/css; charset=utf-8", ".properties"},
		{"/static/favicon.svg", "image/svg+xml", "<svg"},
	} {
		resp, body := do(t, http.DefaultClient, "GET", srv.URL+tc.path, "", nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tc.ctype || !strings.Contains(body, tc.want) ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	for _, path := range []string{"/static/", "/static/nope.js"} {
		if resp, _ := do(t, http.DefaultClient, "GET", srv.URL+path, "", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
	// The script writes text, never markup, and follows an expired session
	// to the login.
	js, _ := fs.ReadFile(staticFS, "static/screen.js")
	for _, want := range []string{"textContent", "credentials: 'same-origin'", "resp.status === 401", "window.location.assign('/login')"} {
		if !strings.Contains(string(js), want) {
			t.Errorf("screen.js lacks %s", want)
		}
	}
	if strings.Contains(string(js), "innerHTML") {
		t.Errorf("screen.js writes markup")
	}
}

// The CSP has no 'unsafe-inline': no template may hold an inline script,
// a style attribute or an event handler attribute.
func TestTemplatesHaveNothingInline(t *testing.T) {
	inline := regexp.MustCompile(`<script(\s[^>]*)?>\s*[^<\s]|<style|\sstyle=|\son[a-z]+=`)
	scriptTag := regexp.MustCompile(`<script[^>]*>`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v %v", files, err)
	}
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		if loc := inline.FindIndex(b); loc != nil {
			t.Errorf("%s has inline code: %q", f, b[loc[0]:loc[1]])
		}
		for _, tag := range scriptTag.FindAll(b, -1) {
			if !strings.Contains(string(tag), `src="/static/`) {
				t.Errorf("%s: script %s is not one of the static files", f, tag)
			}
		}
	}
}

func TestHomePage(t *testing.T) {
	a, srv, _ := newTestApp(t)
	a.SetMode(ModeSlow)
	resp, body := do(t, http.DefaultClient, "GET", srv.URL+"/", "", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<h1>Profit</h1>") || !strings.Contains(body, `<strong id="mode">slow</strong>`) ||
		!strings.Contains(body, `href="/login"`) {
		t.Errorf("home: %d\n%s", resp.StatusCode, body)
	}
}
