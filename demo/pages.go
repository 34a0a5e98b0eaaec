package demo

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageCSP allows only the demo's own scripts, styles and fetches: no
// inline script or style, no other origin.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// pages are the templates by file name, each with the base layout.
var pages = parsePages("home.html", "login.html", "app.html", "screen.html")

func parsePages(names ...string) map[string]*template.Template {
	out := make(map[string]*template.Template, len(names))
	for _, n := range names {
		out[n] = template.Must(template.New(n).ParseFS(templateFS, "templates/base.html", "templates/"+n))
	}
	return out
}

// render writes a page whole or, when it fails, a plain 500: a half
// written page would look like a working one.
func (a *App) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "base", data); err != nil {
		http.Error(w, "page failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

type homeView struct{ Mode Mode }

func (a *App) home(w http.ResponseWriter, r *http.Request) {
	a.render(w, http.StatusOK, "home.html", homeView{Mode: a.Mode()})
}

// loginView is the login form, again with the reason after a failure.
type loginView struct{ Error, User string }

func (a *App) loginPage(w http.ResponseWriter, r *http.Request) {
	a.render(w, http.StatusOK, "login.html", loginView{})
}

type appView struct {
	User    string
	Screens []screenLink
}

type screenLink struct{ Link, Href, Title string }

// appPage is the start page after the login: a link to each key screen.
func (a *App) appPage(w http.ResponseWriter, r *http.Request) {
	if !a.pageAuthorized(r) {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	v := appView{User: demoUser}
	for _, s := range screens {
		v.Screens = append(v.Screens, screenLink{Link: s.link, Href: s.page + s.example, Title: s.title})
	}
	a.render(w, http.StatusOK, "app.html", v)
}

type screenView struct{ API, Element string }

// screenPage is a key screen's shell: its script fetches the record and
// renders it, so the screen is only there once the API has answered.
func (a *App) screenPage(s screen) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !a.pageAuthorized(r) {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		id := r.PathValue("id")
		if _, ok := recordID(id); !ok {
			http.NotFound(w, r)
			return
		}
		a.render(w, http.StatusOK, "screen.html", screenView{API: s.api + id, Element: s.element})
	}
}

// staticHandler serves the embedded scripts, styles and icon, without
// directory listings.
func staticHandler() http.Handler {
	files := http.FileServerFS(staticFS)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
