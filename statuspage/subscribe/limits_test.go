package subscribe

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/vigilmon/vigil/store"
)

// expectRefusal checks a refused request: status, Retry-After, message,
// and that the number of SMS sent did not change.
func expectRefusal(t *testing.T, f *fixture, r response, sentBefore, status int, retryAfter, msg string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d\n%s", r.status, status, r.body)
	}
	if got := r.header.Get("Retry-After"); got != retryAfter {
		t.Errorf("Retry-After %q, want %q", got, retryAfter)
	}
	mustContain(t, "page", r.body, msg)
	if n := f.sent(); n != sentBefore {
		t.Errorf("%d SMS sent, want %d: a refused request sent one", n, sentBefore)
	}
}

// mustSend requests a code and fails unless it was sent.
func mustSend(t *testing.T, f *fixture, c *client, phone string) {
	t.Helper()
	before := f.sent()
	if r := c.requestCode(phone, "web"); r.status != http.StatusOK || f.sent() != before+1 {
		t.Fatalf("request for %s from %s: %d, %d SMS sent\n%s", phone, c.addr, r.status, f.sent()-before, r.body)
	}
}

func TestPerAddressLimit(t *testing.T) {
	f := newFixture(t)
	c := f.client("192.0.2.10")
	for i := range 5 {
		mustSend(t, f, c, fmt.Sprintf("+316123%d5678", i))
	}
	// 5 per hour: the next token comes after 12 minutes.
	expectRefusal(t, f, c.requestCode("+31687654329", "web"), 5, 429, "720",
		"Too many codes were requested from your network. Try again in 12 minutes.")
	mustSend(t, f, f.client("192.0.2.11"), "+31687654329")
	f.clk.Advance(12 * time.Minute)
	mustSend(t, f, c, "+31687654321")
}

func TestPerNumberLimit(t *testing.T) {
	f := newFixture(t)
	for i := range 3 {
		mustSend(t, f, f.client(fmt.Sprintf("192.0.2.%d", 10+i)), "+31612345678")
	}
	expectRefusal(t, f, f.client("192.0.2.20").requestCode("+31612345678", "web"), 3, 429, "1200",
		"Too many codes were sent to this number. Try again in 20 minutes.")
}

func TestPerPrefixLimit(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Config.PerPrefix = 2 })
	mustSend(t, f, f.client("192.0.2.10"), "+31612345601")
	mustSend(t, f, f.client("192.0.2.11"), "+31612345602")
	expectRefusal(t, f, f.client("192.0.2.12").requestCode("+31612345699", "web"), 2, 429, "1800",
		"Too many codes were sent to numbers like this one. Try again in 30 minutes.")
	// Another block of numbers is not affected.
	mustSend(t, f, f.client("192.0.2.13"), "+31612346601")
}

func TestGlobalLimit(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Config.MaxVerificationsPerHour = 2 })
	mustSend(t, f, f.client("192.0.2.10"), "+31611111111")
	mustSend(t, f, f.client("198.51.100.7"), "+32470123456")
	expectRefusal(t, f, f.client("203.0.113.5").requestCode("+31622222222", "web"), 2, 503, "1800",
		"We are sending too many codes right now. Try again in 30 minutes.")
}

// TestLimitsSurviveRestart: for each scope, one request uses its only
// token, vigil restarts (a new Handler on the reopened database), and a
// request that only that scope limits is refused.
func TestLimitsSurviveRestart(t *testing.T) {
	for _, tc := range []struct {
		scope          string
		limit          func(o *Options)
		second         [2]string // address, number
		status         int
		retryAfter     string
		msg            string
		afterRefillGap time.Duration
	}{
		{"ip", func(o *Options) { o.Config.PerIP = 1 }, [2]string{"192.0.2.10", "+31687654329"},
			429, "3600", "requested from your network", time.Hour},
		{"number", func(o *Options) { o.Config.PerNumber = 1 }, [2]string{"192.0.2.11", "+31612345678"},
			429, "3600", "sent to this number", time.Hour},
		{"prefix", func(o *Options) { o.Config.PerPrefix = 1 }, [2]string{"192.0.2.11", "+31612345699"},
			429, "3600", "sent to numbers like this one", time.Hour},
		{"global", func(o *Options) { o.Config.MaxVerificationsPerHour = 1 }, [2]string{"192.0.2.11", "+31687654329"},
			503, "3600", "We are sending too many codes right now.", time.Hour},
	} {
		t.Run(tc.scope, func(t *testing.T) {
			f := newFixture(t, tc.limit)
			mustSend(t, f, f.client("192.0.2.10"), "+31612345678")
			f.restart()
			f.clk.Advance(time.Second)
			c := f.client(tc.second[0])
			expectRefusal(t, f, c.requestCode(tc.second[1], "web"), 1, tc.status, "3599", tc.msg)
			f.restart()
			f.clk.Advance(tc.afterRefillGap)
			mustSend(t, f, c, tc.second[1])
		})
	}
}

func TestFloodLimit(t *testing.T) {
	f := newFixture(t)
	c := f.client("192.0.2.10")
	form := c.subscribeForm("not a number", "web")
	for i := range floodBurst {
		if r := c.post("/subscribe", form); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("request %d: %d, want 422", i+1, r.status)
		}
	}
	expectRefusal(t, f, c.post("/subscribe", form), 0, 429, "3",
		"Too many requests from your network. Wait a minute and try again.")
	// The code form is behind the same limit.
	if r := c.post("/subscribe/verify", form); r.status != http.StatusTooManyRequests {
		t.Errorf("code form during a flood: %d, want 429", r.status)
	}
	// Others are not affected.
	if r := f.client("192.0.2.11").requestCode("+31612345678", "web"); r.status != http.StatusOK {
		t.Errorf("another address: %d", r.status)
	}
	f.clk.Advance(floodEvery)
	if r := c.post("/subscribe", form); r.status != http.StatusUnprocessableEntity {
		t.Errorf("after %s: %d, want 422", floodEvery, r.status)
	}
}

// TestForwardedForNeedsTrust: without trusted proxies X-Forwarded-For is
// ignored, so a client cannot dodge the address limit with it.
func TestForwardedForNeedsTrust(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.TrustedProxies = nil; o.Config.PerIP = 1 })
	mustSend(t, f, f.client("192.0.2.10"), "+31612345678")
	expectRefusal(t, f, f.client("192.0.2.11").requestCode("+31687654329", "web"), 1, 429, "3600",
		"requested from your network")
}

func TestClientAddr(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, c := range []struct {
		remote, xff string
		trusted     []netip.Prefix
		want        string
	}{
		{"192.0.2.1:4242", "", nil, "192.0.2.1"},
		{"192.0.2.1:4242", "198.51.100.1", nil, "192.0.2.1"},
		{"192.0.2.1:4242", "198.51.100.1", trusted, "192.0.2.1"},
		{"10.1.2.3:4242", "198.51.100.1", trusted, "198.51.100.1"},
		// A client's own X-Forwarded-For entries come before the proxy's.
		{"10.1.2.3:4242", "6.6.6.6, 198.51.100.1", trusted, "198.51.100.1"},
		{"10.1.2.3:4242", "198.51.100.1, 10.9.9.9", trusted, "198.51.100.1"},
		{"10.1.2.3:4242", "garbage, 198.51.100.1", trusted, "198.51.100.1"},
		{"10.1.2.3:4242", "198.51.100.1, garbage", trusted, "10.1.2.3"},
		{"[2001:db8:1:2:3:4:5:6]:4242", "", nil, "2001:db8:1:2::/64"},
		{"[fd00::1]:4242", "2001:db8:aa:bb::9", trusted, "2001:db8:aa:bb::/64"},
		{"[::ffff:192.0.2.7]:4242", "", nil, "192.0.2.7"},
		{"not an address", "", nil, "unknown"},
	} {
		r, _ := http.NewRequest(http.MethodGet, "http://x/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := clientAddr(r, c.trusted); got != c.want {
			t.Errorf("%s with X-Forwarded-For %q (trusted %v): %s, want %s", c.remote, c.xff, c.trusted != nil, got, c.want)
		}
	}
}

// TestRestoreIsExact: a limiter restored from its stored state has the
// same tokens as the original, now and later, fractions included.
func TestRestoreIsExact(t *testing.T) {
	k := limitKey{scopeIP, "192.0.2.1"}
	orig := rate.NewLimiter(rate.Limit(5.0/3600), 5)
	for range 4 {
		orig.AllowN(t0, 1)
	}
	at := t0.Add(517 * time.Second)
	st := stateOf(k, orig, at)
	if want := 1 + 517*5.0/3600; math.Abs(st.Tokens-want) > 1e-9 {
		t.Fatalf("state tokens %v, want %v", st.Tokens, want)
	}
	if want := at.Add(time.Duration((5 - st.Tokens) / (5.0 / 3600) * float64(time.Second))); st.FullAt.Sub(want).Abs() > time.Millisecond {
		t.Errorf("full at %v, want %v", st.FullAt, want)
	}
	restored := rate.NewLimiter(rate.Limit(5.0/3600), 5)
	restore(restored, st)
	for _, d := range []time.Duration{0, time.Second, 10 * time.Minute, 2 * time.Hour} {
		if a, b := orig.TokensAt(at.Add(d)), restored.TokensAt(at.Add(d)); math.Abs(a-b) > 1e-6 {
			t.Errorf("after %s: restored %v tokens, original %v", d, b, a)
		}
	}
}

// memLimitStore is a LimitStore in memory, counting saves.
type memLimitStore struct {
	m     map[limitKey]store.LimiterState
	saves int
}

func (s *memLimitStore) LoadLimiter(_ context.Context, scope, subject string) (store.LimiterState, bool, error) {
	st, ok := s.m[limitKey{scope, subject}]
	return st, ok, nil
}

func (s *memLimitStore) SaveLimiters(_ context.Context, states []store.LimiterState, _ time.Time) error {
	s.saves++
	for _, st := range states {
		s.m[limitKey{st.Scope, st.Subject}] = st
	}
	return nil
}

// TestTakeIsAllOrNothing: when one bucket is empty no other loses a
// token, and nothing is written.
func TestTakeIsAllOrNothing(t *testing.T) {
	ms := &memLimitStore{m: map[limitKey]store.LimiterState{}}
	l := newLimits(ms, map[string]int{scopeIP: 1, scopeNumber: 3})
	ctx := context.Background()
	ip, num1, num2 := limitKey{scopeIP, "a"}, limitKey{scopeNumber, "1"}, limitKey{scopeNumber, "2"}
	if d, err := l.take(ctx, []limitKey{ip, num1}, t0); d != nil || err != nil {
		t.Fatalf("first take: %+v %v", d, err)
	}
	d, err := l.take(ctx, []limitKey{num2, ip}, t0)
	if err != nil || d == nil || d.scope != scopeIP || d.wait != time.Hour {
		t.Fatalf("second take: %+v %v, want a denial by ip for 1h", d, err)
	}
	if ms.saves != 1 {
		t.Errorf("%d saves, want 1: a denial wrote", ms.saves)
	}
	if _, stored := ms.m[num2]; stored {
		t.Error("the number's bucket lost a token to a denied request")
	}
	if n := len(l.buckets); n != 2 {
		t.Errorf("%d buckets in memory, want 2: full ones are dropped", n)
	}
}
