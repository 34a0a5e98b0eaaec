package twilio_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify"
	"github.com/vigilmon/vigil/alert/notify/twilio"
	"github.com/vigilmon/vigil/alert/notify/twiliofake"
)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newNotifier returns a notifier aimed at fake, logging into logs.
func newNotifier(t *testing.T, fake *twiliofake.Server, logs *syncBuffer, mutate ...func(*twilio.Config)) *twilio.Notifier {
	t.Helper()
	// api_base_url is the one truth: these must not move requests.
	t.Setenv("TWILIO_EDGE", "sydney")
	t.Setenv("TWILIO_REGION", "au1")
	cfg := twilio.Config{
		AccountSid: fake.AccountSid,
		AuthToken:  fake.AuthToken,
		From:       "+3197010000000",
		APIBaseURL: fake.URL(),
		PublicURL:  "https://status.example.com",
		Timeout:    500 * time.Millisecond,
		Logger:     slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, m := range mutate {
		m(&cfg)
	}
	n, err := twilio.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func msg(id int64, to string) notify.Message {
	return notify.Message{ID: id, Channel: "twilio", Recipient: to, Event: "incident.opened",
		Text: "Checkout is down since 12:01 UTC. https://status.example.com/i/1"}
}

func TestNotifySends(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	n := newNotifier(t, fake, &syncBuffer{})
	r, err := n.Notify(context.Background(), msg(1, "+31612345678"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.ProviderID, "SM") || len(r.ProviderID) != 34 || r.Status != "queued" {
		t.Errorf("receipt = %+v, want SM+32 hex, queued", r)
	}
	got := fake.Messages()
	if len(got) != 1 {
		t.Fatalf("fake has %d messages, want 1", len(got))
	}
	m := got[0]
	if m.To != "+31612345678" || m.From != "+3197010000000" || m.Sid != r.ProviderID ||
		m.StatusCallback != "https://status.example.com/api/v1/twilio/status" || m.Body != msg(1, "").Text {
		t.Errorf("fake recorded %+v", m)
	}
}

func TestNotifyMessagingService(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	n := newNotifier(t, fake, &syncBuffer{}, func(c *twilio.Config) { c.MessagingServiceSid = "MG0123" })
	r, err := n.Notify(context.Background(), msg(1, "+31612345678"))
	if err != nil {
		t.Fatal(err)
	}
	if m := fake.Messages()[0]; m.MessagingServiceSid != "MG0123" || m.From != "" || r.Status != "accepted" {
		t.Errorf("recorded %+v, receipt %+v", m, r)
	}
}

// class is a failure's classification, for comparison.
type class struct {
	Retry, Permanent, Uncertain bool
	Code                        int
	RetryAfter                  time.Duration
}

func classOf(err error) class {
	f := notify.AsFailure(err)
	return class{f.Retry, f.Permanent, f.Uncertain, f.Code, f.RetryAfter}
}

// errorCases drive every failure class through a fresh fake.
var errorCases = []struct {
	name     string
	setup    func(fake *twiliofake.Server) (to string)
	mutate   func(*twilio.Config)
	want     class
	recorded int // messages the fake holds afterwards
}{
	{"429 with Retry-After", func(f *twiliofake.Server) string {
		f.Inject(twiliofake.Fault{Kind: twiliofake.TooManyRequests, RetryAfter: 2 * time.Second}, 1)
		return "+31612345678"
	}, nil, class{Retry: true, Code: 20429, RetryAfter: 2 * time.Second}, 0},
	{"invalid number 21211", func(f *twiliofake.Server) string { return "+0123" }, nil,
		class{Permanent: true, Code: 21211}, 0},
	{"unsubscribed 21610", func(f *twiliofake.Server) string {
		f.RejectTo("+31600000001", twiliofake.CodeUnsubscribed)
		return "+31600000001"
	}, nil, class{Permanent: true, Code: 21610}, 0},
	{"not mobile 21614", func(f *twiliofake.Server) string {
		f.RejectTo("+31200000001", twiliofake.CodeNotMobile)
		return "+31200000001"
	}, nil, class{Permanent: true, Code: 21614}, 0},
	{"500 not accepted", func(f *twiliofake.Server) string {
		f.Inject(twiliofake.Fault{Kind: twiliofake.ServerError}, 1)
		return "+31612345678"
	}, nil, class{Uncertain: true, Code: 20500}, 0},
	{"accepted then 500", func(f *twiliofake.Server) string {
		f.Inject(twiliofake.Fault{Kind: twiliofake.AcceptThenError}, 1)
		return "+31612345678"
	}, nil, class{Uncertain: true, Code: 20500}, 1},
	{"hang until timeout", func(f *twiliofake.Server) string {
		f.Inject(twiliofake.Fault{Kind: twiliofake.Hang}, 1)
		return "+31612345678"
	}, nil, class{Uncertain: true}, 0},
	{"connection closed before answer", func(f *twiliofake.Server) string {
		f.Inject(twiliofake.Fault{Kind: twiliofake.CloseConnection}, 1)
		return "+31612345678"
	}, nil, class{Uncertain: true}, 0},
	{"wrong auth token", func(f *twiliofake.Server) string { return "+31612345678" },
		func(c *twilio.Config) { c.AuthToken = "wrongTokenValue000000000000000000" }, class{Retry: true, Code: 20003}, 0},
	{"proxy echoes credentials", func(f *twiliofake.Server) string {
		f.Inject(twiliofake.Fault{Kind: twiliofake.EchoAuth}, 1)
		return "+31612345678"
	}, nil, class{Code: 21699}, 0},
	{"connection refused", func(f *twiliofake.Server) string { return "+31612345678" },
		func(c *twilio.Config) { c.APIBaseURL = "http://" + closedAddr() }, class{Retry: true}, 0},
}

// closedAddr returns a 127.0.0.1 address nobody listens on.
func closedAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestNotifyClassifiesFailures(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			fake := twiliofake.New(twiliofake.Options{})
			defer fake.Close()
			to := c.setup(fake)
			var mut []func(*twilio.Config)
			if c.mutate != nil {
				mut = append(mut, c.mutate)
			}
			n := newNotifier(t, fake, &syncBuffer{}, mut...)
			_, err := n.Notify(context.Background(), msg(7, to))
			if err == nil {
				t.Fatal("Notify succeeded, want a failure")
			}
			var f *notify.Failure
			if !errors.As(err, &f) {
				t.Fatalf("error %v is not a *notify.Failure", err)
			}
			if got := classOf(err); got != c.want {
				t.Errorf("class = %+v, want %+v (err: %v)", got, c.want, err)
			}
			if got := len(fake.Messages()); got != c.recorded {
				t.Errorf("fake recorded %d messages, want %d", got, c.recorded)
			}
		})
	}
}

// TestNoSecretLeaks runs every failure class and checks that the auth
// token shows up in no error text and no log line, in any form.
func TestNoSecretLeaks(t *testing.T) {
	logs := &syncBuffer{}
	var errs []string
	for _, c := range errorCases {
		fake := twiliofake.New(twiliofake.Options{})
		to := c.setup(fake)
		var mut []func(*twilio.Config)
		if c.mutate != nil {
			mut = append(mut, c.mutate)
		}
		n := newNotifier(t, fake, logs, mut...)
		_, err := n.Notify(context.Background(), msg(7, to))
		if err != nil {
			errs = append(errs, err.Error(), notify.AsFailure(err).Error())
		}
		_, _, err = n.Reconcile(context.Background(), msg(7, to), time.Now().Add(-time.Minute))
		if err != nil {
			errs = append(errs, err.Error())
		}
		fake.Close()
	}
	all := strings.Join(errs, "\n") + "\n" + logs.String()
	if !strings.Contains(all, "[REDACTED]") {
		t.Errorf("the echoing proxy's error was not redacted, or did not run:\n%s", all)
	}
	for _, secret := range []string{
		twiliofake.TestAuthToken,
		base64.StdEncoding.EncodeToString([]byte(twiliofake.TestAccountSid + ":" + twiliofake.TestAuthToken)),
		"wrongTokenValue000000000000000000",
	} {
		if strings.Contains(all, secret) {
			t.Errorf("secret %q leaked into errors or logs:\n%s", secret, all)
		}
	}
}

func TestReconcileFindsAcceptedMessage(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	n := newNotifier(t, fake, &syncBuffer{})
	start := time.Now()
	fake.Inject(twiliofake.Fault{Kind: twiliofake.AcceptThenError}, 1)
	m := msg(3, "+31612345678")
	if _, err := n.Notify(context.Background(), m); !notify.AsFailure(err).Uncertain {
		t.Fatalf("Notify: %v, want uncertain", err)
	}
	// Another message to the same number must not be mistaken for it.
	other := msg(4, "+31612345678")
	other.Text = "Checkout is back. https://status.example.com/i/1"
	if _, err := n.Notify(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	r, found, err := n.Reconcile(context.Background(), m, start)
	if err != nil || !found {
		t.Fatalf("Reconcile = %v, %v; want found", found, err)
	}
	if r.ProviderID != fake.Messages()[0].Sid {
		t.Errorf("reconciled to %s, want %s", r.ProviderID, fake.Messages()[0].Sid)
	}
	// A message that never arrived is not found: safe to send.
	fake.Inject(twiliofake.Fault{Kind: twiliofake.ServerError}, 1)
	lost := msg(5, "+31699999999")
	if _, err := n.Notify(context.Background(), lost); !notify.AsFailure(err).Uncertain {
		t.Fatalf("Notify: %v, want uncertain", err)
	}
	if _, found, err := n.Reconcile(context.Background(), lost, start); err != nil || found {
		t.Fatalf("Reconcile(lost) = %v, %v; want not found", found, err)
	}
}

func TestNewRejectsIncompleteConfig(t *testing.T) {
	_, err := twilio.New(twilio.Config{APIBaseURL: "ftp://x"})
	if err == nil {
		t.Fatal("New accepted an empty config")
	}
	for _, want := range []string{"account_sid", "auth_token", "from", "api_base_url"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}
