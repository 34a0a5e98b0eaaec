package probe

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"sync"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/clock"
)

// screenProber opens a key screen through a transaction of HTTP steps that
// share one cookie jar, and times only the steps that open the screen.
//
// The login is the steps before the first measured one. It runs when
// there is no session yet, when the session is older than session_ttl (0:
// on every run), and when a step after the login answers 401 on a session
// an earlier run logged in: then the prober logs in again once and runs
// the steps after the login once more, as a user whose session ended
// would. That is not a retry: a 401 on a session logged in during the same
// run fails the run with reason status, and so does the 401 of the second
// attempt. The login's time never counts; a session is its cookie jar and
// the values its steps extracted.
//
// Result: Duration and Phases are the sums over the measured steps that
// ran (a run that fails during the login has Duration 0), Status is the
// last HTTP status seen, Steps lists every step that ran in order, and a
// failure takes its Reason from the failing step and its Message prefixed
// with that step's name ("step open: status 503, expected one of [200]").
//
// Probe is safe for concurrent use: the session is swapped under a mutex
// and never held during a request; two runs that both find no session
// both log in, and the later login's session is kept.
type screenProber struct {
	steps []*screenStep
	login int // steps[:login] are the login
	ttl   time.Duration
	clock clock.Clock

	mu      sync.Mutex
	session *screenSession // nil: log in on the next run
}

// screenSession is one login: its cookies and the values its steps
// extracted (read-only once stored). The jar keeps collecting the cookies
// later steps receive, as a browser's would.
type screenSession struct {
	jar    http.CookieJar
	values map[string]string
	at     time.Time // when the login started, on the prober's clock
}

// newScreen builds a screen prober: every step's transport, templates,
// expectations and extractions. resolver is nil for the system resolver;
// clk times the session (tests pass a fake one).
func newScreen(c *configs.ScreenProbe, resolver *net.Resolver, clk clock.Clock) (*screenProber, error) {
	if len(c.Steps) == 0 {
		return nil, fmt.Errorf("screen has no steps")
	}
	measured := map[string]bool{}
	for _, name := range c.Measure {
		if !slices.ContainsFunc(c.Steps, func(s configs.ScreenStep) bool { return s.Name == name }) {
			return nil, fmt.Errorf("measure names step %q, which the screen does not have", name)
		}
		measured[name] = true
	}
	if len(c.Measure) == 0 {
		measured[c.Steps[len(c.Steps)-1].Name] = true
	}
	p := &screenProber{ttl: c.SessionTTL.D(), clock: clk, login: -1}
	ua := UserAgent
	for i := range c.Steps {
		st, err := newScreenStep(&c.Steps[i], resolver, ua)
		if err != nil {
			return nil, fmt.Errorf("step %q: %w", c.Steps[i].Name, err)
		}
		st.measured = measured[st.name]
		if st.measured && p.login < 0 {
			p.login = i
		}
		p.steps = append(p.steps, st)
	}
	return p, nil
}

// Probe runs the screen once: logging in when needed, then the steps
// after the login.
func (p *screenProber) Probe(ctx context.Context) Result {
	run := newScreenRun()
	sess := p.reusable()
	fresh := sess == nil
	if fresh {
		if sess = p.logIn(ctx, run); sess == nil {
			return run.finish()
		}
	}
	if p.open(ctx, sess, run) && !fresh {
		// The server ended the session an earlier run logged in: a user
		// logs in again and carries on.
		p.forget(sess)
		run.retract()
		if sess = p.logIn(ctx, run); sess == nil {
			return run.finish()
		}
		p.open(ctx, sess, run)
	}
	return run.finish()
}

// reusable returns the stored session if it is young enough, else nil.
func (p *screenProber) reusable() *screenSession {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.session != nil && p.clock.Now().Sub(p.session.at) < p.ttl {
		return p.session
	}
	return nil
}

// forget drops sess unless another run has replaced it already.
func (p *screenProber) forget(sess *screenSession) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.session == sess {
		p.session = nil
	}
}

// logIn runs the login steps on a new session and keeps it for reuse. It
// returns nil when a step failed (run holds why).
func (p *screenProber) logIn(ctx context.Context, run *screenRun) *screenSession {
	jar, err := cookiejar.New(nil)
	if err != nil {
		run.fail(ReasonConfig, "cookie jar: %v", err)
		return nil
	}
	sess := &screenSession{jar: jar, values: map[string]string{}, at: p.clock.Now()}
	for _, st := range p.steps[:p.login] {
		r := st.run(ctx, jar, sess.values)
		run.add(st, r)
		if !r.OK {
			return nil
		}
	}
	if p.ttl > 0 {
		p.mu.Lock()
		p.session = sess
		p.mu.Unlock()
	}
	return sess
}

// open runs the steps after the login on sess, stopping at the first
// failure. It reports whether that failure was a 401 the step did not
// expect: the sign of a session the server has ended.
func (p *screenProber) open(ctx context.Context, sess *screenSession, run *screenRun) (unauthorized bool) {
	values := make(map[string]string, len(sess.values))
	for k, v := range sess.values {
		values[k] = v
	}
	for _, st := range p.steps[p.login:] {
		r := st.run(ctx, sess.jar, values)
		run.add(st, r)
		if !r.OK {
			return r.Reason == ReasonStatus && r.Status == http.StatusUnauthorized
		}
	}
	return false
}
