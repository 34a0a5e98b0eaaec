package statuspage

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// asset is one rendered resource, kept with everything a response needs so
// that serving it allocates as little as possible: header values are
// prepared slices assigned to the header map as they are (net/http only
// reads them).
type asset struct {
	body, gz []byte
	modTime  time.Time // whole seconds, as Last-Modified carries it

	contentType, cacheControl, lastModified []string
	etag, etagGz                            []string
	length, lengthGz                        []string
}

// Content types of the assets.
const (
	typeHTML = "text/html; charset=utf-8"
	typeJSON = "application/json; charset=utf-8"
	typeCSS  = "text/css; charset=utf-8"
	typeSVG  = "image/svg+xml"
	typeAtom = "application/atom+xml; charset=utf-8"
	typeICal = "text/calendar; charset=utf-8"
)

// Cache lifetimes: short for what changes with the state (a CDN or browser
// may serve it that long, then revalidates cheaply with the ETag), longer
// for the stylesheets, whose links carry a version.
const (
	cacheState  = "public, max-age=10, stale-while-revalidate=30"
	cacheFeed   = "public, max-age=60"
	cacheStatic = "public, max-age=86400"
)

// newAsset prepares body, compressed once when that saves bytes.
func newAsset(body []byte, contentType, cacheControl string, mod time.Time) *asset {
	h := sha256.New()
	writeInPieces(h, body)
	tag := hex.EncodeToString(h.Sum(nil)[:12])
	mod = mod.UTC().Truncate(time.Second)
	a := &asset{
		body: body, modTime: mod,
		contentType:  []string{contentType},
		cacheControl: []string{cacheControl},
		lastModified: []string{mod.Format(http.TimeFormat)},
		etag:         []string{`"` + tag + `"`},
		length:       []string{strconv.Itoa(len(body))},
	}
	if gz := gzipped(body); len(gz) < len(body) {
		a.gz = gz
		a.etagGz = []string{`"` + tag + `-gz"`}
		a.lengthGz = []string{strconv.Itoa(len(gz))}
	}
	return a
}

// gzipWriters are reused: a new writer allocates its ~800 KB of tables,
// more work than compressing most documents. They write the default level
// (6): the documents that follow the state are compressed again at every
// rendering, on the cores that serve them, and best compression (9) takes
// half as long again for a home page ~4% smaller.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	writeInPieces(zw, b)
	_ = zw.Close() // writes to memory cannot fail
	return buf.Bytes()
}

var (
	varyEncoding = []string{"Accept-Encoding"}
	encodingGzip = []string{"gzip"}
)

// serve answers a GET or HEAD for the asset: gzip when the client takes
// it, 304 when its copy is current (If-None-Match first, else
// If-Modified-Since, RFC 9110 section 13.2.2).
func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	body, etag, length := a.body, a.etag, a.length
	if a.gz != nil {
		h["Vary"] = varyEncoding
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag, length = a.gz, a.etagGz, a.lengthGz
			h["Content-Encoding"] = encodingGzip
		}
	}
	h["Content-Type"] = a.contentType
	h["Cache-Control"] = a.cacheControl
	h["Last-Modified"] = a.lastModified
	h["Etag"] = etag
	if a.notModified(r) {
		delete(h, "Content-Type")
		delete(h, "Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Length"] = length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// notModified evaluates the request's preconditions against the asset.
func (a *asset) notModified(r *http.Request) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return etagMatch(inm, a.etag[0]) || (a.etagGz != nil && etagMatch(inm, a.etagGz[0]))
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !a.modTime.After(t)
	}
	return false
}

// etagMatch reports whether the If-None-Match list holds tag, by weak
// comparison (W/ ignored), or is "*".
func etagMatch(list, tag string) bool {
	for list != "" {
		var item string
		item, list, _ = strings.Cut(list, ",")
		item = strings.TrimSpace(item)
		if item == "*" || strings.TrimPrefix(item, "W/") == tag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding value allows gzip: named
// (or *) without q=0.
func acceptsGzip(v string) bool {
	star := false
	for v != "" {
		var item string
		item, v, _ = strings.Cut(v, ",")
		coding, params, _ := strings.Cut(item, ";")
		coding = strings.TrimSpace(coding)
		zero := qZero(params)
		switch {
		case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
			return !zero
		case coding == "*":
			star = !zero
		}
	}
	return star
}

// qZero reports whether parameters say q=0 (0, 0.0, 0.00, 0.000).
func qZero(params string) bool {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			val = strings.TrimSpace(val)
			return strings.Trim(val, "0.") == "" && val != ""
		}
	}
	return false
}
