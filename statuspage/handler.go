package statuspage

import (
	"net/http"
	"strconv"
	"strings"
)

// maxSubscribeBody is an outer bound on a request body to the subscription
// handler, which sets its own tighter limit by the number of components.
const maxSubscribeBody = 64 << 10

// Header values shared by every response (net/http only reads them).
var (
	hdrNoSniff        = []string{"nosniff"}
	hdrReferrer       = []string{"no-referrer"}
	hdrAllowOrigin    = []string{"*"}
	hdrAllowMethods   = []string{"GET, HEAD, OPTIONS"}
	hdrExposeHeaders  = []string{"ETag, Last-Modified"}
	hdrMaxAge         = []string{"86400"}
	hdrAllowGetHead   = []string{"GET, HEAD"}
	hdrAllowAPI       = []string{"GET, HEAD, OPTIONS"}
	hdrRetryAfter     = []string{"5"}
	hdrNoStore        = []string{"no-store"}
	hdrTextPlain      = []string{"text/plain; charset=utf-8"}
	hdrJSON           = []string{typeJSON}
	defaultCORSHeader = "Accept, Accept-Language, Cache-Control, Content-Type, If-Modified-Since, If-None-Match, Pragma, X-Requested-With"
)

// pageHandler routes requests to the snapshot's assets, the static
// assets and the subscription handler.
type pageHandler struct{ p *Page }

func (p *Page) newHandler() http.Handler { return pageHandler{p} }

func (h pageHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	hdr := w.Header()
	hdr["X-Content-Type-Options"] = hdrNoSniff
	hdr["Referrer-Policy"] = hdrReferrer
	if path == "/subscribe" || strings.HasPrefix(path, "/subscribe/") {
		if sub := h.p.o.Subscribe; sub != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxSubscribeBody)
			sub.ServeHTTP(w, r)
			return
		}
	}
	hdr["Content-Security-Policy"] = h.p.csp
	api := strings.HasPrefix(path, "/api/v2/")
	if api {
		// Widgets on other sites read the API from the browser.
		hdr["Access-Control-Allow-Origin"] = hdrAllowOrigin
		hdr["Access-Control-Expose-Headers"] = hdrExposeHeaders
		if r.Method == http.MethodOptions {
			preflight(w, r)
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if api {
			hdr["Allow"] = hdrAllowAPI
		} else {
			hdr["Allow"] = hdrAllowGetHead
		}
		plain(w, http.StatusMethodNotAllowed, "method not allowed: this page answers GET and HEAD\n")
		return
	}
	if a, ok := h.p.static[path]; ok {
		a.serve(w, r)
		return
	}
	snap := h.p.snap.Load()
	if snap == nil {
		hdr["Retry-After"] = hdrRetryAfter
		plain(w, http.StatusServiceUnavailable, "the status page is starting; try again in a few seconds\n")
		return
	}
	key, ok := requestKey(r)
	if a := snap.assets[key]; ok && a != nil {
		a.serve(w, r)
		return
	}
	hdr["Cache-Control"] = hdrNoStore
	if api {
		hdr["Content-Type"] = hdrJSON
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":"not found"}` + "\n"))
		return
	}
	nf := snap.assets[notFoundKey]
	hdr["Content-Type"] = nf.contentType
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		_, _ = w.Write(nf.body)
	}
}

// requestKey maps a request to its asset's key: the path, and for the
// history the page number (?page=1 is the first page). Other queries
// (cache busters) are ignored.
func requestKey(r *http.Request) (string, bool) {
	path := r.URL.Path
	if path != "/history" || r.URL.RawQuery == "" {
		return path, true
	}
	page := r.URL.Query().Get("page")
	if page == "" {
		return path, true
	}
	n, err := strconv.Atoi(page)
	if err != nil || n < 1 {
		return "", false
	}
	return historyKey(n), true
}

// preflight answers a CORS preflight of the public API: any origin may
// read it, without credentials.
func preflight(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr["Access-Control-Allow-Methods"] = hdrAllowMethods
	allow := defaultCORSHeader
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" && len(req) <= 512 && isHeaderList(req) {
		allow = req
	}
	hdr.Set("Access-Control-Allow-Headers", allow)
	hdr["Access-Control-Max-Age"] = hdrMaxAge
	hdr["Allow"] = hdrAllowAPI
	w.WriteHeader(http.StatusNoContent)
}

// isHeaderList reports whether s is a comma-separated list of header
// names (tokens), so that echoing it cannot inject anything.
func isHeaderList(s string) bool {
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-_!#$%&'*+.^`|~, ", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func plain(w http.ResponseWriter, status int, msg string) {
	w.Header()["Content-Type"] = hdrTextPlain
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg))
}
