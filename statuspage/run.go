package statuspage

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// Run keeps the snapshot current until ctx ends: it reads the cheap
// sources every PollEvery and the slow ones every SlowEvery (in a
// goroutine of its own, so that a long availability computation never
// holds the page back), and renders whenever what the page shows changed.
func (p *Page) Run(ctx context.Context) error {
	kick := make(chan struct{}, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			p.pollSlow(ctx)
			select {
			case kick <- struct{}{}:
			default:
			}
			if !p.sleep(ctx, p.o.SlowEvery, nil) {
				return
			}
		}
	})
	defer wg.Wait()
	for {
		p.refresh(ctx)
		if !p.sleep(ctx, p.o.PollEvery, kick) {
			return nil
		}
	}
}

// sleep waits d on the page's clock, or for kick; false when ctx ended.
func (p *Page) sleep(ctx context.Context, d time.Duration, kick <-chan struct{}) bool {
	t := p.o.Clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C():
	case <-kick:
	}
	return true
}

// pollSlow reads the daily availability and the key screens' timings.
// A source that fails keeps what was known before.
func (p *Page) pollSlow(ctx context.Context) {
	now := p.o.Clock.Now()
	p.slowMu.Lock()
	next := p.slow
	p.slowMu.Unlock()
	if p.o.Availability != nil {
		days := dayStarts(now.In(p.o.Location), barDays)
		daily, err := p.o.Availability.Daily(ctx, days, now)
		switch {
		case err != nil && ctx.Err() == nil:
			p.o.Logger.Warn("status page: daily availability not read; the bars keep their last figures", "err", err)
		case err == nil:
			next.daily = make(map[string]map[string]DayMinutes, len(daily))
			for comp, ms := range daily {
				byDate := make(map[string]DayMinutes, len(ms))
				for i, m := range ms {
					if i < len(days) {
						byDate[days[i].Format(time.DateOnly)] = m
					}
				}
				next.daily[comp] = byDate
			}
		}
	}
	if p.o.Latency != nil {
		screens := map[string]screenStat{}
		from, recentFrom := now.Add(-latencyWindow), now.Add(-recentLatency)
		for _, comp := range p.o.Catalog.Components() {
			for _, ch := range comp.Checks {
				if ch.Threshold <= 0 {
					continue
				}
				yield() // a day of timings per screen: the page's visitors go first
				ts, err := p.o.Latency.Timings(ctx, ch.Name, from, now)
				if err != nil {
					if ctx.Err() == nil {
						p.o.Logger.Warn("status page: key screen timings not read", "check", ch.Name, "err", err)
					}
					if old, ok := next.screens[ch.Name]; ok {
						screens[ch.Name] = old
					}
					continue
				}
				var st screenStat
				if st.P95, st.Count, st.RecentSlow, err = screenStats(ts, from, recentFrom, ch.Threshold); err != nil {
					p.o.Logger.Warn("status page: key screen timings not counted", "check", ch.Name, "err", err)
					continue
				}
				screens[ch.Name] = st
			}
		}
		next.screens = screens
	}
	p.slowMu.Lock()
	p.slow = next
	p.slowMu.Unlock()
}

// refresh reads the cheap sources, derives the content and renders a new
// snapshot when it changed. While a source fails the last snapshot stays:
// a page that silently dropped the incidents would look all clear.
func (p *Page) refresh(ctx context.Context) {
	now := p.o.Clock.Now()
	in, err := p.read(ctx, now)
	if err != nil {
		if ctx.Err() == nil && !p.failing {
			p.o.Logger.Warn("status page: sources not read; serving the last snapshot until they answer", "err", err)
		}
		p.failing = true
		return
	}
	if p.failing {
		p.o.Logger.Info("status page: sources answer again")
		p.failing = false
	}
	c := build(in)
	p.stampSince(c, now)
	yield()
	hash, err := hashContent(c)
	if err != nil {
		p.o.Logger.Error("status page: content not hashed", "err", err)
		return
	}
	if hash == p.lastHash && p.snap.Load() != nil {
		return
	}
	yield()
	snap, err := p.render(c, now, now)
	if err != nil {
		p.o.Logger.Error("status page: not rendered; serving the last snapshot", "err", err)
		return
	}
	p.snap.Store(snap)
	p.lastHash = hash
	p.renders.Add(1)
}

// read asks the cheap sources and takes the slow ones' last answers.
func (p *Page) read(ctx context.Context, now time.Time) (*inputs, error) {
	incidents, err := p.o.Incidents.Incidents(ctx, now.Add(-historyWindow), now.Add(time.Minute))
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	maint, err := p.o.Maintenances.Maintenance(ctx, now.Add(-historyWindow), now.Add(upcomingWindow))
	if err != nil {
		return nil, fmt.Errorf("maintenance: %w", err)
	}
	p.slowMu.Lock()
	slow := p.slow
	p.slowMu.Unlock()
	return &inputs{
		now: now, loc: p.o.Location,
		components: p.o.Catalog.Components(),
		latest:     p.o.Latest,
		incidents:  incidents,
		maint:      maint,
		daily:      slow.daily,
		screens:    slow.screens,
	}, nil
}

// stampSince sets each component's and group's Since: when its status
// began, as far as this page has seen (its start at the earliest).
func (p *Page) stampSince(c *content, now time.Time) {
	seen := make(map[string]bool, len(c.Components)+len(c.Entries))
	stamp := func(id, status string) time.Time {
		seen[id] = true
		e, ok := p.since[id]
		if !ok {
			e = sinceEntry{status: status, at: p.created}
		} else if e.status != status {
			e = sinceEntry{status: status, at: now}
		}
		p.since[id] = e
		return e.at
	}
	for i := range c.Components {
		c.Components[i].Since = stamp(c.Components[i].ID, c.Components[i].Status)
	}
	for i := range c.Entries {
		if c.Entries[i].IsGroup() {
			c.Entries[i].Since = stamp(c.Entries[i].ID, c.Entries[i].Status)
		}
	}
	for id := range p.since {
		if !seen[id] {
			delete(p.since, id) // gone with a reload
		}
	}
}

// hashContent fingerprints what the page shows: c as JSON but for its
// bars, most of it, which go in as binary (barView.appendKey), several
// times cheaper than their JSON; the hash is taken at every poll.
func hashContent(c *content) (string, error) {
	h := sha256.New()
	if err := json.NewEncoder(&yieldingWriter{w: h}).Encode(c); err != nil {
		return "", err
	}
	var key []byte
	for _, cv := range c.Components {
		key = binary.AppendUvarint(key[:0], uint64(len(cv.Bars)))
		for _, b := range cv.Bars {
			key = b.appendKey(key)
		}
		_, _ = h.Write(key) // a hash's Write never fails
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
