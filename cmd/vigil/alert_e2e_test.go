package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify/twiliofake"
)

const (
	e2eAdmin  = "admin-0123456789abcdef"
	e2eReport = "report-0123456789abcdef"
	e2eFrom   = "+3197010000000"
	onCallA   = "+31612345678"
	onCallB   = "+31612345679"
	subA      = "+31612345670"
	subB      = "+31612345671"
)

// probeTarget is a probed application that can be switched to failing; it
// notes when the first failing probe arrived.
type probeTarget struct {
	*httptest.Server
	down      atomic.Bool
	mu        sync.Mutex
	firstFail time.Time
}

func newTarget(t testing.TB) *probeTarget {
	tg := &probeTarget{}
	tg.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tg.down.Load() {
			tg.mu.Lock()
			if tg.firstFail.IsZero() {
				tg.firstFail = time.Now()
			}
			tg.mu.Unlock()
			http.Error(w, "broken", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "hello")
	}))
	t.Cleanup(tg.Close)
	return tg
}

// setDown switches the target and forgets the first failure.
func (tg *probeTarget) setDown(down bool) {
	tg.mu.Lock()
	tg.firstFail = time.Time{}
	tg.mu.Unlock()
	tg.down.Store(down)
}

func (tg *probeTarget) failedAt() time.Time {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return tg.firstFail
}

// alertConfig probes app and web (each its own target) every second and
// sends SMS through the fake Twilio.
func alertConfig(app, web, fake, addr, policy string) string {
	return fmt.Sprintf(`location: test
server: {admin_token: %q, report_token: %q}
components: [{id: app, name: App}, {id: web, name: Web}]
checks:
  - {name: home, component: app, interval: 1s, timeout: 900ms, http: {url: "%s/", expect: {status: [200], body_contains: "hello"}}}
  - {name: web-home, component: web, interval: 1s, timeout: 900ms, http: {url: "%s/", expect: {status: [200], body_contains: "hello"}}}
slas:
  - {customer: acme, timezone: UTC, components: [app], availability_target: 99.9%%}
alerting:
  policy: %s
  on_call: [{name: A, phone: %q}, {name: B, phone: %q}]
  twilio:
    account_sid: %s
    auth_token: %s
    from: %q
    api_base_url: %s
    rate_per_second: 100
    public_url: http://%s
`, e2eAdmin, e2eReport, app, web, policy, onCallA, onCallB, twiliofake.TestAccountSid, twiliofake.TestAuthToken, e2eFrom, fake, addr)
}

// daemon is a running vigil serve.
type daemon struct {
	base    string
	cfgPath string
	logs    *bytes.Buffer
	stop    func()
}

// startServe runs vigil serve on cfg until the test ends.
func startServe(t testing.TB, cfgText, addr string) *daemon {
	t.Helper()
	dir := t.TempDir()
	d := &daemon{base: "http://" + addr, cfgPath: writeFileTB(t, dir, "c.yaml", cfgText), logs: &bytes.Buffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-config", d.cfgPath, "-listen", addr, "-data-dir", filepath.Join(dir, "data")}, io.Discard, &syncWriter{w: d.logs})
	}()
	var once sync.Once
	d.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve returned %v", err)
				}
			case <-time.After(15 * time.Second):
				t.Error("serve did not stop")
			}
		})
	}
	t.Cleanup(d.stop)
	waitTB(t, "healthz", 15*time.Second, func() bool {
		resp, err := http.Get(d.base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	return d
}

// do sends an admin API request and returns the status and body.
func (d *daemon) do(t testing.TB, method, path, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, d.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func writeFileTB(t testing.TB, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := writeFileErr(p, text); err != nil {
		t.Fatal(err)
	}
	return p
}

func waitTB(t testing.TB, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// to returns the fake's messages to phone.
func to(fake *twiliofake.Server, phone string) []twiliofake.Message {
	var out []twiliofake.Message
	for _, m := range fake.Messages() {
		if m.To == phone {
			out = append(out, m)
		}
	}
	return out
}

// The whole loop against the fake Twilio: a failing check pages each
// on-call engineer once with the status link and its subscribers; planned
// maintenance silences another component; STOP unsubscribes; an update
// with -notify reaches subscribers; recovery resolves; the SLA report
// lists the incident.
func TestAlertingEndToEnd(t *testing.T) {
	fake := twiliofake.New(twiliofake.Options{StatusCallbacks: true, CallbackDelay: 10 * time.Millisecond})
	defer fake.Close()
	app, web := newTarget(t), newTarget(t)
	addr := freeAddr(t)
	d := startServe(t, alertConfig(app.URL, web.URL, fake.URL(), addr, "{failures_to_open: 3, successes_to_resolve: 2}"), addr)
	link := d.base + "/status"

	for _, p := range []string{subA, subB} {
		if code, body := d.do(t, "POST", "/api/v1/subscribers", e2eAdmin, `{"phone":"`+p+`","components":["app"]}`); code != http.StatusCreated {
			t.Fatalf("add subscriber: %d %s", code, body)
		}
	}
	if code, body := d.do(t, "POST", "/api/v1/subscribers", e2eAdmin, `{"phone":"0612345678","components":["app"]}`); code != http.StatusBadRequest {
		t.Errorf("national number accepted: %d %s", code, body)
	}
	// Web is under planned maintenance for the next hour.
	start := time.Now().UTC().Truncate(time.Minute)
	code, body := d.do(t, "POST", "/api/v1/maintenances", e2eAdmin,
		`{"title":"Upgrade","components":["web"],"start":"`+start.Format(time.RFC3339)+`","end":"`+start.Add(time.Hour).Format(time.RFC3339)+`"}`)
	if code != http.StatusCreated {
		t.Fatalf("schedule maintenance: %d %s", code, body)
	}

	app.setDown(true)
	web.setDown(true)
	waitTB(t, "the opening SMS", 15*time.Second, func() bool {
		return len(to(fake, onCallA)) >= 1 && len(to(fake, onCallB)) >= 1 && len(to(fake, subA)) >= 1 && len(to(fake, subB)) >= 1
	})
	incs := listIncidents(t, d)
	waitTB(t, "the silent web incident", 10*time.Second, func() bool {
		incs = listIncidents(t, d)
		return len(incs) == 2
	})
	var appInc incidentView
	for _, inc := range incs {
		switch inc.Components[0] {
		case "app":
			appInc = inc
		case "web":
			if !inc.InMaintenance {
				t.Errorf("web incident not in maintenance: %+v", inc)
			}
		}
	}
	time.Sleep(1500 * time.Millisecond) // more failures: still one SMS each
	for _, p := range []string{onCallA, onCallB, subA, subB} {
		ms := to(fake, p)
		if len(ms) != 1 {
			t.Fatalf("%s got %d SMS, want 1: %+v", p, len(ms), ms)
		}
		if b := ms[0].Body; !strings.Contains(b, "App") || !strings.Contains(b, link) || !strings.Contains(b, appInc.ID) || ms[0].From != e2eFrom {
			t.Errorf("%s: SMS %q from %s lacks the component, incident or link %s", p, b, ms[0].From, link)
		}
	}
	if n := len(fake.Messages()); n != 4 {
		t.Fatalf("maintenance did not silence web: %d messages: %+v", n, fake.Messages())
	}

	// Inbound SMS: unsigned or badly signed → 403 and nothing changes.
	resp, err := http.PostForm(d.base+"/api/v1/twilio/inbound", url.Values{"From": {subB}, "To": {e2eFrom}, "Body": {"STOP"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unsigned inbound: %d", resp.StatusCode)
	}
	if !subscribed(t, d, subB) {
		t.Fatal("an unsigned STOP unsubscribed")
	}
	if code, err := fake.PostInbound(d.base+"/api/v1/twilio/inbound", subB, e2eFrom, "Stop"); err != nil || code != http.StatusOK {
		t.Fatalf("signed STOP: %d %v", code, err)
	}
	if subscribed(t, d, subB) {
		t.Fatal("STOP left the subscription active")
	}
	if code, err := fake.PostInbound(d.base+"/api/v1/twilio/inbound", subA, e2eFrom, "what is this?"); err != nil || code != http.StatusOK {
		t.Fatalf("signed other text: %d %v", code, err)
	}

	// An engineer's update with -notify reaches the subscribers still in.
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"incident", "update", appInc.ID, "-status", "identified", "-message", "Database failover in progress",
		"-notify", "-server", d.base, "-config", d.cfgPath}, &out, &errOut); err != nil {
		t.Fatalf("vigil incident update: %v\n%s", err, errOut.String())
	}
	waitTB(t, "the update SMS", 10*time.Second, func() bool {
		return len(to(fake, subA)) == 2 && len(to(fake, onCallA)) == 2 && len(to(fake, onCallB)) == 2
	})
	if b := to(fake, subA)[1].Body; !strings.Contains(b, "Database failover in progress") || !strings.Contains(b, "identified") {
		t.Errorf("update SMS: %q", b)
	}
	out.Reset()
	if err := run(context.Background(), []string{"incident", "ack", appInc.ID, "-by", "alice", "-server", d.base, "-config", d.cfgPath}, &out, &errOut); err != nil ||
		!strings.Contains(out.String(), "alice") {
		t.Fatalf("vigil incident ack: %v %s", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"incident", "list", "-server", d.base, "-config", d.cfgPath}, &out, &errOut); err != nil ||
		!strings.Contains(out.String(), appInc.ID) || !strings.Contains(out.String(), "identified") {
		t.Fatalf("vigil incident list: %v\n%s", err, out.String())
	}

	// Recovery resolves: the on-call engineers and subscriber A hear of it.
	app.setDown(false)
	waitTB(t, "the resolve SMS", 10*time.Second, func() bool {
		return len(to(fake, subA)) == 3 && len(to(fake, onCallA)) == 3 && len(to(fake, onCallB)) == 3
	})
	if b := to(fake, onCallA)[2].Body; !strings.HasPrefix(b, "RESOLVED App") || !strings.Contains(b, link) {
		t.Errorf("resolve SMS: %q", b)
	}
	if n := len(to(fake, subB)); n != 1 {
		t.Errorf("subscriber B got %d SMS after STOP, want only the one before", n-1)
	}
	out.Reset()
	if err := run(context.Background(), []string{"incident", "show", appInc.ID, "-server", d.base, "-config", d.cfgPath}, &out, &errOut); err != nil ||
		!strings.Contains(out.String(), "resolved") || !strings.Contains(out.String(), "(subscribers notified): Database failover") {
		t.Fatalf("vigil incident show: %v\n%s", err, out.String())
	}

	// The SLA report lists the incident.
	month := time.Now().UTC().Format("2006-01")
	code, body = d.do(t, "GET", "/api/v1/reports/acme/"+month+".json", e2eReport, "")
	if code != http.StatusOK || !strings.Contains(body, appInc.ID) || !strings.Contains(body, `"counted_minutes"`) {
		t.Errorf("report: %d %s", code, body)
	}
	_, body = d.do(t, "GET", "/metrics", "", "")
	for _, m := range []string{"vigil_outbox_backlog", "vigil_outbox_sent_total", "vigil_outbox_failed_total", "vigil_incidents_open 1"} {
		if !strings.Contains(body, m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
	d.stop()
	if strings.Contains(d.logs.String(), twiliofake.TestAuthToken) {
		t.Error("the auth token is in the log")
	}
}

// listIncidents returns the daemon's incidents.
func listIncidents(t testing.TB, d *daemon) []incidentView {
	t.Helper()
	code, body := d.do(t, "GET", "/api/v1/incidents", e2eAdmin, "")
	var out struct{ Incidents []incidentView }
	if err := json.Unmarshal([]byte(body), &out); code != 200 || err != nil {
		t.Fatalf("incidents: %d %s", code, body)
	}
	return out.Incidents
}

// subscribed reports whether phone's subscription to app is active.
func subscribed(t testing.TB, d *daemon, phone string) bool {
	t.Helper()
	code, body := d.do(t, "GET", "/api/v1/subscribers?component=app", e2eAdmin, "")
	var out struct {
		Subscriptions []struct {
			Phone  string
			Active bool
		}
	}
	if err := json.Unmarshal([]byte(body), &out); code != 200 || err != nil {
		t.Fatalf("subscribers: %d %s", code, body)
	}
	for _, s := range out.Subscriptions {
		if s.Phone == phone {
			return s.Active
		}
	}
	t.Fatalf("no subscription of %s", phone)
	return false
}

func writeFileErr(p, text string) error { return os.WriteFile(p, []byte(text), 0o600) }
