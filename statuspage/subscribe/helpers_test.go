package subscribe

import (
	"context"
	"database/sql"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify/twilio"
	"github.com/vigilmon/vigil/alert/notify/twiliofake"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/clock"
	"github.com/vigilmon/vigil/store"
)

// t0 is the fake clock's start.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// testSecret is the server secret of the tests.
var testSecret = []byte("0123456789abcdef0123456789abcdef-test-secret")

// fixture is a Handler on a local server with a state database, a fake
// clock and the Twilio channel aimed at a fake Twilio.
type fixture struct {
	t    *testing.T
	h    *Handler
	srv  *httptest.Server
	fake *twiliofake.Server
	st   *store.State
	dir  string
	clk  *clock.Fake
	opts Options
	// extra routes of the server besides /subscribe (the browser test's
	// stylesheets).
	extra *http.ServeMux
}

// testConfig is the subscription config of the tests.
func testConfig() configs.SMSSubscribe {
	return configs.SMSSubscribe{Enabled: true, DefaultRegion: "NL", AllowedCountries: []string{"NL", "BE"},
		MaxVerificationsPerHour: 100, PerIP: 5, PerNumber: 3, PerPrefix: 20}
}

// newFixture starts a fixture; mutate changes the Options before New.
// Requests from 127.0.0.1 are trusted as a proxy, so that a client can
// say which address it comes from with X-Forwarded-For.
func newFixture(t *testing.T, mutate ...func(*Options)) *fixture {
	t.Helper()
	// api_base_url is where Twilio requests go; these must not move them.
	t.Setenv("TWILIO_EDGE", "")
	t.Setenv("TWILIO_REGION", "")
	f := &fixture{t: t, dir: t.TempDir(), clk: clock.NewFake(t0), extra: http.NewServeMux()}
	f.fake = twiliofake.New(twiliofake.Options{})
	t.Cleanup(f.fake.Close)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/subscribe" || strings.HasPrefix(r.URL.Path, "/subscribe/") {
			f.h.ServeHTTP(w, r)
			return
		}
		f.extra.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	sender, err := twilio.New(twilio.Config{AccountSid: f.fake.AccountSid, AuthToken: f.fake.AuthToken,
		From: "+3197010000000", APIBaseURL: f.fake.URL(), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	f.opts = Options{
		Sender:         sender,
		Components:     []configs.Component{{ID: "web", Name: "Web shop"}, {ID: "api", Name: "Public API"}},
		Config:         testConfig(),
		Title:          "Example Status",
		PublicURL:      f.srv.URL,
		Secret:         testSecret,
		Clock:          f.clk,
		Logger:         slog.New(slog.DiscardHandler),
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
	}
	for _, m := range mutate {
		m(&f.opts)
	}
	f.open()
	return f
}

// open opens the state database and a new Handler on it, as a restart
// of vigil would.
func (f *fixture) open() {
	f.t.Helper()
	st, err := store.OpenState(f.dir, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { st.Close() })
	f.st = st
	o := f.opts
	o.Store = st
	h, err := New(o)
	if err != nil {
		f.t.Fatal(err)
	}
	f.h = h
}

// restart closes the state database and opens everything again.
func (f *fixture) restart() {
	f.t.Helper()
	if err := f.st.Close(); err != nil {
		f.t.Fatal(err)
	}
	f.open()
}

// client is a browser: a cookie jar and the address it comes from.
type client struct {
	f    *fixture
	http *http.Client
	addr string
}

// client returns a new browser at address addr.
func (f *fixture) client(addr string) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return &client{f: f, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}, addr: addr}
}

// response is what a request returned.
type response struct {
	status int
	header http.Header
	body   string
}

// do sends req from c's address.
func (c *client) do(req *http.Request) response {
	c.f.t.Helper()
	req.Header.Set("X-Forwarded-For", c.addr)
	resp, err := c.http.Do(req)
	if err != nil {
		c.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.f.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (c *client) get(path string) response {
	c.f.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.f.srv.URL+path, nil)
	if err != nil {
		c.f.t.Fatal(err)
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.f.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.f.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// subscribeForm fetches the form and returns it filled in with phone and
// components, with its token.
func (c *client) subscribeForm(phone string, components ...string) url.Values {
	c.f.t.Helper()
	page := c.get("/subscribe")
	if page.status != http.StatusOK {
		c.f.t.Fatalf("GET /subscribe: %d", page.status)
	}
	return url.Values{"csrf": {hidden(c.f.t, page.body, "csrf")}, "phone": {phone}, "component": components, "website": {""}}
}

// requestCode fills in and sends the form.
func (c *client) requestCode(phone string, components ...string) response {
	c.f.t.Helper()
	return c.post("/subscribe", c.subscribeForm(phone, components...))
}

// codeForm returns the code form on page filled in with code.
func codeForm(t *testing.T, page, code string) url.Values {
	t.Helper()
	return url.Values{"csrf": {hidden(t, page, "csrf")}, "v": {hidden(t, page, "v")}, "n": {hidden(t, page, "n")}, "code": {code}}
}

var hiddenRE = regexp.MustCompile(`<input type="hidden" name="([a-z]+)" value="([^"]*)">`)

// hidden returns the value of the hidden field name on page.
func hidden(t *testing.T, page, name string) string {
	t.Helper()
	for _, m := range hiddenRE.FindAllStringSubmatch(page, -1) {
		if m[1] == name {
			return m[2]
		}
	}
	t.Fatalf("no hidden field %q on the page:\n%s", name, page)
	return ""
}

var codeRE = regexp.MustCompile(`code for [^:]+: ([0-9]{6})\.`)

// codeSent returns the code of the last SMS to phone.
func (f *fixture) codeSent(phone string) string {
	f.t.Helper()
	msgs := f.fake.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].To == phone {
			if m := codeRE.FindStringSubmatch(msgs[i].Body); m != nil {
				return m[1]
			}
			f.t.Fatalf("SMS to %s has no code: %q", phone, msgs[i].Body)
		}
	}
	f.t.Fatalf("no SMS to %s", phone)
	return ""
}

// sent is how many SMS the fake accepted, and create requests it got.
func (f *fixture) sent() int { return len(f.fake.Messages()) }

// rows counts the rows of every table of the state database but
// schema_migrations.
func (f *fixture) rows() map[string]int {
	f.t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(filepath.Join(f.dir, store.StateFile))+"?mode=ro")
	if err != nil {
		f.t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rs, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'`)
	if err != nil {
		f.t.Fatal(err)
	}
	var tables []string
	for rs.Next() {
		var n string
		if err := rs.Scan(&n); err != nil {
			f.t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rs.Close()
	out := map[string]int{}
	for _, tb := range tables {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+tb).Scan(&n); err != nil {
			f.t.Fatal(err)
		}
		if n > 0 {
			out[tb] = n
		}
	}
	return out
}

// mustContain fails unless body, its HTML character references decoded,
// holds every one of want.
func mustContain(t *testing.T, what, body string, want ...string) {
	t.Helper()
	text := html.UnescapeString(body)
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, body)
		}
	}
}
