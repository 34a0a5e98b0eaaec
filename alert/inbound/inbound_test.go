package inbound

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for body, want := range map[string]Action{
		"STOP": Stop, " stop ": Stop, "Stop.": Stop, "STOPALL": Stop, "unsubscribe": Stop, "CANCEL": Stop, "end": Stop, "QUIT": Stop,
		"START": Start, "yes": Start, "UNSTOP": Start,
		"HELP": Help, "stop it please": Help, "": Help,
	} {
		if got := Parse(body); got != want {
			t.Errorf("Parse(%q) = %v, want %v", body, got, want)
		}
	}
}

// fakeVerifier accepts requests with the header X-Ok.
type fakeVerifier struct{}

func (fakeVerifier) Verify(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	if r.Header.Get("X-Ok") == "" {
		return nil, errors.New("bad signature")
	}
	return r.PostForm, nil
}

type subs struct{ stopped, started []string }

func (s *subs) Unsubscribe(_ context.Context, p string) error {
	s.stopped = append(s.stopped, p)
	return nil
}
func (s *subs) Resubscribe(_ context.Context, p string) error {
	s.started = append(s.started, p)
	return nil
}

func TestHandler(t *testing.T) {
	s := &subs{}
	h := Handler(Config{Verifier: fakeVerifier{}, Subscribers: s, HelpText: "Reply STOP to unsubscribe.", StartText: "Welcome back."})
	post := func(body string, ok bool) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/twilio/inbound", strings.NewReader(url.Values{"From": {"+31612345670"}, "Body": {body}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if ok {
			req.Header.Set("X-Ok", "1")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	if w := post("STOP", false); w.Code != http.StatusForbidden || len(s.stopped) != 0 {
		t.Fatalf("unsigned STOP: %d, stopped %v", w.Code, s.stopped)
	}
	if w := post("STOP", true); w.Code != 200 || len(s.stopped) != 1 || strings.Contains(w.Body.String(), "<Message>") {
		t.Fatalf("STOP: %d %s, stopped %v", w.Code, w.Body, s.stopped)
	}
	if w := post("start", true); w.Code != 200 || len(s.started) != 1 || !strings.Contains(w.Body.String(), "<Message>Welcome back.</Message>") {
		t.Fatalf("START: %d %s", w.Code, w.Body)
	}
	for _, b := range []string{"HELP", "hello?"} {
		if w := post(b, true); w.Code != 200 || !strings.Contains(w.Body.String(), "<Response><Message>Reply STOP to unsubscribe.</Message></Response>") ||
			w.Header().Get("Content-Type") != "text/xml; charset=utf-8" {
			t.Fatalf("%s: %d %s", b, w.Code, w.Body)
		}
	}
}
