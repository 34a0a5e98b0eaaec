package probe

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/clock"
)

var hbT0 = time.Date(2026, 10, 6, 22, 0, 0, 0, time.UTC)

const (
	hbPeriod = 6 * time.Hour
	hbGrace  = 30 * time.Minute
)

func backupBeat() Heartbeat {
	return Heartbeat{Name: "nightly-backup", Period: hbPeriod, Grace: hbGrace, Token: "backup-token-0123456789"}
}

// startMonitor runs a monitor of beats on a fake clock at hbT0 until the
// test ends.
func startMonitor(t *testing.T, beats ...Heartbeat) (*HeartbeatMonitor, *clock.Fake, *collector) {
	t.Helper()
	f := clock.NewFake(hbT0)
	col := &collector{}
	m := NewHeartbeatMonitor(HeartbeatOptions{Location: "ams", Clock: f, Emit: col.emit}, beats)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); m.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	waitTimers(t, f, 1)
	return m, f, col
}

// waitResults waits until the check has n results and returns them.
func waitResults(t *testing.T, col *collector, check string, n int) []Result {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := col.byCheck(check)
		if len(got) >= n {
			if len(got) > n {
				t.Fatalf("%d results, want %d: %+v", len(got), n, got)
			}
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d results, want %d: %+v", len(got), n, got)
		}
		time.Sleep(time.Millisecond)
	}
}

// advance moves the fake clock and waits for Run to go back to sleep.
func advance(t *testing.T, f *clock.Fake, d time.Duration) {
	t.Helper()
	f.Advance(d)
	waitTimers(t, f, 1)
}

func wantMissed(t *testing.T, r Result, start time.Time) {
	t.Helper()
	if r.OK || r.Reason != ReasonHeartbeatMissed || !r.Start.Equal(start) || r.Interval != hbPeriod ||
		r.Check != "nightly-backup" || r.Location != "ams" || r.Duration != 0 {
		t.Errorf("result %+v, want heartbeat_missed at %s covering %s", r, start, hbPeriod)
	}
}

func TestHeartbeatPing(t *testing.T) {
	m, f, col := startMonitor(t, backupBeat())
	f.Advance(time.Hour)
	r, due, found := m.Ping("nightly-backup", true, "4.2 GB in 12m")
	at := hbT0.Add(time.Hour)
	if !found || !r.OK || r.Reason != ReasonNone || !r.Start.Equal(at) || r.Interval != hbPeriod+hbGrace ||
		r.Duration != 0 || r.Check != "nightly-backup" || r.Location != "ams" || r.Message != "4.2 GB in 12m" {
		t.Errorf("ping result %+v (found %t)", r, found)
	}
	if !due.Equal(at.Add(hbPeriod + hbGrace)) {
		t.Errorf("next ping due %s, want %s", due, at.Add(hbPeriod+hbGrace))
	}
	got := col.byCheck("nightly-backup")
	if len(got) != 1 || !reflect.DeepEqual(got[0], r) {
		t.Errorf("emitted %+v, want the ping's result", got)
	}

	r, _, _ = m.Ping("nightly-backup", false, "")
	if r.OK || r.Reason != ReasonHeartbeatFailed || r.Message != "the job reported a failure" || r.Interval != hbPeriod+hbGrace {
		t.Errorf("failed ping %+v", r)
	}
	r, _, _ = m.Ping("nightly-backup", false, "disk full\n/dev/sdb1")
	if r.Message != "disk full /dev/sdb1" {
		t.Errorf("failed ping message %q", r.Message)
	}

	if _, _, found := m.Ping("nightly-bakup", true, ""); found {
		t.Errorf("ping of an unknown check was found")
	}
	if n := len(col.byCheck("nightly-bakup")); n != 0 {
		t.Errorf("unknown check: %d results emitted", n)
	}
}

// The first deadline of a check never pinged is period + grace after vigil
// first saw it; then one failure per period until a ping.
func TestHeartbeatMissed(t *testing.T) {
	m, f, col := startMonitor(t, backupBeat())
	advance(t, f, hbPeriod+hbGrace-time.Second)
	if n := len(col.byCheck("nightly-backup")); n != 0 {
		t.Fatalf("%d results before the deadline", n)
	}
	advance(t, f, time.Second)
	got := waitResults(t, col, "nightly-backup", 1)
	wantMissed(t, got[0], hbT0.Add(hbPeriod+hbGrace))
	if !strings.Contains(got[0].Message, "no ping seen") {
		t.Errorf("message %q", got[0].Message)
	}

	advance(t, f, hbPeriod)
	got = waitResults(t, col, "nightly-backup", 2)
	wantMissed(t, got[1], hbT0.Add(2*hbPeriod+hbGrace))

	// A ping ends the silence: the next deadline is period + grace on.
	advance(t, f, time.Hour)
	_, due, _ := m.Ping("nightly-backup", true, "")
	ping := hbT0.Add(3*hbPeriod + hbGrace - 5*time.Hour)
	if !due.Equal(ping.Add(hbPeriod + hbGrace)) {
		t.Errorf("due %s after the ping at %s", due, ping)
	}
	advance(t, f, hbPeriod+hbGrace-time.Second)
	waitResults(t, col, "nightly-backup", 3)
	advance(t, f, time.Second)
	got = waitResults(t, col, "nightly-backup", 4)
	wantMissed(t, got[3], ping.Add(hbPeriod+hbGrace))
	if want := "no ping since " + ping.Format(time.RFC3339); !strings.HasPrefix(got[3].Message, want) {
		t.Errorf("message %q, want it to start with %q", got[3].Message, want)
	}
}

// A Run held up for several periods emits one failure, not a burst.
func TestHeartbeatMissedAfterStall(t *testing.T) {
	_, f, col := startMonitor(t, backupBeat())
	advance(t, f, 4*hbPeriod)
	got := waitResults(t, col, "nightly-backup", 1)
	wantMissed(t, got[0], hbT0.Add(4*hbPeriod))
	advance(t, f, hbPeriod)
	got = waitResults(t, col, "nightly-backup", 2)
	wantMissed(t, got[1], hbT0.Add(5*hbPeriod))
}

func TestHeartbeatReload(t *testing.T) {
	m, f, col := startMonitor(t, backupBeat())
	f.Advance(time.Hour)
	m.Ping("nightly-backup", true, "")
	ping := hbT0.Add(time.Hour)

	// Unchanged: the deadline stays where the ping put it. New: watched
	// from the reload on.
	f.Advance(time.Hour)
	invoices := Heartbeat{Name: "invoice-run", Period: 24 * time.Hour, Token: "x"}
	m.Reload([]Heartbeat{backupBeat(), invoices})
	advance(t, f, ping.Add(hbPeriod+hbGrace).Sub(f.Now()))
	got := waitResults(t, col, "nightly-backup", 2)
	wantMissed(t, got[1], ping.Add(hbPeriod+hbGrace))

	// Changed period: the missed chain goes on at the new period.
	short := backupBeat()
	short.Period = time.Hour
	m.Reload([]Heartbeat{short, invoices})
	advance(t, f, time.Hour)
	got = waitResults(t, col, "nightly-backup", 3)
	if !got[2].Start.Equal(got[1].Start.Add(time.Hour)) || got[2].Interval != time.Hour {
		t.Errorf("after the period changed: %+v", got[2])
	}

	advance(t, f, hbT0.Add(2*time.Hour+24*time.Hour).Sub(f.Now()))
	inv := waitResults(t, col, "invoice-run", 1)
	if !inv[0].Start.Equal(hbT0.Add(26*time.Hour)) || inv[0].Reason != ReasonHeartbeatMissed {
		t.Errorf("new check's first failure %+v, want at reload + 24h", inv[0])
	}

	// Removed: no more results, pings unknown.
	m.Reload([]Heartbeat{invoices})
	n := len(col.byCheck("nightly-backup"))
	advance(t, f, 10*time.Hour)
	if len(col.byCheck("nightly-backup")) != n {
		t.Errorf("a removed check still fails")
	}
	if _, _, found := m.Ping("nightly-backup", true, ""); found {
		t.Errorf("a removed check still takes pings")
	}
}

func TestHeartbeatRestore(t *testing.T) {
	for _, tc := range []struct {
		name     string
		last     Result
		applied  bool
		wantNext time.Time // start of the first heartbeat_missed
	}{
		{"ping", Result{Start: hbT0.Add(-5 * time.Hour), OK: true}, true, hbT0.Add(time.Hour + hbGrace)},
		{"failed ping", Result{Start: hbT0.Add(-5 * time.Hour), Reason: ReasonHeartbeatFailed}, true, hbT0.Add(time.Hour + hbGrace)},
		{"missed", Result{Start: hbT0.Add(-time.Hour), Reason: ReasonHeartbeatMissed}, true, hbT0.Add(hbPeriod - time.Hour)},
		// The deadline passed while vigil was not running: due at once,
		// counted from the restart, not backdated.
		{"deadline passed", Result{Start: hbT0.Add(-10 * time.Hour), OK: true}, true, hbT0},
		{"nothing stored", Result{}, false, hbT0.Add(hbPeriod + hbGrace)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := clock.NewFake(hbT0)
			col := &collector{}
			m := NewHeartbeatMonitor(HeartbeatOptions{Location: "ams", Clock: f, Emit: col.emit}, []Heartbeat{backupBeat()})
			last := tc.last
			last.Check = "nightly-backup"
			if got := m.Restore(last); got != tc.applied {
				t.Errorf("Restore = %t, want %t", got, tc.applied)
			}
			last.Check = "unknown"
			if m.Restore(last) {
				t.Errorf("Restore of an unknown check applied")
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); m.Run(ctx) }()
			defer func() { cancel(); <-done }()
			waitTimers(t, f, 1)
			if d := tc.wantNext.Sub(f.Now()); d > 0 {
				advance(t, f, d-time.Second)
				if n := len(col.byCheck("nightly-backup")); n != 0 {
					t.Fatalf("%d results before %s", n, tc.wantNext)
				}
				advance(t, f, time.Second)
			}
			got := waitResults(t, col, "nightly-backup", 1)
			wantMissed(t, got[0], tc.wantNext)
		})
	}

	// A ping since the restart is newer than anything stored.
	m := NewHeartbeatMonitor(HeartbeatOptions{Clock: clock.NewFake(hbT0)}, []Heartbeat{backupBeat()})
	m.Ping("nightly-backup", true, "")
	if m.Restore(Result{Check: "nightly-backup", Start: hbT0.Add(-time.Hour), OK: true}) {
		t.Errorf("Restore applied over a newer ping")
	}
}

// Pings and deadlines racing: each check's results leave in time order,
// as the store needs them.
func TestHeartbeatResultsInOrder(t *testing.T) {
	fast := Heartbeat{Name: "fast", Period: time.Second, Token: "x"}
	m, f, col := startMonitor(t, fast)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				m.Ping("fast", true, "")
			}
		}()
	}
	for range 200 {
		f.Advance(700 * time.Millisecond)
	}
	wg.Wait()
	waitTimers(t, f, 1)
	got := col.byCheck("fast")
	if len(got) < 800 {
		t.Fatalf("%d results, want at least the 800 pings", len(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i].Start.Before(got[i-1].Start) {
			t.Fatalf("result %d at %s before result %d at %s", i, got[i].Start, i-1, got[i-1].Start)
		}
	}
}

func TestHeartbeatsFromConfig(t *testing.T) {
	checks := []configs.Check{
		{Name: "home", HTTP: &configs.HTTPProbe{URL: "http://127.0.0.1/"}},
		{Name: "nightly-backup", Heartbeat: &configs.HeartbeatCheck{Period: configs.Duration(hbPeriod), Grace: configs.Duration(hbGrace)}},
		{Name: "invoice-run", Heartbeat: &configs.HeartbeatCheck{Period: configs.Duration(24 * time.Hour), Token: "invoices-0123456789abcdef"}},
	}
	got := HeartbeatsFromConfig(checks, "server-0123456789abcdef")
	want := []Heartbeat{
		{Name: "nightly-backup", Period: hbPeriod, Grace: hbGrace, Token: "server-0123456789abcdef"},
		{Name: "invoice-run", Period: 24 * time.Hour, Token: "invoices-0123456789abcdef"},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("HeartbeatsFromConfig = %+v, want %+v", got, want)
	}
	m := NewHeartbeatMonitor(HeartbeatOptions{}, got)
	if tok, ok := m.HeartbeatToken("invoice-run"); !ok || tok != "invoices-0123456789abcdef" {
		t.Errorf("HeartbeatToken(invoice-run) = %q, %t", tok, ok)
	}
	if _, ok := m.HeartbeatToken("home"); ok {
		t.Errorf("an http check has a heartbeat token")
	}
	if toks := m.HeartbeatTokens(); len(toks) != 2 {
		t.Errorf("HeartbeatTokens = %d tokens, want 2", len(toks))
	}
}

func TestCleanMessage(t *testing.T) {
	long := strings.Repeat("é", 150) // 300 bytes
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"  ok\r\n", "ok"},
		{"backup\tfailed:\x00 disk\nfull", "backup failed: disk full"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{long, strings.Repeat("é", 98) + "…"},
	} {
		got := cleanMessage(tc.in)
		if got != tc.want {
			t.Errorf("cleanMessage(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if len(got) > MaxHeartbeatMessage || !utf8.ValidString(got) {
			t.Errorf("cleanMessage(%q) = %q: %d bytes or invalid UTF-8", tc.in, got, len(got))
		}
	}
}
