package webhook_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify"
	"github.com/vigilmon/vigil/alert/notify/webhook"
)

const secret = "whsec-d0-not-leak"

func TestWebhookSignsAndDelivers(t *testing.T) {
	var got http.Header
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		body, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	n := webhook.New(webhook.Config{Secrets: map[string]string{srv.URL: secret}})
	r, err := n.Notify(context.Background(), notify.Message{ID: 42, Recipient: srv.URL, Event: "incident.opened", Payload: []byte(`{"a":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if r.ProviderID != "delivery-42" {
		t.Errorf("receipt %+v", r)
	}
	if !webhook.Verify(secret, body, got.Get(webhook.HeaderSignature)) || string(body) != `{"a":1}` {
		t.Errorf("signature %q does not verify body %s", got.Get(webhook.HeaderSignature), body)
	}
	if got.Get(webhook.HeaderDelivery) != "42" || got.Get(webhook.HeaderTimestamp) == "" || got.Get(webhook.HeaderEvent) != "incident.opened" {
		t.Errorf("headers %v", got)
	}
}

func TestWebhookRetries(t *testing.T) {
	for _, c := range []struct {
		name      string
		answers   []int
		retryHdr  string
		wantCalls int32
		wantErr   bool
		retry     bool
		permanent bool
	}{
		{"503 with short Retry-After is retried in process", []int{503, 200}, "0", 2, false, false, false},
		{"429 with long Retry-After goes back to the worker", []int{429, 200}, "3600", 1, true, true, false},
		{"500 is not retried in process but later", []int{500, 200}, "", 1, true, true, false},
		{"410 gone is permanent", []int{410}, "", 1, true, false, true},
		{"400 fails the message", []int{400}, "", 1, true, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := calls.Add(1) - 1
				if c.retryHdr != "" {
					w.Header().Set("Retry-After", c.retryHdr)
				}
				w.WriteHeader(c.answers[min(int(i), len(c.answers)-1)])
			}))
			defer srv.Close()
			n := webhook.New(webhook.Config{Secrets: map[string]string{srv.URL: secret}, RetryWaitMin: time.Millisecond})
			_, err := n.Notify(context.Background(), notify.Message{ID: 1, Recipient: srv.URL, Text: "x"})
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			if calls.Load() != c.wantCalls {
				t.Errorf("calls = %d, want %d", calls.Load(), c.wantCalls)
			}
			if err != nil {
				f := notify.AsFailure(err)
				if f.Retry != c.retry || f.Permanent != c.permanent {
					t.Errorf("failure %+v", f)
				}
				if strings.Contains(err.Error(), secret) {
					t.Errorf("secret in error %v", err)
				}
			}
		})
	}
}

func TestWebhookConnectionRefusedIsRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := strings.Replace(srv.URL, "http://", "http://user:"+secret+"@", 1)
	srv.Close()
	n := webhook.New(webhook.Config{Secrets: map[string]string{u: secret}, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	_, err := n.Notify(context.Background(), notify.Message{ID: 1, Recipient: u, Text: "x"})
	if f := notify.AsFailure(err); err == nil || !f.Retry {
		t.Fatalf("err = %v, want retry", err)
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("secret in error: %v", err)
	}
}
