package alert

import (
	"fmt"
	"sync"
	"time"

	"github.com/vigilmon/vigil/probe"
)

// Config is what an Evaluator needs to know.
type Config struct {
	// Policy; zero fields take DefaultPolicy's value.
	Policy Policy
	// Checks maps every check name to the id of its component. Results of
	// other checks are ignored.
	Checks map[string]string
	// Names maps component ids to the names people see (incident titles);
	// a missing name shows the id.
	Names map[string]string
	// Muter says when planned maintenance is in force; nil mutes nothing.
	Muter Muter
	// Now is the clock (time.Now when nil). Incident times come from it,
	// never from results, and are kept in UTC.
	Now func() time.Time
	// NewID makes incident ids ("inc-" and 8 random characters when nil).
	NewID func() string
}

// Evaluator is the incident state machine. It is fed probe results
// (Observe), the passing of time (Tick) and the engineers' operations
// (Update, Resolve, Ack), and answers each with the events to record and
// send. It does no I/O: the caller saves each event's incident (see
// IncidentStore) and hands it to the outbox.
//
// The rules, per component:
//
//   - Each result is one evaluation of its check's component. A check's
//     verdict is that of the location quorum (see check.observe); a
//     component is failing while any of its checks is failing.
//   - A failing evaluation is a result whose check is failing; a passing
//     evaluation is a result after which no check of the component is
//     failing. (A passing result of one check while another check of the
//     component fails is neither, so a healthy check cannot outvote a
//     broken one, nor a stale failing verdict be counted again by the
//     results of another check.)
//   - Policy.FailuresToOpen failing evaluations in a row open an
//     incident (status investigating); Policy.SuccessesToResolve passing
//     evaluations in a row resolve it.
//   - Flap guard: a component failing again within Policy.ReopenWithin
//     after its incident resolved reopens that incident, as an update for
//     the on-call engineers only; a reopened incident resolves only after
//     the component has also been passing for ReopenWithin. Automatic
//     on-call messages (reopen, resolve, reminder) beyond Policy.MaxPerHour
//     per incident in any hour are recorded but silent.
//   - Maintenance: an incident that opens while the Muter mutes its
//     component is recorded with InMaintenance set, and its events are
//     silent. When the maintenance is over and the component still fails,
//     the incident is announced then, as an opened event for everyone: the
//     outage outlasted the maintenance. One that recovers first resolves
//     silently. Events of any incident are silent while its component is
//     muted, except the engineers' own updates.
//   - Audiences: on-call engineers get every open, update, resolve and
//     reminder; customer subscribers get the opening, the updates an
//     engineer marks notify, and the resolve, once per incident (not the
//     reopen of a flap, nor its second resolve).
//
// Cost: Observe is O(locations of the check) with no allocation in the
// steady state; Tick is O(open incidents). It is safe for concurrent use.
type Evaluator struct {
	mu     sync.Mutex
	policy Policy
	now    func() time.Time
	newID  func() string
	muter  Muter
	checks map[string]*check
	comps  map[string]*component
	byID   map[string]*tracked // open incidents and those the flap guard may reopen
}

// component is the evaluator's state of one component.
type component struct {
	id, name string
	// failingChecks counts its checks whose verdict is failing.
	failingChecks int
	// fails and passes count the failing and passing evaluations in a
	// row; passingSince is when the current run of passing ones began.
	fails, passes int
	passingSince  time.Time
	open          *tracked // the open incident, if any
	last          *tracked // the latest resolved incident, for the flap guard
}

// tracked is an incident the evaluator holds, with what it needs beyond
// the incident itself.
type tracked struct {
	inc  Incident
	comp *component // nil for an incident of a component no longer configured
	// pages are the times of on-call messages in the last hour (flap guard).
	pages []time.Time
}

// New returns an evaluator with no incidents; Restore (or Resume) gives
// it those of the state database.
func New(cfg Config) (*Evaluator, error) {
	pol, err := cfg.Policy.withDefaults()
	if err != nil {
		return nil, err
	}
	e := &Evaluator{
		policy: pol,
		now:    cfg.Now,
		newID:  cfg.NewID,
		muter:  cfg.Muter,
		checks: map[string]*check{},
		comps:  map[string]*component{},
		byID:   map[string]*tracked{},
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.newID == nil {
		e.newID = randomID
	}
	if err := validChecks(cfg.Checks); err != nil {
		return nil, err
	}
	e.setChecks(cfg.Checks, cfg.Names)
	return e, nil
}

// Policy returns the policy in force, defaults filled in.
func (e *Evaluator) Policy() Policy { return e.policy }

// Observe feeds one probe result and returns the events it causes,
// usually none. Results of unknown checks, and results older than the
// latest of their check and location, change nothing.
func (e *Evaluator) Observe(r probe.Result) []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	ch := e.checks[r.Check]
	if ch == nil {
		return nil
	}
	was := ch.failing
	if !ch.observe(r) {
		return nil
	}
	comp := ch.comp
	switch {
	case ch.failing && !was:
		comp.failingChecks++
	case !ch.failing && was:
		comp.failingChecks--
	}
	now := e.clock()
	switch {
	case ch.failing:
		comp.passes = 0
		comp.fails++
		if comp.open != nil {
			return e.announceIfDue(comp.open, now)
		}
		if comp.fails >= e.policy.FailuresToOpen {
			return e.openIncident(comp, failDetail(ch, r), now)
		}
	case comp.failingChecks == 0:
		if comp.passes == 0 {
			comp.passingSince = now
		}
		comp.fails = 0
		comp.passes++
		if t := comp.open; t != nil && comp.passes >= e.policy.SuccessesToResolve &&
			(t.inc.Reopens == 0 || now.Sub(comp.passingSince) >= e.policy.ReopenWithin) {
			return e.autoResolve(t, now)
		}
	}
	return nil
}

// clock returns the time now, in UTC.
func (e *Evaluator) clock() time.Time { return e.now().UTC() }

// muted reports whether maintenance mutes comp at t.
func (e *Evaluator) muted(comp *component, t time.Time) bool {
	return comp != nil && e.muter != nil && e.muter.Muted(comp.id, t)
}

// failDetail says, for the on-call engineers, which check failed where.
func failDetail(ch *check, r probe.Result) string {
	why := r.Message
	if why == "" {
		why = string(r.Reason)
	}
	s := fmt.Sprintf("check %s failing from %d of %d locations", ch.name, ch.failingLocs, ch.freshLocs)
	if why != "" {
		s += " (" + r.Location + ": " + why + ")"
	}
	return s
}
