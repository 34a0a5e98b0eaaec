package configs

// The YAML schema. Field names are the public interface: keep them stable.
// Defaults are filled in by Load (see defaults.go), never by the consumers.

// Config is one vigil configuration file.
type Config struct {
	Server     Server      `yaml:"server"`
	Location   string      `yaml:"location"` // name of this probing location
	Log        Log         `yaml:"log"`
	Defaults   Defaults    `yaml:"defaults"`
	Demo       Demo        `yaml:"demo"`
	Components []Component `yaml:"components"`
	Checks     []Check     `yaml:"checks"`
	// SLAs are the customers' service level agreements (see SLA).
	SLAs []SLA `yaml:"slas"`
	// Windows are named daily spans, such as a nightly backup, that
	// latency objectives can leave out; keys are names (a-z, 0-9, _ and -).
	Windows map[string]DailyWindow `yaml:"windows"`
	// Alerting is the incident policy and who hears about incidents.
	Alerting Alerting `yaml:"alerting"`
	// StatusPage is the public status page.
	StatusPage StatusPage `yaml:"status_page"`
	// Agents are the remote probing locations that ship results here (see agents_schema.go).
	Agents []Agent `yaml:"agents"`
	// RemoteWrite and RemoteRead connect a Prometheus-compatible backend (see remote_schema.go).
	RemoteWrite []RemoteWrite `yaml:"remote_write"`
	RemoteRead  RemoteRead    `yaml:"remote_read"`
}

// Server is the HTTP listener and the data directory.
type Server struct {
	Listen  string `yaml:"listen"`
	DataDir string `yaml:"data_dir"`
	// State is the state store's PostgreSQL DSN (see state_schema.go).
	State string `yaml:"state"`
	// Retention is how long probe results are kept; yearly reports need
	// at least 366 days, so the default is 400d.
	Retention Duration `yaml:"retention"`
	// AdminToken is the bearer token of the admin API (maintenance
	// windows, incidents); ReportToken that of the SLA report API. Write
	// them as ${VIGIL_ADMIN_TOKEN} and ${VIGIL_REPORT_TOKEN}: they are
	// secrets. Empty turns that API off. When set, a token has at least
	// 16 characters and no white space, and the two differ. Never log or
	// print them.
	AdminToken  string `yaml:"admin_token"`
	ReportToken string `yaml:"report_token"`
	// HeartbeatToken authenticates heartbeat pings of checks without a
	// token of their own; same rules as the other tokens.
	HeartbeatToken string `yaml:"heartbeat_token"`
}

// Log selects the log format (text or json) and level (debug, info, warn, error).
type Log struct {
	Format string `yaml:"format"`
	Level  string `yaml:"level"`
}

// Defaults apply to every check that does not set its own value.
type Defaults struct {
	Interval Duration `yaml:"interval"`
	Timeout  Duration `yaml:"timeout"`
}

// Demo starts the built-in demo application on Listen when Enabled.
// The embedded default config enables it so that a first run has a target.
type Demo struct {
	Enabled bool   `yaml:"enabled"`
	Listen  string `yaml:"listen"`
}

// Component is a part of the product as customers see it.
type Component struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Group       string `yaml:"group"`
	Description string `yaml:"description"`
}

// Check is one synthetic probe. Exactly one of the probe kinds is set.
type Check struct {
	Name      string   `yaml:"name"`
	Component string   `yaml:"component"`
	Interval  Duration `yaml:"interval"`
	Timeout   Duration `yaml:"timeout"`
	// Objective is the latency objective of a key screen (any kind but
	// heartbeat); nil for checks without one.
	Objective *Objective `yaml:"objective"`
	// Locations are where the check runs (this server's location, agents'); empty is everywhere.
	Locations []string `yaml:"locations"`

	HTTP      *HTTPProbe      `yaml:"http"`
	TCP       *TCPProbe       `yaml:"tcp"`
	DNS       *DNSProbe       `yaml:"dns"`
	TLS       *TLSProbe       `yaml:"tls"`
	Screen    *ScreenProbe    `yaml:"screen"`
	Browser   *BrowserProbe   `yaml:"browser"`
	Heartbeat *HeartbeatCheck `yaml:"heartbeat"`
}

// Kind names the probe kind that is set ("http", "tcp", "dns", "tls",
// "screen", "browser", "heartbeat"), or "".
func (c *Check) Kind() string {
	switch {
	case c.HTTP != nil:
		return "http"
	case c.TCP != nil:
		return "tcp"
	case c.DNS != nil:
		return "dns"
	case c.TLS != nil:
		return "tls"
	case c.Screen != nil:
		return "screen"
	case c.Browser != nil:
		return "browser"
	case c.Heartbeat != nil:
		return "heartbeat"
	}
	return ""
}

// HTTPProbe requests one URL and judges the response.
type HTTPProbe struct {
	URL             string            `yaml:"url"`
	Method          string            `yaml:"method"`
	Headers         map[string]string `yaml:"headers"`
	Body            string            `yaml:"body"`
	Form            map[string]string `yaml:"form"`
	FollowRedirects *bool             `yaml:"follow_redirects"`
	// MaxBodyBytes caps how much of the response body is read; a larger
	// body fails the probe with reason "size".
	MaxBodyBytes ByteSize   `yaml:"max_body_bytes"`
	TLS          TLSClient  `yaml:"tls"`
	Expect       HTTPExpect `yaml:"expect"`
}

// TLSClient tunes certificate verification for a probe.
type TLSClient struct {
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
	CAFile             string `yaml:"ca_file"` // PEM bundle; Load makes a relative path relative to the config file's directory
	ServerName         string `yaml:"server_name"`
}

// HTTPExpect lists what a successful response looks like.
type HTTPExpect struct {
	Status       []int          `yaml:"status"`
	BodyContains string         `yaml:"body_contains"`
	BodyRegex    string         `yaml:"body_regex"`
	JSON         map[string]any `yaml:"json"` // "$.path" -> expected value; see ParseJSONPath and LookupJSON
	MaxDuration  Duration       `yaml:"max_duration"`
}

// TCPProbe opens a TCP connection.
type TCPProbe struct {
	Address string `yaml:"address"`
}

// DNSProbe asks one server for one record set.
type DNSProbe struct {
	Name     string   `yaml:"name"`
	Type     string   `yaml:"type"`     // A (default), AAAA, CNAME, MX, TXT, NS, SOA, SRV, PTR
	Server   string   `yaml:"server"`   // host:port; default: the system resolver's first server
	Protocol string   `yaml:"protocol"` // udp (default) or tcp
	Expect   []string `yaml:"expect"`   // every listed value must be in the answer
}

// TLSProbe completes a TLS handshake and checks the certificate.
type TLSProbe struct {
	Address     string    `yaml:"address"` // host:port
	MinDaysLeft int       `yaml:"min_days_left"`
	Client      TLSClient `yaml:",inline"`
}
