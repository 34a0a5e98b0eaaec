package subscribe

import (
	"errors"
	"math"
	"mime"
	"net/http"
	"strconv"
)

// floodMessage answers a POST over the flood limit. The page is rendered
// once: refusing a flood must cost less than what it refuses.
const floodMessage = "Too many requests from your network. Wait a minute and try again."

// maxBody bounds a form's body: the fields and one entry per component
// fit easily; a larger body is refused with 413 before it is read.
func (h *Handler) maxBody() int64 { return 4<<10 + 128*int64(len(h.comps)) }

// multiValued are the form fields that may come more than once.
var multiValued = map[string]bool{"component": true}

// guard runs the checks every POST passes before its handler: the flood
// limit per client address (refused with a page rendered once, before
// the body is read), the content type, the body limit, a readable form,
// and each single field at most once (refused with a fresh subscription
// form).
func (h *Handler) guard(next func(w http.ResponseWriter, r *http.Request, client string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		client := clientAddr(r, h.o.TrustedProxies)
		if v := h.flood.allow(client, h.o.Clock.Now()); !v.ok {
			if v.starts {
				h.logger.Warn("flood limit: refusing requests", "client", client, "path", r.URL.Path)
			}
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(v.wait.Seconds()))))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write(h.floodPage)
			return
		}
		if pr := h.readForm(w, r); pr != nil {
			h.refuse(w, r, pr)
			return
		}
		next(w, r, client)
	}
}

// readForm reads r's form body into r.PostForm.
func (h *Handler) readForm(w http.ResponseWriter, r *http.Request) *problem {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return &problem{status: http.StatusUnsupportedMediaType, msg: "Send the form from this page."}
	}
	tooLarge := &problem{status: http.StatusRequestEntityTooLarge, msg: "The form was larger than it can be. Send it again from this page."}
	if r.ContentLength > h.maxBody() {
		return tooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.maxBody())
	if err := r.ParseForm(); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return tooLarge
		}
		return &problem{status: http.StatusBadRequest, msg: "The form could not be read. Send it again from this page."}
	}
	for k, vs := range r.PostForm {
		if len(vs) > 1 && !multiValued[k] {
			return &problem{status: http.StatusBadRequest, msg: "The form held a field twice. Send it again from this page."}
		}
	}
	return nil
}

// refuse renders a fresh subscription form with a problem that has
// nothing to do with what was typed into it.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, pr *problem) {
	h.render(w, 0, "form", h.formPage(w, r, "", nil), pr)
}
