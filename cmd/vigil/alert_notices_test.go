package main

// The daemon's maintenance notices, webhooks and reload, end to end
// against the fake Twilio and an httptest webhook receiver.

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify/twiliofake"
	"github.com/vigilmon/vigil/alert/notify/webhook"
)

// fastMaintWatch makes the maintenance watch of the daemons started from
// now on poll every 50ms on a clock the test moves by the returned
// offset; call it before startServe (its cleanup then runs after the
// daemon stopped).
func fastMaintWatch(t *testing.T) *atomic.Int64 {
	t.Helper()
	var off atomic.Int64
	oldEvery, oldClock := maintRefresh, maintClock
	maintRefresh = 50 * time.Millisecond
	maintClock = func() time.Time { return time.Now().Add(time.Duration(off.Load())) }
	t.Cleanup(func() { maintRefresh, maintClock = oldEvery, oldClock })
	return &off
}

// about returns the fake's messages to phone that mention s.
func about(fake *twiliofake.Server, phone, s string) []string {
	var out []string
	for _, m := range to(fake, phone) {
		if strings.Contains(m.Body, s) {
			out = append(out, m.Body)
		}
	}
	return out
}

// scheduleWindow schedules a window through the admin API and returns its
// id.
func scheduleWindow(t *testing.T, d *daemon, title, component string, start, end time.Time) string {
	t.Helper()
	code, body := d.do(t, "POST", "/api/v1/maintenances", e2eAdmin, `{"title":"`+title+`","components":["`+component+`"],"start":"`+
		start.Format(time.RFC3339)+`","end":"`+end.Format(time.RFC3339)+`"}`)
	var m struct{ ID string }
	if err := json.Unmarshal([]byte(body), &m); code != http.StatusCreated || err != nil || m.ID == "" {
		t.Fatalf("schedule %s: %d %s", title, code, body)
	}
	return m.ID
}

// Subscribers of a component hear of its maintenance window three times:
// scheduled (through the admin API), started, completed (early, through
// the API); subscribers of other components hear nothing, and nobody of a
// window recorded after it ended. A move is announced again only when it
// starts earlier or ends later.
func TestMaintenanceNoticesToSubscribers(t *testing.T) {
	off := fastMaintWatch(t)
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	app, web := newTarget(t), newTarget(t)
	addr := freeAddr(t)
	d := startServe(t, alertConfig(app.URL, web.URL, fake.URL(), addr, "{failures_to_open: 3, successes_to_resolve: 2}"), addr)
	for p, comp := range map[string]string{subA: "app", subB: "web"} {
		if code, body := d.do(t, "POST", "/api/v1/subscribers", e2eAdmin, `{"phone":"`+p+`","components":["`+comp+`"]}`); code != http.StatusCreated {
			t.Fatalf("add subscriber: %d %s", code, body)
		}
	}
	// Windows start on whole minutes: this one in two to three minutes.
	t0 := time.Now().UTC().Truncate(time.Minute).Add(2 * time.Minute)
	id := scheduleWindow(t, d, "DB upgrade", "app", t0, t0.Add(time.Hour))
	scheduleWindow(t, d, "Old work", "app", t0.Add(-3*time.Hour), t0.Add(-2*time.Hour))
	waitTB(t, "the scheduled notice", 10*time.Second, func() bool { return len(about(fake, subA, "DB upgrade")) == 1 })
	time.Sleep(300 * time.Millisecond) // several polls of the watch: still one
	if got := about(fake, subA, "DB upgrade"); len(got) != 1 || !strings.HasPrefix(got[0], "Planned maintenance of App: DB upgrade") {
		t.Fatalf("scheduled notices: %q", got)
	}

	// The watch's clock reaches the window: started.
	off.Store(int64(time.Until(t0.Add(5 * time.Second))))
	waitTB(t, "the started notice", 10*time.Second, func() bool { return len(about(fake, subA, "DB upgrade")) == 2 })
	time.Sleep(300 * time.Millisecond)
	if got := about(fake, subA, "DB upgrade"); len(got) != 2 || !strings.HasPrefix(got[1], "Maintenance of App has started: DB upgrade") {
		t.Fatalf("notices after the start: %q", got)
	}

	// Completed early through the API, at the watch's now.
	at := maintClock().UTC().Truncate(time.Second)
	if code, body := d.do(t, "POST", "/api/v1/maintenances/"+id+"/complete", e2eAdmin, `{"at":"`+at.Format(time.RFC3339)+`"}`); code != http.StatusOK {
		t.Fatalf("complete: %d %s", code, body)
	}
	waitTB(t, "the completed notice", 10*time.Second, func() bool { return len(about(fake, subA, "DB upgrade")) == 3 })
	time.Sleep(300 * time.Millisecond)
	if got := about(fake, subA, "DB upgrade"); len(got) != 3 || !strings.HasPrefix(got[2], "Maintenance of App is complete: DB upgrade") {
		t.Fatalf("notices after completion: %q", got)
	}

	// A move is announced again only when it is a new announcement.
	day := t0.Add(24 * time.Hour)
	later := scheduleWindow(t, d, "Disk swap", "app", day, day.Add(time.Hour))
	waitTB(t, "the scheduled notice of the second window", 10*time.Second, func() bool { return len(about(fake, subA, "Disk swap")) == 1 })
	move := func(start, end time.Time) {
		t.Helper()
		if code, body := d.do(t, "POST", "/api/v1/maintenances/"+later+"/reschedule", e2eAdmin,
			`{"start":"`+start.Format(time.RFC3339)+`","end":"`+end.Format(time.RFC3339)+`"}`); code != http.StatusOK {
			t.Fatalf("reschedule: %d %s", code, body)
		}
	}
	move(day.Add(10*time.Minute), day.Add(50*time.Minute)) // shorter: nothing new to tell
	time.Sleep(300 * time.Millisecond)
	if got := about(fake, subA, "Disk swap"); len(got) != 1 {
		t.Fatalf("a shortened window was announced again: %q", got)
	}
	move(day.Add(10*time.Minute), day.Add(2*time.Hour)) // ends later: announced again
	waitTB(t, "the new announcement", 10*time.Second, func() bool { return len(about(fake, subA, "Disk swap")) == 2 })
	move(day.Add(10*time.Minute), day.Add(2*time.Hour)) // no change
	time.Sleep(300 * time.Millisecond)
	if got := about(fake, subA, "Disk swap"); len(got) != 2 || !strings.Contains(got[1], dayText(day.Add(2*time.Hour))) {
		t.Fatalf("announcements of the moved window: %q", got)
	}

	if got := to(fake, subB); len(got) != 0 {
		t.Errorf("the subscriber of web heard of app's maintenance: %+v", got)
	}
	if got := about(fake, subA, "Old work"); len(got) != 0 {
		t.Errorf("a window that was over was announced: %q", got)
	}
	if n := len(to(fake, subA)); n != 5 {
		t.Errorf("subscriber of app got %d SMS, want 5: %+v", n, to(fake, subA))
	}
	for _, p := range []string{onCallA, onCallB} {
		if got := to(fake, p); len(got) != 0 {
			t.Errorf("on-call %s got maintenance notices: %+v", p, got)
		}
	}
}

// hook is a webhook receiver that keeps what it was posted.
type hook struct {
	*httptest.Server
	mu    sync.Mutex
	posts []hookPost
}

type hookPost struct {
	method, contentType, event, signature string
	body                                  []byte
}

func newHook(t *testing.T) *hook {
	h := &hook{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.posts = append(h.posts, hookPost{method: r.Method, contentType: r.Header.Get("Content-Type"),
			event: r.Header.Get(webhook.HeaderEvent), signature: r.Header.Get(webhook.HeaderSignature), body: b})
		h.mu.Unlock()
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hook) received() []hookPost {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookPost(nil), h.posts...)
}

// A webhook of alerting.webhooks gets the incident's opening and
// resolution as JSON, signed with its secret.
func TestWebhookDeliveryThroughDaemon(t *testing.T) {
	const secret = "whsec-0123456789abcdef"
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	app, web := newTarget(t), newTarget(t)
	rcv := newHook(t)
	addr := freeAddr(t)
	cfg := alertConfig(app.URL, web.URL, fake.URL(), addr, "{failures_to_open: 2, successes_to_resolve: 2}") +
		"  webhooks: [{url: \"" + rcv.URL + "/vigil\", secret: \"" + secret + "\"}]\n"
	startServe(t, cfg, addr)

	app.setDown(true)
	waitTB(t, "the opened webhook", 15*time.Second, func() bool { return len(rcv.received()) >= 1 })
	app.setDown(false)
	waitTB(t, "the resolved webhook", 15*time.Second, func() bool { return len(rcv.received()) >= 2 })
	time.Sleep(500 * time.Millisecond)
	posts := rcv.received()
	if len(posts) != 2 {
		t.Fatalf("%d posts, want 2 (opened, resolved)", len(posts))
	}
	var incID string
	for i, want := range []string{"incident.opened", "incident.resolved"} {
		p := posts[i]
		if p.method != http.MethodPost || p.contentType != "application/json" || p.event != want {
			t.Errorf("post %d: %s %s event %q, want a JSON POST of %s", i, p.method, p.contentType, p.event, want)
		}
		if !webhook.Verify(secret, p.body, p.signature) {
			t.Errorf("post %d: signature %q does not verify", i, p.signature)
		}
		if webhook.Verify("another-secret-0123456789", p.body, p.signature) {
			t.Errorf("post %d verifies under another secret", i)
		}
		var body struct {
			Event    string
			Incident struct {
				ID         string
				Status     string
				Components []string
			}
		}
		if err := json.Unmarshal(p.body, &body); err != nil {
			t.Fatalf("post %d: %v: %s", i, err, p.body)
		}
		if body.Event != want || len(body.Incident.Components) != 1 || body.Incident.Components[0] != "app" ||
			(incID != "" && body.Incident.ID != incID) {
			t.Errorf("post %d: %s", i, p.body)
		}
		incID = body.Incident.ID
		if wantStatus := map[int]string{0: "investigating", 1: "resolved"}[i]; body.Incident.Status != wantStatus {
			t.Errorf("post %d: status %q, want %q", i, body.Incident.Status, wantStatus)
		}
	}
}

// A reload (SIGHUP) that adds a check on another component makes the
// alerting evaluate it: when it fails an incident opens and the on-call
// engineers, including one the reload added, are paged.
func TestReloadAddsAlertingCheck(t *testing.T) {
	// vigil's own handler catches SIGHUP once serve runs; this one keeps
	// the signal from killing the test binary should it come earlier.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	const onCallC = "+31612345677"
	fake := twiliofake.New(twiliofake.Options{})
	defer fake.Close()
	app, web := newTarget(t), newTarget(t)
	addr := freeAddr(t)
	full := alertConfig(app.URL, web.URL, fake.URL(), addr, "{failures_to_open: 2, successes_to_resolve: 2}")
	var lines []string
	for _, l := range strings.SplitAfter(full, "\n") {
		if !strings.Contains(l, "name: web-home") {
			lines = append(lines, l)
		}
	}
	d := startServe(t, strings.Join(lines, ""), addr)

	web.setDown(true) // not checked yet: nobody hears of it
	time.Sleep(3 * time.Second)
	if n := len(fake.Messages()); n != 0 || len(listIncidents(t, d)) != 0 {
		t.Fatalf("before the reload: %d SMS, incidents %+v", n, listIncidents(t, d))
	}

	reloaded := strings.Replace(full, "on_call: [", `on_call: [{name: C, phone: "`+onCallC+`"}, `, 1)
	if err := writeFileErr(d.cfgPath, reloaded); err != nil {
		t.Fatal(err)
	}
	waitTB(t, "the reload", 10*time.Second, func() bool {
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
		_, body := d.do(t, "GET", "/api/v1/checks", "", "")
		return strings.Contains(body, "web-home")
	})
	waitTB(t, "the page of web", 15*time.Second, func() bool {
		return len(to(fake, onCallA)) >= 1 && len(to(fake, onCallB)) >= 1 && len(to(fake, onCallC)) >= 1
	})
	incs := listIncidents(t, d)
	if len(incs) != 1 || incs[0].Components[0] != "web" {
		t.Fatalf("incidents: %+v", incs)
	}
	for _, p := range []string{onCallA, onCallB, onCallC} {
		if ms := to(fake, p); len(ms) != 1 || !strings.HasPrefix(ms[0].Body, "DOWN Web") || !strings.Contains(ms[0].Body, incs[0].ID) {
			t.Errorf("%s: %+v", p, ms)
		}
	}
}
