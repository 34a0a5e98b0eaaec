package configs

import (
	"fmt"
	"time"
)

// Defaults filled in by Load and Parse for what a file leaves out.
const (
	DefaultListen       = "127.0.0.1:8080"
	DefaultDataDir      = "./data"
	DefaultRetention    = Duration(400 * 24 * time.Hour) // yearly reports need 366 days
	DefaultLocation     = "local"
	DefaultLogFormat    = "text"
	DefaultLogLevel     = "info"
	DefaultInterval     = Duration(60 * time.Second)
	DefaultTimeout      = Duration(10 * time.Second)
	DefaultDemoListen   = "127.0.0.1:9000"
	DefaultHTTPMethod   = "GET"
	DefaultMaxBodyBytes = ByteSize(10 << 20)
	DefaultDNSType      = "A"
	DefaultDNSProtocol  = "udp"
)

// applyDefaults fills what the file leaves out. Strings, sizes and
// pointers are unset when empty; durations are unset when the file does
// not give them (isSet), because an explicit 0s is an error to report,
// not a value to replace.
func applyDefaults(c *Config, isSet func(path string) bool) {
	setStr(&c.Server.Listen, DefaultListen)
	setStr(&c.Server.DataDir, DefaultDataDir)
	if !isSet("server.retention") {
		c.Server.Retention = DefaultRetention
	}
	setStr(&c.Location, DefaultLocation)
	setStr(&c.Log.Format, DefaultLogFormat)
	setStr(&c.Log.Level, DefaultLogLevel)
	if !isSet("defaults.interval") {
		c.Defaults.Interval = DefaultInterval
	}
	if !isSet("defaults.timeout") {
		c.Defaults.Timeout = DefaultTimeout
	}
	if c.Demo.Enabled {
		setStr(&c.Demo.Listen, DefaultDemoListen)
	}
	for i := range c.Components {
		setStr(&c.Components[i].Name, c.Components[i].ID)
	}
	for i := range c.Checks {
		checkDefaults(&c.Checks[i], c.Defaults, fmt.Sprintf("checks[%d]", i), isSet)
	}
	alertingDefaults(&c.Alerting, isSet)
	statusPageDefaults(&c.StatusPage, isSet)
	remoteDefaults(c, isSet)
}

// checkDefaults fills one check from the defaults section and the
// per-kind defaults.
func checkDefaults(ch *Check, d Defaults, path string, isSet func(string) bool) {
	if !isSet(path + ".interval") {
		ch.Interval = d.Interval
	}
	if !isSet(path + ".timeout") {
		// An inherited timeout never outlasts the check's own interval.
		ch.Timeout = min(d.Timeout, ch.Interval)
	}
	if ch.HTTP != nil {
		httpDefaults(ch.HTTP)
	}
	if ch.Screen != nil {
		for i := range ch.Screen.Steps {
			if h := ch.Screen.Steps[i].HTTP; h != nil {
				httpDefaults(h)
			}
		}
	}
	if dns := ch.DNS; dns != nil {
		setStr(&dns.Type, DefaultDNSType)
		setStr(&dns.Protocol, DefaultDNSProtocol)
	}
}

// httpDefaults fills an http probe's or a screen step's request.
func httpDefaults(h *HTTPProbe) {
	setStr(&h.Method, DefaultHTTPMethod)
	if h.FollowRedirects == nil {
		yes := true
		h.FollowRedirects = &yes
	}
	if h.MaxBodyBytes == 0 {
		h.MaxBodyBytes = DefaultMaxBodyBytes
	}
}

// setStr sets *s to def when it is empty.
func setStr(s *string, def string) {
	if *s == "" {
		*s = def
	}
}
