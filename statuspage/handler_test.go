package statuspage

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

// get serves one request through h and returns the recorded response.
func get(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func scenarioHandler(t *testing.T) (*Page, http.Handler) {
	t.Helper()
	p, _ := testPage(t, scenario(), scenarioNow, "https://status.example.com", true)
	poll(p)
	return p, p.Handler()
}

func TestHandlerServesEveryPath(t *testing.T) {
	_, h := scenarioHandler(t)
	for path, ctype := range map[string]string{
		"/":                                            typeHTML,
		"/status":                                      typeHTML,
		"/history":                                     typeHTML,
		"/history?page=1":                              typeHTML,
		"/incidents/inc-open0001":                      typeHTML,
		"/incidents/mw-next0001":                       typeHTML,
		"/history.atom":                                typeAtom,
		"/maintenance.ics":                             typeICal,
		"/static/style.css?v=anything":                 typeCSS,
		"/static/theme.css":                            typeCSS,
		"/static/favicon.svg":                          typeSVG,
		"/api/v2/summary.json":                         typeJSON,
		"/api/v2/status.json":                          typeJSON,
		"/api/v2/components.json":                      typeJSON,
		"/api/v2/incidents.json":                       typeJSON,
		"/api/v2/incidents/unresolved.json":            typeJSON,
		"/api/v2/scheduled-maintenances.json":          typeJSON,
		"/api/v2/scheduled-maintenances/upcoming.json": typeJSON,
		"/api/v2/scheduled-maintenances/active.json":   typeJSON,
	} {
		w := get(h, http.MethodGet, path, nil)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != ctype || w.Body.Len() == 0 {
			t.Errorf("GET %s: %d %q, %d bytes; want 200 %q with a body", path, w.Code, w.Header().Get("Content-Type"), w.Body.Len(), ctype)
		}
	}
	for _, path := range []string{"/nowhere", "/incidents/inc-mute0001", "/incidents/mw-cancel01", "/history?page=2", "/history?page=x", "/api/v2/nothing.json"} {
		if w := get(h, http.MethodGet, path, nil); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, w.Code)
		}
	}
	if w := get(h, http.MethodGet, "/nowhere", nil); !strings.Contains(w.Body.String(), "Page not found") || w.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("404 page: %q, CSP %q", w.Body.String(), w.Header().Get("Content-Security-Policy"))
	}
	if w := get(h, http.MethodGet, "/api/v2/nothing.json", nil); w.Header().Get("Content-Type") != typeJSON || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("API 404: %q, CORS %q", w.Header().Get("Content-Type"), w.Header().Get("Access-Control-Allow-Origin"))
	}
}

func TestHandlerSecurityHeaders(t *testing.T) {
	_, h := scenarioHandler(t)
	for _, path := range []string{"/", "/api/v2/summary.json", "/history.atom", "/nowhere"} {
		w := get(h, http.MethodGet, path, nil)
		csp := w.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %s", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src") {
			t.Errorf("%s: CSP %q allows scripts or inline code", path, csp)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
			if got := w.Header().Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
	}
	// No inline style or script anywhere: the CSP would block it.
	for _, path := range []string{"/", "/history", "/incidents/inc-open0001", "/nowhere"} {
		body := get(h, http.MethodGet, path, nil).Body.String()
		for _, bad := range []string{"<script", "style=", "<style", "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s holds %q, which its CSP blocks", path, bad)
			}
		}
	}
}

func TestHandlerLogoOriginInCSP(t *testing.T) {
	f := scenario()
	p, err := New(Options{Title: "Acme", PublicURL: "https://status.example.com", Logo: "https://cdn.example.com/acme.svg",
		Catalog: f, Latest: f, Incidents: f, Maintenances: f, Clock: clock.NewFake(scenarioNow)})
	if err != nil {
		t.Fatal(err)
	}
	poll(p)
	w := get(p.Handler(), http.MethodGet, "/", nil)
	if !strings.Contains(w.Header().Get("Content-Security-Policy"), "img-src 'self' https://cdn.example.com;") {
		t.Errorf("CSP %q does not allow the logo's origin", w.Header().Get("Content-Security-Policy"))
	}
	if !strings.Contains(w.Body.String(), `<img src="https://cdn.example.com/acme.svg"`) {
		t.Error("the logo is not on the page")
	}
}

func TestHandlerConditionalAndGzip(t *testing.T) {
	_, h := scenarioHandler(t)
	plain := get(h, http.MethodGet, "/api/v2/summary.json", nil)
	etag, lastMod := plain.Header().Get("Etag"), plain.Header().Get("Last-Modified")
	if etag == "" || lastMod == "" || plain.Header().Get("Cache-Control") == "" || plain.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("headers %v: want ETag, Last-Modified, Cache-Control, Vary", plain.Header())
	}
	if lastMod != scenarioNow.Format(http.TimeFormat) {
		t.Errorf("Last-Modified %s, want the time of the change %s", lastMod, scenarioNow.Format(http.TimeFormat))
	}

	gz := get(h, http.MethodGet, "/api/v2/summary.json", map[string]string{"Accept-Encoding": "br;q=1, gzip;q=0.8"})
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("Etag") == etag {
		t.Fatalf("gzip response: encoding %q, etag %q (plain %q)", gz.Header().Get("Content-Encoding"), gz.Header().Get("Etag"), etag)
	}
	if gz.Header().Get("Content-Length") != strconv.Itoa(gz.Body.Len()) {
		t.Errorf("Content-Length %s for %d bytes", gz.Header().Get("Content-Length"), gz.Body.Len())
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, plain.Body.Bytes()) {
		t.Fatalf("gunzipped body differs from the plain one (err %v)", err)
	}
	if w := get(h, http.MethodGet, "/api/v2/summary.json", map[string]string{"Accept-Encoding": "gzip;q=0, identity"}); w.Header().Get("Content-Encoding") != "" {
		t.Error("gzip sent although q=0 refused it")
	}

	for name, hdr := range map[string]map[string]string{
		"etag":                {"If-None-Match": etag},
		"gzip etag":           {"If-None-Match": gz.Header().Get("Etag"), "Accept-Encoding": "gzip"},
		"weak etag in a list": {"If-None-Match": `"other", W/` + etag},
		"star":                {"If-None-Match": "*"},
		"modified since":      {"If-Modified-Since": lastMod},
		"later date":          {"If-Modified-Since": scenarioNow.Add(time.Hour).Format(http.TimeFormat)},
	} {
		w := get(h, http.MethodGet, "/api/v2/summary.json", hdr)
		if w.Code != http.StatusNotModified || w.Body.Len() != 0 || w.Header().Get("Etag") == "" {
			t.Errorf("%s: %d with %d bytes, want 304 with no body and an ETag", name, w.Code, w.Body.Len())
		}
	}
	for name, hdr := range map[string]map[string]string{
		"other etag":             {"If-None-Match": `"other"`},
		"earlier date":           {"If-Modified-Since": scenarioNow.Add(-time.Hour).Format(http.TimeFormat)},
		"etag beats date":        {"If-None-Match": `"other"`, "If-Modified-Since": lastMod},
		"unparseable date":       {"If-Modified-Since": "yesterday"},
		"gzip etag, other value": {"If-None-Match": `"` + strings.Trim(etag, `"`) + `x"`},
	} {
		if w := get(h, http.MethodGet, "/api/v2/summary.json", hdr); w.Code != http.StatusOK {
			t.Errorf("%s: %d, want 200", name, w.Code)
		}
	}

	head := get(h, http.MethodHead, "/", nil)
	if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD /: %d, %d bytes, length %q", head.Code, head.Body.Len(), head.Header().Get("Content-Length"))
	}
}

func TestHandlerCORS(t *testing.T) {
	_, h := scenarioHandler(t)
	w := get(h, http.MethodGet, "/api/v2/summary.json", map[string]string{"Origin": "https://www.example.org"})
	if w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET: Access-Control-Allow-Origin %q, want *", w.Header().Get("Access-Control-Allow-Origin"))
	}
	if !strings.Contains(w.Header().Get("Access-Control-Expose-Headers"), "ETag") {
		t.Errorf("ETag not exposed to scripts: %q", w.Header().Get("Access-Control-Expose-Headers"))
	}
	pre := get(h, http.MethodOptions, "/api/v2/summary.json", map[string]string{
		"Origin": "https://www.example.org", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-requested-with, cache-control",
	})
	if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(pre.Header().Get("Access-Control-Allow-Methods"), "GET") ||
		pre.Header().Get("Access-Control-Allow-Headers") != "x-requested-with, cache-control" || pre.Header().Get("Access-Control-Max-Age") == "" {
		t.Errorf("preflight: %d %v", pre.Code, pre.Header())
	}
	odd := get(h, http.MethodOptions, "/api/v2/status.json", map[string]string{"Access-Control-Request-Headers": "x\r\nSet-Cookie: a=b"})
	if strings.Contains(odd.Header().Get("Access-Control-Allow-Headers"), "Set-Cookie") {
		t.Error("preflight echoed a header list that is not one")
	}
	if page := get(h, http.MethodGet, "/", nil); page.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("the HTML page answers CORS; only the JSON API should")
	}
}

func TestHandlerMethodsAndStart(t *testing.T) {
	f := scenario()
	p, _ := testPage(t, f, scenarioNow, "https://status.example.com", false)
	h := p.Handler()
	if w := get(h, http.MethodGet, "/", nil); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("before the first snapshot: %d, Retry-After %q; want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	if w := get(h, http.MethodGet, "/static/style.css", nil); w.Code != http.StatusOK {
		t.Errorf("stylesheet before the first snapshot: %d", w.Code)
	}
	poll(p)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		w := get(h, m, "/", nil)
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /: %d, Allow %q", m, w.Code, w.Header().Get("Allow"))
		}
	}
	if w := get(h, http.MethodGet, "/subscribe", nil); w.Code != http.StatusNotFound {
		t.Errorf("/subscribe without a subscription handler: %d, want 404", w.Code)
	}
	if strings.Contains(get(h, http.MethodGet, "/", nil).Body.String(), "/subscribe") {
		t.Error("the page links to /subscribe without a subscription handler")
	}
}

func TestHandlerMountsSubscribe(t *testing.T) {
	_, h := scenarioHandler(t)
	w := get(h, http.MethodGet, "/subscribe/confirm", nil)
	if w.Code != http.StatusOK || w.Body.String() != "subscribe form at /subscribe/confirm" || w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("/subscribe/confirm: %d %q %v", w.Code, w.Body.String(), w.Header())
	}
	if !strings.Contains(get(h, http.MethodGet, "/", nil).Body.String(), `href="/subscribe"`) {
		t.Error("the page does not link to /subscribe")
	}
	// The subscription handler reads at most maxSubscribeBody bytes.
	big := httptest.NewRequest(http.MethodPost, "/subscribe", strings.NewReader(strings.Repeat("x", maxSubscribeBody+1)))
	rec := httptest.NewRecorder()
	var readErr error
	sub := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, readErr = io.ReadAll(r.Body) })
	p, _ := testPage(t, scenario(), scenarioNow, "https://status.example.com", false)
	p.o.Subscribe = sub
	p.Handler().ServeHTTP(rec, big)
	if readErr == nil {
		t.Error("a request body over the limit reached the subscription handler whole")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for v, want := range map[string]bool{
		"gzip": true, "GZIP": true, "deflate, gzip;q=1.0, *;q=0.5": true, "x-gzip": true, "*": true,
		"": false, "identity": false, "gzip;q=0": false, "gzip; q=0.000": false, "br, *;q=0": false, "*;q=0, gzip": true, "gzip;q=0.001": true,
	} {
		if got := acceptsGzip(v); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", v, got, want)
		}
	}
}
