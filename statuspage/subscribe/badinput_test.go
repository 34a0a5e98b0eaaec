package subscribe

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify/twiliofake"
)

// TestBadInput sends every kind of bad request once, each to a fresh
// handler, and checks the status code, the message on the page, and that
// no SMS was sent and nothing stored.
func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		send   func(f *fixture, c *client) response
		status int
		want   string
	}{
		{"empty number", func(f *fixture, c *client) response { return c.requestCode("  ", "web") },
			422, "Enter your mobile number, e.g. 06 12345678."},
		{"not a number", func(f *fixture, c *client) response { return c.requestCode("call me", "web") },
			422, `"call me" is not a phone number. Enter your mobile number, e.g. 06 12345678.`},
		{"too long", func(f *fixture, c *client) response { return c.requestCode(strings.Repeat("6", 41), "web") },
			422, "That is too long for a phone number."},
		{"invalid number", func(f *fixture, c *client) response { return c.requestCode("+31 6 1234", "web") },
			422, "+31 61234 is not a valid number: check the digits and the country code."},
		{"country not allowed", func(f *fixture, c *client) response { return c.requestCode("+49 1512 3456789", "web") },
			422, "Numbers from Germany\u00a0(+49) cannot subscribe here. This page sends SMS to numbers from Belgium\u00a0(+32) and Netherlands\u00a0(+31)."},
		{"fixed line", func(f *fixture, c *client) response { return c.requestCode("020 123 4567", "web") },
			422, "+31 20 123 4567 is not a mobile number. Enter a number that can receive SMS."},
		{"premium rate", func(f *fixture, c *client) response { return c.requestCode("0909 1234567", "web") },
			422, "+31 909 1234567 is not a mobile number."},
		{"extension", func(f *fixture, c *client) response { return c.requestCode("06 12345678 ext. 12", "web") },
			422, "Leave out the extension: an SMS goes to the number itself."},
		{"no component", func(f *fixture, c *client) response { return c.requestCode("+31612345678") },
			422, "Choose at least one component to follow."},
		{"unknown component", func(f *fixture, c *client) response { return c.requestCode("+31612345678", "web", "billing") },
			400, "The form named a component this page does not have."},
		{"missing CSRF token", func(f *fixture, c *client) response {
			form := c.subscribeForm("+31612345678", "web")
			form.Del("csrf")
			return c.post("/subscribe", form)
		}, 403, "This form is not valid. Send it again from this page."},
		{"forged CSRF token", func(f *fixture, c *client) response {
			form := c.subscribeForm("+31612345678", "web")
			form.Set("csrf", form.Get("csrf")[:12]+"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
			return c.post("/subscribe", form)
		}, 403, "This form is not valid."},
		{"token of another browser", func(f *fixture, c *client) response {
			form := f.client("192.0.2.99").subscribeForm("+31612345678", "web")
			c.get("/subscribe") // c has a cookie of its own
			return c.post("/subscribe", form)
		}, 403, "This form is not valid."},
		{"no cookie", func(f *fixture, c *client) response {
			form := c.subscribeForm("+31612345678", "web")
			return f.client("192.0.2.10").post("/subscribe", form)
		}, 403, "did not send this site"},
		{"expired token", func(f *fixture, c *client) response {
			form := c.subscribeForm("+31612345678", "web")
			f.clk.Advance(tokenTTL + time.Minute)
			return c.post("/subscribe", form)
		}, 403, "This form has expired. Send it again from this page."},
		{"token of another form", func(f *fixture, c *client) response {
			form := c.subscribeForm("+31612345678", "web")
			cookie := c.http.Jar.Cookies(mustURL(f.srv.URL))[0]
			form.Set("csrf", f.h.keys.formToken(cookie.Value, purposeUnsubscribe, "", f.clk.Now()))
			return c.post("/subscribe", form)
		}, 403, "This form is not valid."},
		{"oversized body", func(f *fixture, c *client) response {
			form := c.subscribeForm("+31612345678", "web")
			form.Set("website", strings.Repeat("x", 8<<10))
			return c.post("/subscribe", form)
		}, 413, "The form was larger than it can be."},
		{"oversized body without length", func(f *fixture, c *client) response {
			form := c.subscribeForm("+31612345678", "web")
			form.Set("website", strings.Repeat("x", 8<<10))
			req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/subscribe", io.MultiReader(strings.NewReader(form.Encode())))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return c.do(req)
		}, 413, "The form was larger than it can be."},
		{"not a form", func(f *fixture, c *client) response {
			req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/subscribe", strings.NewReader(`{"phone":"+31612345678"}`))
			req.Header.Set("Content-Type", "application/json")
			return c.do(req)
		}, 415, "Send the form from this page."},
		{"field twice", func(f *fixture, c *client) response {
			form := c.subscribeForm("+31612345678", "web")
			form.Add("phone", "+31612345679")
			return c.post("/subscribe", form)
		}, 400, "The form held a field twice."},
		{"unreadable code form", func(f *fixture, c *client) response {
			return c.post("/subscribe/verify", url.Values{"v": {"x"}, "n": {"many"}, "code": {"123456"}})
		}, 400, "The code form could not be read."},
		{"code form of no verification", func(f *fixture, c *client) response {
			c.get("/subscribe")
			cookie := c.http.Jar.Cookies(mustURL(f.srv.URL))[0]
			token := f.h.keys.formToken(cookie.Value, purposeVerify, verifyBinding("nope", 0), f.clk.Now())
			return c.post("/subscribe/verify", url.Values{"csrf": {token}, "v": {"nope"}, "n": {"0"}, "code": {"123456"}})
		}, 410, "This code no longer works"},
		{"code form without token", func(f *fixture, c *client) response {
			page := c.requestCode("+31612345678", "web")
			if f.sent() != 1 {
				t.Fatalf("setup: %d SMS sent, want 1", f.sent())
			}
			form := codeForm(t, page.body, "123456")
			form.Del("csrf")
			r := c.post("/subscribe/verify", form)
			if r.status == http.StatusForbidden && hidden(t, r.body, "n") != "0" {
				t.Errorf("a refused form counted a try")
			}
			return r
		}, 403, "This form is not valid."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			c := f.client("192.0.2.10")
			r := tc.send(f, c)
			if r.status != tc.status {
				t.Errorf("status %d, want %d\n%s", r.status, tc.status, r.body)
			}
			mustContain(t, "page", r.body, tc.want, `<p class="error"`)
			wantSent := 0
			if tc.name == "code form without token" {
				wantSent = 1 // the code of the setup
			}
			if n := len(f.fake.Messages()); n != wantSent {
				t.Errorf("%d SMS sent, want %d", n, wantSent)
			}
			if rows := f.rows(); rows["subscriptions"] != 0 || (wantSent == 0 && rows["subscribe_verifications"] != 0) {
				t.Errorf("stored: %v", rows)
			}
		})
	}
}

func TestHoneypotFakesSuccess(t *testing.T) {
	f := newFixture(t)
	c := f.client("192.0.2.10")
	form := c.subscribeForm("+31612345678", "web")
	form.Set("website", "https://spam.example")
	r := c.post("/subscribe", form)
	if r.status != http.StatusOK {
		t.Fatalf("honeypot: %d, want 200", r.status)
	}
	mustContain(t, "page", r.body, "Enter the code", "+31612345678", `name="code"`)
	if n := len(f.fake.Messages()); n != 0 || f.fake.Requests("+31612345678") != 0 {
		t.Errorf("the honeypot sent %d SMS", n)
	}
	if rows := f.rows(); len(rows) != 0 {
		t.Errorf("the honeypot stored %v", rows)
	}
	// The fake code form leads nowhere.
	if r := c.post("/subscribe/verify", codeForm(t, r.body, "123456")); r.status != http.StatusGone {
		t.Errorf("fake code form: %d, want 410", r.status)
	}
}

func TestReplayedCodeForm(t *testing.T) {
	f := newFixture(t)
	c := f.client("192.0.2.10")
	first := c.requestCode("+31612345678", "web")
	code := f.codeSent("+31612345678")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	second := c.post("/subscribe/verify", codeForm(t, first.body, wrong))
	if second.status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong code: %d", second.status)
	}
	// The first form again, now with the right code: refused, and no try
	// is used by it.
	replay := c.post("/subscribe/verify", codeForm(t, first.body, code))
	if replay.status != http.StatusForbidden {
		t.Fatalf("replayed form: %d, want 403\n%s", replay.status, replay.body)
	}
	mustContain(t, "page", replay.body, msgUsedToken)
	if subs := f.rows()["subscriptions"]; subs != 0 {
		t.Fatal("a replayed form subscribed")
	}
	if r := c.post("/subscribe/verify", codeForm(t, second.body, code)); r.status != http.StatusOK {
		t.Fatalf("the newest form: %d\n%s", r.status, r.body)
	}
}

func TestSenderRefusals(t *testing.T) {
	for _, tc := range []struct {
		name   string
		code   int
		status int
		want   string
	}{
		{"opted out", 21610, 422, "This number has replied STOP to our text messages"},
		{"not mobile", 21614, 422, "We cannot send text messages to this number."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.fake.RejectTo("+31612345678", tc.code)
			r := f.client("192.0.2.10").requestCode("+31612345678", "web")
			if r.status != tc.status {
				t.Fatalf("status %d, want %d", r.status, tc.status)
			}
			mustContain(t, "page", r.body, tc.want)
			if rows := f.rows(); rows["subscribe_verifications"] != 0 {
				t.Errorf("an unsent code is kept: %v", rows)
			}
		})
	}
	t.Run("provider down", func(t *testing.T) {
		f := newFixture(t)
		f.fake.Inject(twiliofake.Fault{Kind: twiliofake.TooManyRequests, RetryAfter: time.Second}, 1)
		r := f.client("192.0.2.10").requestCode("+31612345678", "web")
		if r.status != http.StatusBadGateway {
			t.Fatalf("status %d, want 502", r.status)
		}
		mustContain(t, "page", r.body, "The code could not be sent just now.")
		if rows := f.rows(); rows["subscribe_verifications"] != 0 || len(f.fake.Messages()) != 0 {
			t.Errorf("stored %v, sent %d", rows, len(f.fake.Messages()))
		}
	})
}

func TestWrongMethodAndPath(t *testing.T) {
	f := newFixture(t)
	c := f.client("192.0.2.10")
	if r := c.get("/subscribe/verify"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/subscribe" {
		t.Errorf("GET of the code form's target: %d %q, want 303 to /subscribe", r.status, r.header.Get("Location"))
	}
	req, _ := http.NewRequest(http.MethodDelete, f.srv.URL+"/subscribe", nil)
	if r := c.do(req); r.status != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d, want 405", r.status)
	}
	if r := c.get("/subscribe/nothing"); r.status != http.StatusNotFound {
		t.Errorf("unknown path: %d, want 404", r.status)
	}
	css := c.get("/subscribe/subscribe.css")
	if css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || !strings.Contains(css.body, ".subscribe .hp") {
		t.Errorf("stylesheet: %d %q", css.status, css.header.Get("Content-Type"))
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
