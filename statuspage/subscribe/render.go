package subscribe

import (
	"bytes"
	"embed"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"time"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets/subscribe.css
var stylesheet []byte

// pages are the templates, each the layout with one page's content.
var pages = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	for _, name := range []string{"form", "verify", "confirmed", "unsubscribe", "unsubscribed", "invalid-link", "refused"} {
		m[name] = template.Must(template.ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html"))
	}
	return m
}()

// problem is a refusal as the visitor sees it: the status code, what is
// wrong and what to do, the field at fault, and when to try again.
type problem struct {
	status int
	msg    string
	field  string        // "phone", "components", "code" or ""
	retry  time.Duration // sent as Retry-After when set
}

// page is what a template shows.
type page struct {
	Site        string // the status page's name
	Stylesheets []string
	Icon        string
	Heading     string
	Error       string
	Field       string // the field Error is about
	Notice      string
	Token       string // CSRF token of the page's form

	// The subscription form.
	Phone       string
	Example     string // a mobile number of the default region
	ExampleIntl string
	Components  []choice

	// The code form and the confirmation.
	CodeDigits     int
	CodeMinutes    int
	VerificationID string
	Attempts       int
	DisplayPhone   string
	Followed       []string
	UnsubscribeURL string

	// The unsubscribe page.
	UnsubscribeToken string
}

// choice is one component on the form.
type choice struct {
	ID, Name string
	Checked  bool
}

// render writes page name with status; a problem sets the error, the
// status and Retry-After.
func (h *Handler) render(w http.ResponseWriter, status int, name string, p *page, pr *problem) {
	if pr != nil {
		status, p.Error, p.Field = pr.status, pr.msg, pr.field
		if pr.retry > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(pr.retry.Seconds()))))
		}
	}
	body, err := h.execute(name, p)
	if err != nil {
		h.logger.Error("render page", "page", name, "err", err)
		http.Error(w, "internal error: the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// execute renders page name.
func (h *Handler) execute(name string, p *page) ([]byte, error) {
	p.Site, p.Stylesheets, p.Icon = h.o.Title, h.o.Stylesheets, h.o.Icon
	var buf bytes.Buffer
	err := pages[name].ExecuteTemplate(&buf, "layout", p)
	return buf.Bytes(), err
}

// serveCSS serves the form's additions to the page's stylesheet.
func serveCSS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(stylesheet)
}
