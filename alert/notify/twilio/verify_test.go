package twilio_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/vigilmon/vigil/alert/notify/twilio"
	"github.com/vigilmon/vigil/alert/notify/twiliofake"
)

func TestVerifier(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	var got url.Values
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := twilio.NewVerifier(fake.AuthToken, srv.URL)
		form, err := v.Verify(w, r)
		if err != nil {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		got = form
	}))
	defer srv.Close()
	status, err := fake.PostInbound(srv.URL+"/api/v1/twilio/inbound", "+31612345678", "+3197010000000", "STOP")
	if err != nil || status != http.StatusOK {
		t.Fatalf("signed inbound: status %d, %v; want 200", status, err)
	}
	if got.Get("Body") != "STOP" || got.Get("From") != "+31612345678" {
		t.Errorf("form = %v", got)
	}
	// Signed with another token: refused.
	other := twiliofake.New(twiliofake.Options{AuthToken: "anotherToken0000000000000000000"})
	defer other.Close()
	if status, _ := other.PostInbound(srv.URL+"/api/v1/twilio/inbound", "+31612345678", "+3197010000000", "STOP"); status != http.StatusForbidden {
		t.Errorf("badly signed inbound: status %d, want 403", status)
	}
	// Unsigned: refused.
	resp, err := http.PostForm(srv.URL+"/api/v1/twilio/inbound", url.Values{"Body": {"STOP"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned inbound: status %d, want 403", resp.StatusCode)
	}
	// twiliofake.Sign agrees with twilio-go's validator.
	p := url.Values{"b": {"2"}, "a": {"1"}}
	if !twilio.ValidSignature("tok", "https://x.example/cb?q=1", p, twiliofake.Sign("tok", "https://x.example/cb?q=1", p)) {
		t.Error("Sign and ValidSignature disagree")
	}
}
