package twiliofake

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// startCallbacks moves m through sent and delivered, and, when the fake
// sends status callbacks and m has a StatusCallback, posts each status
// there, signed.
func (s *Server) startCallbacks(m *Message) {
	s.cbWG.Add(1)
	go func() {
		defer s.cbWG.Done()
		statuses := []string{m.Status, "sent", "delivered"}
		for i, st := range statuses {
			if i > 0 {
				select {
				case <-time.After(s.cbDelay):
				case <-s.closing:
					return
				}
			}
			s.mu.Lock()
			m.Status = st
			if st == "sent" {
				m.DateSent = time.Now().UTC().Truncate(time.Second)
			}
			cb, on := m.StatusCallback, s.callbacks
			params := url.Values{
				"MessageSid":    {m.Sid},
				"SmsSid":        {m.Sid},
				"AccountSid":    {m.AccountSid},
				"To":            {m.To},
				"MessageStatus": {st},
				"SmsStatus":     {st},
				"ApiVersion":    {"2010-04-01"},
			}
			if m.From != "" {
				params.Set("From", m.From)
			}
			s.mu.Unlock()
			if on && cb != "" {
				_, _ = s.post(cb, params) // a receiver that is down misses it, as with Twilio
			}
		}
	}()
}

// post sends params to target as a signed form POST, the way Twilio calls
// webhooks, and returns the status code.
func (s *Server) post(target string, params url.Values) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		select {
		case <-s.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(params.Encode()))
	if err != nil {
		return 0, fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", Sign(s.AuthToken, target, params))
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("post webhook: %w", err)
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// PostInbound delivers an inbound SMS (From, To, Body) to target, signed
// as Twilio signs its messaging webhooks, and returns the HTTP status.
func (s *Server) PostInbound(target, from, to, body string) (int, error) {
	params := url.Values{
		"MessageSid":  {newSid("SM")},
		"SmsSid":      {newSid("SM")},
		"AccountSid":  {s.AccountSid},
		"From":        {from},
		"To":          {to},
		"Body":        {body},
		"NumMedia":    {"0"},
		"NumSegments": {"1"},
		"SmsStatus":   {"received"},
		"ApiVersion":  {"2010-04-01"},
	}
	return s.post(target, params)
}

// PostStatus sends one signed status callback for sid to target, as
// Twilio would, for tests that drive callbacks by hand.
func (s *Server) PostStatus(target, sid, to, status string) (int, error) {
	params := url.Values{
		"MessageSid":    {sid},
		"SmsSid":        {sid},
		"AccountSid":    {s.AccountSid},
		"To":            {to},
		"MessageStatus": {status},
		"SmsStatus":     {status},
		"ApiVersion":    {"2010-04-01"},
	}
	return s.post(target, params)
}
