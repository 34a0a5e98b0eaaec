package subscribe

import (
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify/twilio"
	"github.com/vigilmon/vigil/alert/notify/twiliofake"
	"github.com/vigilmon/vigil/store"
)

func TestSubscribeFlow(t *testing.T) {
	f := newFixture(t)
	c := f.client("192.0.2.10")
	form := c.get("/subscribe")
	if form.status != http.StatusOK {
		t.Fatalf("form: %d", form.status)
	}
	mustContain(t, "form", form.body, `name="phone"`, `value="web"`, "Web shop", "Public API", `class="hp"`,
		`href="/static/style.css"`, `href="/subscribe/subscribe.css"`)
	for h, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'; style-src 'self'",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
	} {
		if got := form.header.Get(h); !strings.HasPrefix(got, want) {
			t.Errorf("%s = %q, want %q…", h, got, want)
		}
	}

	// A national number in the default region, both components.
	page := c.requestCode("06 12345678", "web", "api")
	if page.status != http.StatusOK {
		t.Fatalf("request code: %d\n%s", page.status, page.body)
	}
	mustContain(t, "code form", page.body, "+31 6 12345678", `name="code"`, `autocomplete="one-time-code"`, `pattern="[0-9]{6}"`, "6-digit code", "expires in 10 minutes")
	msgs := f.fake.Messages()
	if len(msgs) != 1 || msgs[0].To != "+31612345678" || msgs[0].NumSegments != 1 {
		t.Fatalf("SMS sent: %+v", msgs)
	}
	code := f.codeSent("+31612345678")
	host := strings.TrimPrefix(f.srv.URL, "http://")
	host = host[:strings.LastIndex(host, ":")]
	wantText := "Your code for Example Status: " + code + ". It expires in 10 minutes.\n\n@" + host + " #" + code
	if msgs[0].Body != wantText {
		t.Errorf("SMS text = %q, want %q", msgs[0].Body, wantText)
	}
	if n, gsm := twilio.Segments(msgs[0].Body); n != 1 || !gsm {
		t.Errorf("SMS takes %d segments, GSM-7 %v; want 1 GSM-7 segment", n, gsm)
	}

	// Before confirmation only the pending verification (and the rate
	// limits) are stored, and the code itself is nowhere.
	if got := f.rows(); len(got) != 2 || got["subscribe_verifications"] != 1 || got["rate_limits"] != 4 {
		t.Errorf("stored before confirmation: %v, want only the verification and 4 rate limits", got)
	}
	assertCodeNotStored(t, f, code)
	assertLimitsHoldNoNumber(t, f, "31612345678", "3161234", "192.0.2.10")

	f.clk.Advance(9 * time.Minute)
	done := c.post("/subscribe/verify", codeForm(t, page.body, code))
	if done.status != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", done.status, done.body)
	}
	mustContain(t, "confirmed page", done.body, "You are subscribed", "Web shop", "Public API", "/subscribe/unsubscribe?t=")
	subs, err := f.st.ListSubscriptions(context.Background(), "")
	if err != nil || len(subs) != 2 {
		t.Fatalf("subscriptions: %+v %v", subs, err)
	}
	for _, s := range subs {
		if s.Phone != "+31612345678" || s.ConfirmedAt == nil || !s.Active {
			t.Errorf("subscription %+v, want confirmed and active", s)
		}
	}
	if got := f.rows(); got["subscribe_verifications"] != 0 {
		t.Errorf("the verification outlived its confirmation: %v", got)
	}
	phones, _ := f.st.SubscriberPhones(context.Background(), []string{"api"})
	if !slices.Equal(phones, []string{"+31612345678"}) {
		t.Errorf("subscribers of api: %v", phones)
	}
	// The used form does not work again.
	again := c.post("/subscribe/verify", codeForm(t, page.body, code))
	if again.status != http.StatusGone {
		t.Errorf("used code form: %d, want 410", again.status)
	}
}

// assertCodeNotStored fails when code appears in any text column of the
// verifications (the hash must not be the code, nor hold it).
func assertCodeNotStored(t *testing.T, f *fixture, code string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(filepath.Join(f.dir, store.StateFile))+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id, phone, comps, hash string
	if err := db.QueryRow(`SELECT id, phone, components, code_hash FROM subscribe_verifications`).Scan(&id, &phone, &comps, &hash); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{id, phone, comps, hash} {
		if strings.Contains(v, code) {
			t.Errorf("the code %s is stored: %q", code, v)
		}
	}
	if len(hash) != 64 {
		t.Errorf("code hash %q is not a SHA-256 HMAC", hash)
	}
}

// assertLimitsHoldNoNumber fails when a stored rate limit names one of
// the values (a number, its prefix, the client address) in the clear.
func assertLimitsHoldNoNumber(t *testing.T, f *fixture, values ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(filepath.Join(f.dir, store.StateFile))+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT scope, subject FROM rate_limits`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var scope, subject string
		if err := rows.Scan(&scope, &subject); err != nil {
			t.Fatal(err)
		}
		n++
		for _, v := range values {
			if strings.Contains(subject, v) {
				t.Errorf("rate limit %s stores %q in the clear: %q", scope, v, subject)
			}
		}
	}
	if n != 4 {
		t.Errorf("%d rate limits stored, want 4", n)
	}
}

func TestSingleComponentIsPreselected(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Components = o.Components[:1] })
	page := f.client("192.0.2.10").get("/subscribe")
	mustContain(t, "form", page.body, `value="web" checked`)
}

func TestNewCodeReplacesTheOld(t *testing.T) {
	f := newFixture(t)
	c := f.client("192.0.2.10")
	first := c.requestCode("+31612345678", "web")
	oldCode := f.codeSent("+31612345678")
	second := c.requestCode("+31612345678", "api")
	newCode := f.codeSent("+31612345678")
	if first.status != http.StatusOK || second.status != http.StatusOK {
		t.Fatalf("requests: %d %d", first.status, second.status)
	}
	if r := c.post("/subscribe/verify", codeForm(t, first.body, oldCode)); r.status != http.StatusGone {
		t.Errorf("first code form after a new code: %d, want 410", r.status)
	}
	if r := c.post("/subscribe/verify", codeForm(t, second.body, newCode)); r.status != http.StatusOK {
		t.Fatalf("second code form: %d\n%s", r.status, r.body)
	}
	subs, _ := f.st.ListSubscriptions(context.Background(), "")
	if len(subs) != 1 || subs[0].Component != "api" {
		t.Errorf("subscriptions: %+v, want only api (the latest request)", subs)
	}
}

func TestCodeExpires(t *testing.T) {
	f := newFixture(t)
	c := f.client("192.0.2.10")
	page := c.requestCode("+31612345678", "web")
	code := f.codeSent("+31612345678")
	f.clk.Advance(codeTTL)
	r := c.post("/subscribe/verify", codeForm(t, page.body, code))
	if r.status != http.StatusGone {
		t.Fatalf("expired code: %d, want 410\n%s", r.status, r.body)
	}
	mustContain(t, "answer", r.body, "The code has expired. Request a new one.", `value="+31 6 12345678"`)
	if subs, _ := f.st.ListSubscriptions(context.Background(), ""); len(subs) != 0 {
		t.Errorf("an expired code subscribed: %+v", subs)
	}
	if got := f.rows(); got["subscribe_verifications"] != 0 {
		t.Errorf("the expired verification is kept: %v", got)
	}
}

func TestFiveWrongCodesLock(t *testing.T) {
	f := newFixture(t)
	c := f.client("192.0.2.10")
	page := c.requestCode("+31612345678", "web")
	code := f.codeSent("+31612345678")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for try := 1; try <= maxAttempts; try++ {
		r := c.post("/subscribe/verify", codeForm(t, page.body, wrong))
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code %d: %d, want 422\n%s", try, r.status, r.body)
		}
		if try < maxAttempts {
			mustContain(t, "answer", r.body, "Wrong code.", plural(maxAttempts-try, "try", "tries")+" left.")
			page = r
			continue
		}
		mustContain(t, "last answer", r.body, "That was the last try for this code: request a new one.", `name="phone"`)
	}
	// Even a form for the current count cannot confirm any more: a
	// refused token shows one, and the right code then gets 410.
	refused := c.post("/subscribe/verify", codeForm(t, page.body, code))
	if refused.status != http.StatusForbidden {
		t.Fatalf("form of an earlier try: %d, want 403", refused.status)
	}
	locked := c.post("/subscribe/verify", codeForm(t, refused.body, code))
	if locked.status != http.StatusGone {
		t.Fatalf("right code after 5 wrong: %d, want 410\n%s", locked.status, locked.body)
	}
	mustContain(t, "answer", locked.body, "entered wrongly too often")
	if subs, _ := f.st.ListSubscriptions(context.Background(), ""); len(subs) != 0 {
		t.Errorf("a locked code subscribed: %+v", subs)
	}
}

func TestMalformedCodeCountsAsATry(t *testing.T) {
	f := newFixture(t)
	c := f.client("192.0.2.10")
	page := c.requestCode("+31612345678", "web")
	r := c.post("/subscribe/verify", codeForm(t, page.body, "12a4"))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("malformed code: %d", r.status)
	}
	mustContain(t, "answer", r.body, "Enter the 6 digits of the code from the text message. 4 tries left.")
	if v := hidden(t, r.body, "n"); v != "1" {
		t.Errorf("next form is for try %s, want 1", v)
	}
}

func TestUncertainSendShowsTheCodeForm(t *testing.T) {
	f := newFixture(t)
	f.fake.Inject(twiliofake.Fault{Kind: twiliofake.AcceptThenError}, 1)
	c := f.client("192.0.2.10")
	page := c.requestCode("+31612345678", "web")
	if page.status != http.StatusOK {
		t.Fatalf("uncertain send: %d\n%s", page.status, page.body)
	}
	mustContain(t, "code form", page.body, "the code may arrive late", `name="code"`)
	code := f.codeSent("+31612345678")
	if r := c.post("/subscribe/verify", codeForm(t, page.body, code)); r.status != http.StatusOK {
		t.Errorf("confirm after an uncertain send: %d", r.status)
	}
}
