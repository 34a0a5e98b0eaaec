package probe

import "time"

// Reason says why a probe failed, in the vocabulary of the SLA contract
// (shared/SLA.md): the calculator treats "timeout" as the extreme of slow and
// every other reason as unavailability.
type Reason string

// Failure reasons. An ok Result has the empty reason.
const (
	ReasonNone      Reason = ""
	ReasonTimeout   Reason = "timeout"   // the deadline passed before the probe finished
	ReasonDNS       Reason = "dns"       // the target's name did not resolve
	ReasonConnect   Reason = "connect"   // no TCP connection (refused, unreachable, reset)
	ReasonTLS       Reason = "tls"       // handshake or certificate failure
	ReasonStatus    Reason = "status"    // an HTTP status that was not expected
	ReasonAssertion Reason = "assertion" // the answer did not match an expectation
	ReasonSize      Reason = "size"      // the response body exceeded its limit
	ReasonProtocol  Reason = "protocol"  // a malformed answer (bad HTTP, bad DNS message)
	ReasonConfig    Reason = "config"    // the check cannot run as configured (bad CA file, …)
	ReasonBrowser   Reason = "browser"   // the browser crashed or could not be started

	ReasonHeartbeatMissed Reason = "heartbeat_missed" // no ping within period + grace
	ReasonHeartbeatFailed Reason = "heartbeat_failed" // the job pinged with status=fail
)

// Phases are the parts of a round trip, summed over HTTP redirects.
// TTFB is the time from the request being written to the first response
// byte: the server's own time. An HTTP probe's duration is their sum.
type Phases struct {
	DNS      time.Duration `json:"dns"`
	Connect  time.Duration `json:"connect"`
	TLS      time.Duration `json:"tls"`
	TTFB     time.Duration `json:"ttfb"`
	Transfer time.Duration `json:"transfer"`
}

// total is the sum of the phases.
func (p *Phases) total() time.Duration {
	return p.DNS + p.Connect + p.TLS + p.TTFB + p.Transfer
}

// PhaseNames lists the phase labels in the order they happen.
var PhaseNames = []string{"dns", "connect", "tls", "ttfb", "transfer"}

// Get returns the phase by its label from PhaseNames.
func (p *Phases) Get(name string) time.Duration {
	switch name {
	case "dns":
		return p.DNS
	case "connect":
		return p.Connect
	case "tls":
		return p.TLS
	case "ttfb":
		return p.TTFB
	case "transfer":
		return p.Transfer
	}
	return 0
}

// Set stores the phase by its label from PhaseNames.
func (p *Phases) Set(name string, d time.Duration) {
	switch name {
	case "dns":
		p.DNS = d
	case "connect":
		p.Connect = d
	case "tls":
		p.TLS = d
	case "ttfb":
		p.TTFB = d
	case "transfer":
		p.Transfer = d
	}
}

// Result is one observation of one check from one location.
type Result struct {
	Check    string
	Location string
	Start    time.Time     // when the probe started (UTC)
	Duration time.Duration // the probe's total time
	Interval time.Duration // the check's interval when it ran: how long this result covers
	OK       bool
	Reason   Reason
	Message  string  // for people: what happened, e.g. "status 503, expected 200"
	Status   int     // HTTP status code, 0 for other kinds
	Phases   *Phases // HTTP, TCP and TLS; nil for DNS
	// Steps are a screen's or browser run's steps in order, each with
	// its own time; nil for the other kinds.
	Steps []Step
	// Screenshot names the PNG kept for a failed browser run, served by
	// the API at /api/v1/screenshots/{Screenshot}; "" when there is none.
	Screenshot string
}

// Step is one step of a multi-step check.
type Step struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"-"`
	OK       bool          `json:"ok"`
	Status   int           `json:"status,omitempty"` // HTTP status, screens only
	Measured bool          `json:"measured"`         // counts towards the screen's duration
	Message  string        `json:"message,omitempty"`
}
