package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
	"github.com/vigilmon/vigil/probe"
)

const (
	backupToken   = "backup-token-0123456789"
	invoicesToken = "invoices-token-0123456789"
)

// recorded gathers the results a monitor emits.
type recorded struct {
	mu   sync.Mutex
	list []probe.Result
}

func (c *recorded) emit(r probe.Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.list = append(c.list, r)
}

func (c *recorded) all() []probe.Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]probe.Result(nil), c.list...)
}

var hbNow = time.Date(2026, 10, 6, 22, 0, 0, 0, time.UTC)

func newHeartbeatServer(t *testing.T) (*httptest.Server, *recorded) {
	t.Helper()
	rec := &recorded{}
	mon := probe.NewHeartbeatMonitor(probe.HeartbeatOptions{Location: "ams", Clock: clock.NewFake(hbNow), Emit: rec.emit}, []probe.Heartbeat{
		{Name: "nightly-backup", Period: 6 * time.Hour, Grace: 30 * time.Minute, Token: backupToken},
		{Name: "invoice-run", Period: 24 * time.Hour, Token: invoicesToken},
	})
	srv := httptest.NewServer(Handler(Options{Catalog: staticCatalog{}, Latest: NewLatest(), Heartbeats: mon}))
	t.Cleanup(srv.Close)
	return srv, rec
}

func TestHeartbeatPing(t *testing.T) {
	srv, rec := newHeartbeatServer(t)
	var got heartbeatJSON
	code, _ := call(t, "POST", srv.URL+"/api/v1/heartbeats/nightly-backup", backupToken, "", &got)
	if code != http.StatusOK || got.Check != "nightly-backup" || !got.OK || got.Reason != "" ||
		!got.RecordedAt.Equal(hbNow) || !got.NextPingDue.Equal(hbNow.Add(6*time.Hour+30*time.Minute)) {
		t.Errorf("ping: %d %+v, want ok at %s, next due 6h30m later", code, got, hbNow)
	}
	res := rec.all()
	if len(res) != 1 || !res[0].OK || res[0].Check != "nightly-backup" || res[0].Location != "ams" || res[0].Interval != 6*time.Hour+30*time.Minute {
		t.Fatalf("recorded %+v", res)
	}

	// A failed run, its message from the query.
	code, _ = call(t, "POST", srv.URL+"/api/v1/heartbeats/nightly-backup?status=fail&msg=disk+full", backupToken, "", &got)
	if code != http.StatusOK || got.OK || got.Reason != "heartbeat_failed" || got.Message != "disk full" {
		t.Errorf("failed ping: %d %+v", code, got)
	}
	// From the body, cut to one short line however long it is.
	body := "rsync: error\n" + strings.Repeat("x", 20_000)
	code, _ = call(t, "POST", srv.URL+"/api/v1/heartbeats/invoice-run?status=fail", invoicesToken, body, &got)
	if code != http.StatusOK || !strings.HasPrefix(got.Message, "rsync: error xxx") || len(got.Message) > probe.MaxHeartbeatMessage {
		t.Errorf("body message: %d %q (%d bytes)", code, got.Message, len(got.Message))
	}
	// The scheme is case-insensitive.
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/heartbeats/invoice-run", nil)
	req.Header.Set("Authorization", "bearer "+invoicesToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("lower-case bearer: %d", resp.StatusCode)
	}
	if n := len(rec.all()); n != 4 {
		t.Errorf("%d results recorded, want 4", n)
	}
}

func TestHeartbeatRefused(t *testing.T) {
	srv, rec := newHeartbeatServer(t)
	for _, tc := range []struct {
		name, path, token string
		code              int
		want              string
	}{
		{"no token", "/api/v1/heartbeats/nightly-backup", "", http.StatusUnauthorized, "Authorization: Bearer <the check's heartbeat.token, or server.heartbeat_token>"},
		{"wrong token", "/api/v1/heartbeats/nightly-backup", "wrong-token-0123456789", http.StatusUnauthorized, "missing or wrong bearer token"},
		{"prefix of the token", "/api/v1/heartbeats/nightly-backup", backupToken[:10], http.StatusUnauthorized, "missing or wrong bearer token"},
		{"another check's token", "/api/v1/heartbeats/nightly-backup", invoicesToken, http.StatusUnauthorized, "missing or wrong bearer token"},
		// Names are only told apart for a caller holding a token.
		{"unknown name, no token", "/api/v1/heartbeats/nightly-bakup", "", http.StatusUnauthorized, "missing or wrong bearer token"},
		{"unknown name, wrong token", "/api/v1/heartbeats/nightly-bakup", "wrong-token-0123456789", http.StatusUnauthorized, "missing or wrong bearer token"},
		{"unknown name, a token", "/api/v1/heartbeats/nightly-bakup", invoicesToken, http.StatusNotFound, `no heartbeat check named "nightly-bakup"`},
		{"bad status", "/api/v1/heartbeats/nightly-backup?status=failed", backupToken, http.StatusBadRequest, "send status=ok (or none) after a good run, status=fail after a failed one"},
	} {
		var e errorJSON
		code, h := call(t, "POST", srv.URL+tc.path, tc.token, "", &e)
		if code != tc.code || !strings.Contains(e.Error, tc.want) {
			t.Errorf("%s: %d %q, want %d with %q", tc.name, code, e.Error, tc.code, tc.want)
		}
		if code == http.StatusUnauthorized && !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q", tc.name, h.Get("WWW-Authenticate"))
		}
		if strings.Contains(e.Error, backupToken) || strings.Contains(e.Error, invoicesToken) {
			t.Errorf("%s: the error shows a token: %q", tc.name, e.Error)
		}
	}
	if res := rec.all(); len(res) != 0 {
		t.Errorf("refused pings recorded %+v", res)
	}
	if code, _ := call(t, "GET", srv.URL+"/api/v1/heartbeats/nightly-backup", backupToken, "", nil); code != http.StatusMethodNotAllowed {
		t.Errorf("GET answered %d, want 405", code)
	}
}

func TestHeartbeatsOff(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{Catalog: staticCatalog{}, Latest: NewLatest()}))
	defer srv.Close()
	var e errorJSON
	if code, _ := call(t, "POST", srv.URL+"/api/v1/heartbeats/nightly-backup", backupToken, "", &e); code != http.StatusNotFound ||
		!strings.Contains(e.Error, "add a check with heartbeat:") {
		t.Errorf("without heartbeats: %d %q", code, e.Error)
	}
}

func TestAnyTokenAllows(t *testing.T) {
	tokens := []string{"", "first-token-0123456789", "second-token-0123456789"}
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"Bearer second-token-0123456789", true},
		{"Bearer first-token-0123456789", true},
		{"Bearer ", false}, // the empty token never matches
		{"Bearer third-token-0123456789", false},
		{"Basic first-token-0123456789", false},
		{"first-token-0123456789", false},
	} {
		if got := anyTokenAllows(tc.header, tokens); got != tc.want {
			t.Errorf("anyTokenAllows(%q) = %t, want %t", tc.header, got, tc.want)
		}
	}
}
