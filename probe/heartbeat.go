package probe

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/clock"
)

// Heartbeats are passive checks: a job (a backup, a batch run) pings vigil
// when it has run, and the silence is what fails. The HeartbeatMonitor
// turns pings into results and keeps each check's deadline.
//
// Coverage: a ping covers Period + Grace (its Result's Interval), so the
// SLA counts the job as up (or, for a failed run, down) until the next
// ping is due. When the deadline passes without a ping, a heartbeat_missed
// failure is emitted with Start at the deadline and Interval = Period, and
// another every Period while the silence lasts: the failures cover the
// gap without holes until the next ping.

// MaxHeartbeatMessage caps the message a ping may carry, in bytes.
const MaxHeartbeatMessage = 200

// Heartbeat is one heartbeat check as the monitor keeps it.
type Heartbeat struct {
	Name   string
	Period time.Duration // how often the job runs
	Grace  time.Duration // how late a ping may be
	// Token authenticates the check's pings: its own, or
	// server.heartbeat_token. It is a secret: never log it.
	Token string
}

// HeartbeatsFromConfig picks the heartbeat checks of a validated config,
// each with its token resolved: its own, else serverToken.
func HeartbeatsFromConfig(checks []configs.Check, serverToken string) []Heartbeat {
	var out []Heartbeat
	for _, c := range checks {
		if c.Heartbeat == nil {
			continue
		}
		tok := c.Heartbeat.Token
		if tok == "" {
			tok = serverToken
		}
		out = append(out, Heartbeat{Name: c.Name, Period: c.Heartbeat.Period.D(), Grace: c.Heartbeat.Grace.D(), Token: tok})
	}
	return out
}

// HeartbeatOptions wires a HeartbeatMonitor to its surroundings.
type HeartbeatOptions struct {
	Location string      // written into every Result: the configured location
	Clock    clock.Clock // nil means the wall clock
	// Emit receives every Result. It is called with the monitor's lock
	// held, so that each check's results leave in time order (the store
	// rejects older samples): it must not call back into the monitor.
	Emit func(Result)
}

// HeartbeatMonitor records pings and owns the deadlines of the heartbeat
// checks. It is safe for concurrent use.
type HeartbeatMonitor struct {
	opts HeartbeatOptions
	// epoch is when the monitor started: a deadline that passed before
	// (while vigil was not running) counts from here, never backdated.
	epoch time.Time

	mu    sync.Mutex
	beats map[string]*beat
	wake  chan struct{} // tells Run that a deadline may have moved
}

// beat is the state of one check.
type beat struct {
	Heartbeat
	lastPing time.Time // zero when no ping is known
	// watchedSince is when vigil first saw the check: the base of the
	// first deadline when no ping is known.
	watchedSince time.Time
	// missedAt is the start of the latest heartbeat_missed result since
	// the last ping; zero when none.
	missedAt time.Time
}

// due is when the next heartbeat_missed result is due.
func (b *beat) due() time.Time {
	switch {
	case !b.missedAt.IsZero():
		return b.missedAt.Add(b.Period)
	case !b.lastPing.IsZero():
		return b.lastPing.Add(b.Period + b.Grace)
	}
	return b.watchedSince.Add(b.Period + b.Grace)
}

// NewHeartbeatMonitor returns a monitor of beats; their first deadlines
// are period + grace from now, unless Restore says otherwise.
func NewHeartbeatMonitor(opts HeartbeatOptions, beats []Heartbeat) *HeartbeatMonitor {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Emit == nil {
		opts.Emit = func(Result) {}
	}
	m := &HeartbeatMonitor{opts: opts, epoch: opts.Clock.Now().UTC(), beats: map[string]*beat{}, wake: make(chan struct{}, 1)}
	m.Reload(beats)
	return m
}

// Reload replaces the set of heartbeat checks. A check that stays keeps
// its last ping and missed state, with its new period and grace applied to
// them; a new one is watched from now. A heartbeat without a positive
// period (which validation rejects) is left out.
func (m *HeartbeatMonitor) Reload(beats []Heartbeat) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.opts.Clock.Now().UTC()
	next := make(map[string]*beat, len(beats))
	for _, h := range beats {
		if h.Period <= 0 {
			continue
		}
		b := m.beats[h.Name]
		if b == nil {
			b = &beat{watchedSince: now}
		}
		b.Heartbeat = h
		next[h.Name] = b
	}
	m.beats = next
	m.nudge()
}

// Restore continues a check's deadline from its last stored result after a
// restart: a ping (ok or failed) at last.Start, or a heartbeat_missed
// failure. It applies only while nothing newer is known of the check, and
// reports whether it did. A deadline that passed while vigil was not
// running is due at once, counted from when the monitor started.
func (m *HeartbeatMonitor) Restore(last Result) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.beats[last.Check]
	if b == nil || !b.lastPing.IsZero() || !b.missedAt.IsZero() || last.Start.IsZero() {
		return false
	}
	if last.Reason == ReasonHeartbeatMissed {
		b.missedAt = last.Start.UTC()
	} else {
		b.lastPing = last.Start.UTC()
	}
	m.nudge()
	return true
}

// Ping records a run of the job: ok, or failed with reason
// heartbeat_failed. The message (capped at MaxHeartbeatMessage bytes, on
// one line) says what the job reported. It returns the Result emitted and
// when the next ping is due; found is false for an unknown check, and then
// nothing is recorded.
func (m *HeartbeatMonitor) Ping(name string, ok bool, msg string) (r Result, due time.Time, found bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.beats[name]
	if b == nil {
		return Result{}, time.Time{}, false
	}
	now := m.opts.Clock.Now().UTC()
	r = Result{Check: name, Location: m.opts.Location, Start: now, Interval: b.Period + b.Grace, OK: ok, Message: cleanMessage(msg)}
	if !ok {
		r.Reason = ReasonHeartbeatFailed
		if r.Message == "" {
			r.Message = "the job reported a failure"
		}
	}
	b.lastPing, b.missedAt = now, time.Time{}
	m.opts.Emit(r)
	m.nudge()
	return r, b.due(), true
}

// HeartbeatToken returns the token the named check's pings must carry;
// false when no heartbeat check has that name.
func (m *HeartbeatMonitor) HeartbeatToken(name string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if b := m.beats[name]; b != nil {
		return b.Token, true
	}
	return "", false
}

// HeartbeatTokens returns every distinct token of the heartbeat checks.
func (m *HeartbeatMonitor) HeartbeatTokens() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, b := range m.beats {
		if b.Token != "" && !seen[b.Token] {
			seen[b.Token] = true
			out = append(out, b.Token)
		}
	}
	return out
}

// idleWait is how long Run sleeps when no check is watched.
const idleWait = time.Hour

// Run emits heartbeat_missed results as deadlines pass, until ctx ends.
func (m *HeartbeatMonitor) Run(ctx context.Context) {
	timer := m.opts.Clock.NewTimer(m.fireDue())
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C():
		case <-m.wake:
		}
		timer.Reset(m.fireDue())
	}
}

// fireDue emits a heartbeat_missed result for every check whose deadline
// has passed and returns how long until the next deadline.
func (m *HeartbeatMonitor) fireDue() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.opts.Clock.Now().UTC()
	wait := idleWait
	for _, b := range m.beats {
		d := b.due()
		if d.After(now) {
			wait = min(wait, d.Sub(now))
			continue
		}
		m.opts.Emit(m.missed(b, d, now))
		wait = min(wait, b.due().Sub(now))
	}
	return wait
}

// missed builds the heartbeat_missed result due at d and moves b's
// deadline on by a period.
func (m *HeartbeatMonitor) missed(b *beat, d, now time.Time) Result {
	start := d
	if start.Before(m.epoch) {
		start = m.epoch // vigil was not running at the deadline
	}
	if now.Sub(start) >= b.Period {
		// Run was held up (a suspended machine): one failure now rather
		// than a burst of backdated ones.
		start = now
	}
	b.missedAt = start
	msg := fmt.Sprintf("no ping seen; the job should ping every %s (grace %s)", b.Period, b.Grace)
	if !b.lastPing.IsZero() {
		msg = fmt.Sprintf("no ping since %s; the job should ping every %s (grace %s)", b.lastPing.Format(time.RFC3339), b.Period, b.Grace)
	}
	return Result{Check: b.Name, Location: m.opts.Location, Start: start, Interval: b.Period,
		Reason: ReasonHeartbeatMissed, Message: msg}
}

// nudge wakes Run to recompute its timer; the caller holds m.mu.
func (m *HeartbeatMonitor) nudge() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// cleanMessage makes a job's message fit a result: valid UTF-8 on one
// line, control characters as spaces, at most MaxHeartbeatMessage bytes
// (cut at a character boundary, marked with "…").
func cleanMessage(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= MaxHeartbeatMessage {
		return s
	}
	const ellipsis = "…"
	cut := MaxHeartbeatMessage - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}
