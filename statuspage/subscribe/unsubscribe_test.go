package subscribe

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/inbound"
	"github.com/vigilmon/vigil/alert/notify/twilio"
)

// subscribe runs the whole flow for phone and returns the confirmed page.
func subscribe(t *testing.T, f *fixture, c *client, phone string, components ...string) response {
	t.Helper()
	page := c.requestCode(phone, components...)
	if page.status != http.StatusOK {
		t.Fatalf("request code: %d\n%s", page.status, page.body)
	}
	done := c.post("/subscribe/verify", codeForm(t, page.body, f.codeSent(phone)))
	if done.status != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", done.status, done.body)
	}
	return done
}

// linkPath returns the path and query of the unsubscribe link on page.
func linkPath(t *testing.T, f *fixture, page string) string {
	t.Helper()
	i := strings.Index(page, f.srv.URL+"/subscribe/unsubscribe?t=")
	if i < 0 {
		t.Fatalf("no unsubscribe link on the page:\n%s", page)
	}
	link := page[i:]
	link = link[:strings.IndexByte(link, '"')]
	return strings.TrimPrefix(link, f.srv.URL)
}

func TestUnsubscribeByLink(t *testing.T) {
	f := newFixture(t)
	c := f.client("192.0.2.10")
	done := subscribe(t, f, c, "+31612345678", "web", "api")
	if _, err := f.st.AddSubscription(context.Background(), "+31687654321", "web", true, t0); err != nil {
		t.Fatal(err)
	}
	link := linkPath(t, f, done.body)
	if strings.Contains(link, "31612345678") {
		t.Errorf("the link shows the number: %s", link)
	}

	// A link scanner (another browser) opening the link changes nothing.
	scanner := f.client("203.0.113.9")
	ask := scanner.get(link)
	if ask.status != http.StatusOK {
		t.Fatalf("GET link: %d", ask.status)
	}
	mustContain(t, "confirm page", ask.body, "+31 ••••••678", `<button type="submit">Unsubscribe</button>`)
	if n := f.rows()["subscriptions"]; n != 3 {
		t.Fatalf("%d subscriptions after GET, want 3: GET must not unsubscribe", n)
	}

	// The button without its token is refused.
	form := url.Values{"t": {hidden(t, ask.body, "t")}}
	if r := scanner.post("/subscribe/unsubscribe", form); r.status != http.StatusForbidden {
		t.Errorf("POST without token: %d, want 403", r.status)
	}
	if n := f.rows()["subscriptions"]; n != 3 {
		t.Fatalf("%d subscriptions after a refused POST, want 3", n)
	}

	form.Set("csrf", hidden(t, ask.body, "csrf"))
	r := scanner.post("/subscribe/unsubscribe", form)
	if r.status != http.StatusOK {
		t.Fatalf("POST: %d\n%s", r.status, r.body)
	}
	mustContain(t, "page", r.body, "You are unsubscribed", "gets no more text messages")
	subs, _ := f.st.ListSubscriptions(context.Background(), "")
	if len(subs) != 1 || subs[0].Phone != "+31687654321" {
		t.Errorf("left after unsubscribing: %+v, want only the other number", subs)
	}
}

func TestUnsubscribeLinkTampered(t *testing.T) {
	f := newFixture(t)
	link := f.h.UnsubscribeURL("+31612345678")
	u, _ := url.Parse(link)
	token := u.Query().Get("t")
	flipped := []byte(token)
	flipped[len(flipped)/2] ^= 1
	c := f.client("192.0.2.10")
	for _, bad := range []string{"", "short", string(flipped), token + "A"} {
		r := c.get("/subscribe/unsubscribe?t=" + url.QueryEscape(bad))
		if r.status != http.StatusBadRequest {
			t.Errorf("token %q: %d, want 400", bad, r.status)
		}
		mustContain(t, "page", r.body, "This unsubscribe link is not valid")
	}
	// Another server secret does not open it either.
	other, err := deriveKeys([]byte("another-secret-of-at-least-32-bytes!"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.openUnsubscribeToken(token); err == nil {
		t.Error("a token opened under another secret")
	}
	if phone, err := f.h.keys.openUnsubscribeToken(token); err != nil || phone != "+31612345678" {
		t.Errorf("own token: %q %v", phone, err)
	}
}

// TestStopDeactivates: a subscriber who replies STOP (the existing inbound
// path, store.SetSubscriberActive) gets no more messages.
func TestStopDeactivates(t *testing.T) {
	f := newFixture(t)
	subscribe(t, f, f.client("192.0.2.10"), "+31612345678", "web")
	ctx := context.Background()
	if phones, _ := f.st.SubscriberPhones(ctx, []string{"web"}); len(phones) != 1 {
		t.Fatalf("subscribers before STOP: %v", phones)
	}
	f.extra.Handle("POST /api/v1/twilio/inbound", inbound.Handler(inbound.Config{
		Verifier:    twilio.NewVerifier(f.fake.AuthToken, f.srv.URL),
		Subscribers: stopper{f},
		HelpText:    "help",
	}))
	status, err := f.fake.PostInbound(f.srv.URL+"/api/v1/twilio/inbound", "+31612345678", "+3197010000000", "Stop")
	if err != nil || status != http.StatusOK {
		t.Fatalf("inbound STOP: %d %v", status, err)
	}
	if phones, _ := f.st.SubscriberPhones(ctx, []string{"web"}); len(phones) != 0 {
		t.Errorf("subscribers after STOP: %v, want none", phones)
	}
	subs, _ := f.st.ListSubscriptions(ctx, "web")
	if len(subs) != 1 || subs[0].Active {
		t.Errorf("subscription after STOP: %+v, want kept inactive", subs)
	}
}

// stopper applies STOP and START as cmd/vigil does.
type stopper struct{ f *fixture }

func (s stopper) Unsubscribe(ctx context.Context, phone string) error {
	_, err := s.f.st.SetSubscriberActive(ctx, "twilio", phone, false, "replied STOP", time.Now())
	return err
}

func (s stopper) Resubscribe(ctx context.Context, phone string) error {
	_, err := s.f.st.SetSubscriberActive(ctx, "twilio", phone, true, "", time.Now())
	return err
}

func TestNewRefusesBadOptions(t *testing.T) {
	f := newFixture(t)
	for name, mutate := range map[string]func(*Options){
		"no store":        func(o *Options) { o.Store = nil },
		"short secret":    func(o *Options) { o.Secret = []byte("short") },
		"bad public URL":  func(o *Options) { o.PublicURL = "status.example.com" },
		"unknown region":  func(o *Options) { o.Config.DefaultRegion = "XX" },
		"no countries":    func(o *Options) { o.Config.AllowedCountries = nil },
		"no components":   func(o *Options) { o.Components = nil },
		"zero limit":      func(o *Options) { o.Config.PerPrefix = 0 },
		"no sender given": func(o *Options) { o.Sender = nil },
	} {
		o := f.opts
		o.Store = f.st
		mutate(&o)
		if _, err := New(o); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

func TestUnsubscribeURL(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.PublicURL = "https://status.example.com/" })
	link := f.h.UnsubscribeURL("+31612345678")
	if !strings.HasPrefix(link, "https://status.example.com/subscribe/unsubscribe?t=") {
		t.Errorf("link %s", link)
	}
	if a, b := f.h.UnsubscribeURL("+31612345678"), link; a == b {
		t.Error("two links of a number are equal: the nonce is not random")
	}
	if f.h.cookie.name != "__Host-vigil_subscribe" || !f.h.cookie.secure {
		t.Errorf("cookie on an https page: %+v, want __Host- and Secure", f.h.cookie)
	}
}
