package twiliofake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// list serves GET …/Messages.json with the filters To, From and DateSent
// (DateSent, DateSent<, DateSent>, also with "=": a date or RFC 3339
// time), newest first, one page of PageSize (default 50) messages.
//
// Like Twilio, the DateSent filters look at date_sent, which stays null
// until the message leaves the queue: a reconciler that filters on it can
// miss messages still queued. Filter on To and compare date_created.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	size, _ := strconv.Atoi(q.Get("PageSize"))
	if size <= 0 || size > 1000 {
		size = 50
	}
	page, _ := strconv.Atoi(q.Get("Page"))
	after, hasAfter := parseDate(first(q, "DateSent>", "DateSent>="))
	before, hasBefore := parseDate(first(q, "DateSent<", "DateSent<="))
	on, hasOn := parseDate(q.Get("DateSent"))

	s.mu.Lock()
	var out []map[string]any
	for i := len(s.messages) - 1; i >= 0; i-- {
		m := s.messages[i]
		switch {
		case q.Has("To") && m.To != q.Get("To"):
			continue
		case q.Has("From") && m.From != q.Get("From"):
			continue
		case (hasAfter || hasBefore || hasOn) && m.DateSent.IsZero():
			continue
		case hasAfter && m.DateSent.Before(after):
			continue
		case hasBefore && !m.DateSent.Before(before):
			continue
		case hasOn && m.DateSent.Truncate(24*time.Hour) != on.Truncate(24*time.Hour):
			continue
		}
		out = append(out, s.resource(m))
	}
	s.mu.Unlock()

	start := min(page*size, len(out))
	end := min(start+size, len(out))
	uri := r.URL.RequestURI()
	var next any
	if end < len(out) {
		nq := r.URL.Query()
		nq.Set("Page", strconv.Itoa(page+1))
		nq.Set("PageSize", strconv.Itoa(size))
		next = r.URL.Path + "?" + nq.Encode()
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"messages":          out[start:end],
		"page":              page,
		"page_size":         size,
		"start":             start,
		"end":               max(end-1, 0),
		"uri":               uri,
		"first_page_uri":    uri,
		"next_page_uri":     next,
		"previous_page_uri": nil,
	})
}

// fetch serves GET …/Messages/{Sid}.json.
func (s *Server) fetch(w http.ResponseWriter, sid string) {
	s.mu.Lock()
	m, ok := s.bySid[sid]
	var res map[string]any
	if ok {
		res = s.resource(m)
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, CodeNotFound, messageFor(CodeNotFound, ""))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(res)
}

// first returns the first non-empty value of the given query keys.
func first(q map[string][]string, keys ...string) string {
	for _, k := range keys {
		if v := q[k]; len(v) > 0 && v[0] != "" {
			return v[0]
		}
	}
	return ""
}

// parseDate reads a YYYY-MM-DD date or an RFC 3339 time.
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}
