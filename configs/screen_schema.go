package configs

// The key-screen checks: multi-step HTTP transactions (screen), real
// browser runs (browser), and heartbeats pushed by jobs such as backups.

// Objective is a screen's latency objective: target of its probes open
// within threshold. It drives the latency view, the per-screen histogram
// in /metrics (threshold as an exact bucket bound) and the status page.
type Objective struct {
	Threshold Duration `yaml:"threshold"`
	Target    Percent  `yaml:"target"`
}

// ScreenProbe is an ordered list of HTTP steps sharing one cookie jar.
// The steps before the first measured one are the login: they run when
// there is no session yet, when it is older than SessionTTL, or when a
// later step answers 401 on a session an earlier run logged in (then the
// login and the steps after it run once more; a 401 on a session logged
// in during the same run fails with reason status). Their time never
// counts. See validate_screen.go for how steps pass values on.
type ScreenProbe struct {
	// SessionTTL is how long a login is reused; 0 logs in on every run.
	SessionTTL Duration     `yaml:"session_ttl"`
	Steps      []ScreenStep `yaml:"steps"`
	// Measure names the steps whose summed time is the screen's
	// duration; empty means the last step.
	Measure []string `yaml:"measure"`
}

// ScreenStep is one request of a screen transaction. Its URL, headers,
// form and body may use values extracted by earlier steps as {{.name}}.
type ScreenStep struct {
	Name    string             `yaml:"name"`
	HTTP    *HTTPProbe         `yaml:"http"`
	Extract map[string]Extract `yaml:"extract"`
}

// Extract takes one value from a step's response; exactly one field is set.
type Extract struct {
	JSON   string `yaml:"json"`   // a JSON path such as $.token
	Regex  string `yaml:"regex"`  // the first capture group (or the whole match) in the body
	Header string `yaml:"header"` // a response header
	Cookie string `yaml:"cookie"` // a cookie the response set
}

// BrowserProbe drives a real Chromium through a screen.
type BrowserProbe struct {
	Steps []BrowserStep `yaml:"steps"`
	// Measure is the span that opens the screen, by 0-based step index:
	// from the start of step From to the end of step To. Nil measures
	// the whole run.
	Measure *StepSpan `yaml:"measure"`
}

// BrowserStep is one action; exactly one field is set.
type BrowserStep struct {
	Navigate    string    `yaml:"navigate"`     // load a URL and wait for its load event
	Fill        *FillStep `yaml:"fill"`         // type a value into a field
	Click       string    `yaml:"click"`        // click the element a CSS selector finds
	WaitVisible string    `yaml:"wait_visible"` // wait until a CSS selector is visible
	WaitText    *WaitStep `yaml:"wait_text"`    // wait until an element holds a text
	Eval        string    `yaml:"eval"`         // run JavaScript; a falsy result or an exception fails the run
}

// FillStep types Value into the field Selector finds.
type FillStep struct {
	Selector string `yaml:"selector"`
	Value    string `yaml:"value"`
}

// WaitStep waits until the element Selector finds contains Text.
type WaitStep struct {
	Selector string `yaml:"selector"`
	Text     string `yaml:"text"`
}

// StepSpan is a span of steps by 0-based index, both ends included.
type StepSpan struct {
	From int `yaml:"from"`
	To   int `yaml:"to"`
}

// HeartbeatCheck is passive: a job (a backup, a batch run) pings
// POST /api/v1/heartbeats/{name} when it succeeds. No ping within
// Period + Grace of the last one is a failure with reason heartbeat_missed.
type HeartbeatCheck struct {
	Period Duration `yaml:"period"`
	Grace  Duration `yaml:"grace"`
	// Token authenticates the pings (Authorization: Bearer); write it
	// as ${NAME}. Empty uses server.heartbeat_token.
	Token string `yaml:"token"`
}
