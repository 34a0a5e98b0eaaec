package probe

import (
	"context"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

// Job is one check as the Scheduler runs it.
type Job struct {
	Name     string
	Interval time.Duration
	Timeout  time.Duration
	Prober   Prober
	// Fingerprint identifies the job's configuration: on Reload a job whose
	// name and fingerprint are unchanged keeps running undisturbed.
	Fingerprint string
}

// SchedulerOptions wires the Scheduler to its surroundings.
type SchedulerOptions struct {
	Location string      // written into every Result
	Clock    clock.Clock // nil means the wall clock
	Logger   *slog.Logger
	// Emit receives every Result. It is called from the check's own
	// goroutine: a slow Emit delays that check only.
	Emit func(Result)
	// OnLag, when set, receives how late each run started against its tick.
	OnLag func(check string, lag time.Duration)
	// OnSkip, when set, receives the ticks a check missed because its
	// previous run (or Emit) overran them.
	OnSkip func(check string, ticks int)
}

// Scheduler runs every check on its own anchored rhythm: check c fires at
// the instants k*interval + offset(c) since the Unix epoch, where the offset
// is a stable hash of the name. Anchoring to the epoch means the rhythm never
// drifts, survives restarts and reloads, and 10,000 checks spread evenly over
// their interval instead of firing in the same millisecond.
type Scheduler struct {
	opts SchedulerOptions

	mu      sync.Mutex
	ctx     context.Context
	workers *workers
	runners map[string]*runner
	wg      sync.WaitGroup
}

type runner struct {
	job    Job
	cancel context.CancelFunc
	done   chan struct{}
}

// NewScheduler returns a Scheduler that starts jobs once Run is called.
func NewScheduler(opts SchedulerOptions) *Scheduler {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Emit == nil {
		opts.Emit = func(Result) {}
	}
	return &Scheduler{opts: opts, runners: map[string]*runner{}}
}

// Run starts jobs and blocks until ctx ends and every running probe has
// returned.
func (s *Scheduler) Run(ctx context.Context, jobs []Job) {
	s.mu.Lock()
	s.ctx = ctx
	s.workers = newWorkers(ctx, time.Minute)
	s.mu.Unlock()
	s.Reload(jobs)
	<-ctx.Done()
	s.wg.Wait()
	s.workers.wait()
}

// Reload replaces the set of jobs: new ones start, removed ones stop, changed
// ones restart, unchanged ones (same name and fingerprint) are not touched.
// It returns when the stopped jobs have finished their current run.
func (s *Scheduler) Reload(jobs []Job) (started, stopped, kept int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil || s.ctx.Err() != nil {
		return 0, 0, 0
	}
	want := make(map[string]Job, len(jobs))
	for _, j := range jobs {
		want[j.Name] = j
	}
	for name, r := range s.runners {
		if j, ok := want[name]; ok && j.Fingerprint == r.job.Fingerprint && j.Interval == r.job.Interval && j.Timeout == r.job.Timeout {
			kept++
			continue
		}
		r.cancel()
		<-r.done
		delete(s.runners, name)
		stopped++
	}
	for _, j := range jobs {
		if _, ok := s.runners[j.Name]; ok {
			continue
		}
		ctx, cancel := context.WithCancel(s.ctx)
		r := &runner{job: j, cancel: cancel, done: make(chan struct{})}
		s.runners[j.Name] = r
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer close(r.done)
			s.loop(ctx, r.job)
		}()
		started++
	}
	return started, stopped, kept
}

// Offset is the check's stable place inside its interval, to the millisecond.
func Offset(name string, interval time.Duration) time.Duration {
	ms := interval.Milliseconds()
	if ms <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return time.Duration(h.Sum64()%uint64(ms)) * time.Millisecond
}

// NextTick returns the first tick of the rhythm (interval, offset) at or
// after t.
func NextTick(t time.Time, interval, offset time.Duration) time.Time {
	ns := t.UnixNano() - int64(offset)
	k := ns / int64(interval)
	if ns%int64(interval) != 0 {
		if ns > 0 {
			k++
		}
	}
	return time.Unix(0, k*int64(interval)+int64(offset))
}

func (s *Scheduler) loop(ctx context.Context, j Job) {
	clk := s.opts.Clock
	offset := Offset(j.Name, j.Interval)
	next := NextTick(clk.Now(), j.Interval, offset)
	timer := clk.NewTimer(next.Sub(clk.Now()))
	defer timer.Stop()
	done := make(chan struct{}, 1)
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C():
		}
		woke := clk.Now()
		if s.opts.OnLag != nil {
			s.opts.OnLag(j.Name, woke.Sub(next))
		}
		// The probe runs on a pooled worker; this goroutine only keeps
		// the rhythm, so its stack stays small.
		s.workers.run(func() { s.runOnce(ctx, j, woke); done <- struct{}{} })
		<-done

		// The next tick is the rhythm's, not "now + interval": a run that
		// overran skips the ticks it missed instead of shifting the rhythm.
		next = next.Add(j.Interval)
		now := clk.Now()
		if next.Before(now) {
			missed := int(now.Sub(next)/j.Interval) + 1
			next = next.Add(time.Duration(missed) * j.Interval)
			if s.opts.OnSkip != nil {
				s.opts.OnSkip(j.Name, missed)
			}
		}
		timer.Reset(next.Sub(now))
	}
}

func (s *Scheduler) runOnce(ctx context.Context, j Job, start time.Time) {
	pctx, cancel := context.WithTimeout(ctx, j.Timeout)
	res := j.Prober.Probe(pctx)
	cancel()
	if ctx.Err() != nil {
		// Shutting down: a probe cut short by our own cancellation says
		// nothing about the target, so it is not reported.
		return
	}
	if res.Start.IsZero() {
		res.Start = start
	}
	res.Start = res.Start.UTC()
	res.Check = j.Name
	res.Location = s.opts.Location
	res.Interval = j.Interval
	s.opts.Emit(res)
}
