package probe

import (
	"context"
	"fmt"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/clock"
)

// UserAgent is sent by HTTP probes that do not set their own User-Agent
// header. The binary sets it to "vigil/<version>" before building probers;
// probers read it once, in New.
var UserAgent = "vigil/dev"

// Prober runs one check once.
//
// The caller owns the deadline: Probe reads it from ctx and returns by then
// (a probe never sets its own timeout and never retries, because a retry
// hides downtime). A Prober is safe for concurrent use. The returned Result
// has Start (UTC), Duration, OK, Reason and Message set, and Status and
// Phases where the kind knows them; Check, Location and Interval are left
// for the caller.
type Prober interface {
	Probe(ctx context.Context) Result
}

// New builds the Prober for a validated check with its defaults filled.
// Everything that can be done once (parsing the URL, compiling regular
// expressions, loading CA files, building the HTTP transport) is done here.
// An error means the check cannot run as configured; the caller reports it
// with ReasonConfig.
func New(c configs.Check) (Prober, error) {
	var (
		p   Prober
		err error
	)
	switch c.Kind() {
	case "http":
		p, err = newHTTP(c.HTTP, nil)
	case "tcp":
		p, err = newTCP(c.TCP, nil)
	case "dns":
		p, err = newDNS(c.DNS)
	case "tls":
		p, err = newTLS(c.TLS, nil)
	case "screen":
		p, err = newScreen(c.Screen, nil, clock.Real{})
	default:
		return nil, fmt.Errorf("check %q: no probe kind New can build (want one of http, tcp, dns, tls, screen; browser checks are built by probe/browser, heartbeats are pushed, not probed)", c.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("check %q: build %s probe: %w", c.Name, c.Kind(), err)
	}
	return p, nil
}

// begin starts a Result: the monotonic start time for measuring and the
// wall-clock start in UTC for the record.
func begin() (Result, time.Time) {
	t0 := time.Now()
	return Result{Start: t0.UTC()}, t0
}

// setFailure marks r as failed with the reason and message classify gives
// err, naming the phase the probe was in when its time ran out. r.Duration
// must already be set.
func setFailure(ctx context.Context, r *Result, err error, inTLS bool, phase string) {
	reason, msg := classify(ctx, err, inTLS)
	if reason == ReasonTimeout {
		msg = fmt.Sprintf("%s after %s", msg, r.Duration.Round(time.Millisecond))
		if phase != "" {
			msg += " during " + phase
		}
	}
	r.OK, r.Reason, r.Message = false, reason, msg
}

// setFailuref marks r as failed with reason and a formatted message.
func setFailuref(r *Result, reason Reason, format string, args ...any) {
	r.OK, r.Reason, r.Message = false, reason, fmt.Sprintf(format, args...)
}
