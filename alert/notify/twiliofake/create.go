package twiliofake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
	"unicode/utf16"
)

// create serves POST …/Messages.json.
func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, 21600, "Invalid request body")
		return
	}
	to := r.PostForm.Get("To")
	s.mu.Lock()
	s.requests[to]++
	reject := s.rejectTo[to]
	s.mu.Unlock()

	f, faulty := s.takeFault()
	record := false
	if faulty {
		if record = s.applyFault(w, r, f); !record {
			return
		}
	}
	m := &Message{
		AccountSid:          s.AccountSid,
		To:                  to,
		From:                r.PostForm.Get("From"),
		MessagingServiceSid: r.PostForm.Get("MessagingServiceSid"),
		Body:                r.PostForm.Get("Body"),
		StatusCallback:      r.PostForm.Get("StatusCallback"),
		Status:              "queued",
		DateCreated:         arrived.UTC().Truncate(time.Second),
		Accepted:            arrived,
	}
	if code := validate(m, reject); code != 0 && !record {
		writeError(w, http.StatusBadRequest, code, messageFor(code, to))
		return
	}
	if m.From == "" {
		m.Status = "accepted" // a Messaging Service picks the sender later
	}
	m.NumSegments = segments(m.Body)
	m.Sid = newSid("SM")
	s.mu.Lock()
	s.messages = append(s.messages, m)
	s.bySid[m.Sid] = m
	res := s.resource(m)
	s.mu.Unlock()
	s.startCallbacks(m)
	if record {
		writeError(w, http.StatusInternalServerError, CodeInternal, messageFor(CodeInternal, ""))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(res)
}

// validate returns the Twilio error code m earns, 0 if none. reject is a
// permanent error configured for m.To.
func validate(m *Message, reject int) int {
	switch {
	case m.To == "" || !isE164(m.To):
		return CodeInvalidTo
	case reject != 0:
		return reject
	case m.From == "" && m.MessagingServiceSid == "":
		return CodeFromRequired
	case m.Body == "":
		return CodeBodyRequired
	case len([]rune(m.Body)) > 1600:
		return CodeBodyTooLong
	}
	return 0
}

// isE164 is the fake's rough check: "+", then 8 to 15 digits, no leading 0.
func isE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// segments counts SMS segments roughly as Twilio does: GSM-7 when every
// rune is in the basic set (160, then 153 per segment), else UCS-2 (70,
// then 67 UTF-16 units per segment).
func segments(body string) int {
	gsm := true
	for _, c := range body {
		if c > 0x7e && c != '£' && c != '€' && c != 'é' && c != 'è' && c != 'ü' && c != 'ö' && c != 'ä' {
			gsm = false
			break
		}
	}
	n, one, many := len(body), 160, 153
	if !gsm {
		n, one, many = len(utf16.Encode([]rune(body))), 70, 67
	}
	if n <= one {
		return 1
	}
	return (n + many - 1) / many
}

// resource renders m as Twilio's message resource. Callers hold s.mu.
func (s *Server) resource(m *Message) map[string]any {
	uri := "/2010-04-01/Accounts/" + m.AccountSid + "/Messages/" + m.Sid + ".json"
	var from, svc, dateSent any
	if m.From != "" {
		from = m.From
	}
	if m.MessagingServiceSid != "" {
		svc = m.MessagingServiceSid
	}
	if !m.DateSent.IsZero() {
		dateSent = m.DateSent.Format(time.RFC1123Z)
	}
	return map[string]any{
		"account_sid":           m.AccountSid,
		"api_version":           "2010-04-01",
		"body":                  m.Body,
		"date_created":          m.DateCreated.Format(time.RFC1123Z),
		"date_sent":             dateSent,
		"date_updated":          m.DateCreated.Format(time.RFC1123Z),
		"direction":             "outbound-api",
		"error_code":            nil,
		"error_message":         nil,
		"from":                  from,
		"messaging_service_sid": svc,
		"num_media":             "0",
		"num_segments":          strconv.Itoa(m.NumSegments),
		"price":                 nil,
		"price_unit":            "USD",
		"sid":                   m.Sid,
		"status":                m.Status,
		"subresource_uris":      map[string]any{"media": "/2010-04-01/Accounts/" + m.AccountSid + "/Messages/" + m.Sid + "/Media.json"},
		"to":                    m.To,
		"uri":                   uri,
	}
}
