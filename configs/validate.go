package configs

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"
)

// validate checks the decoded, defaulted configuration and reports every
// problem at the line of the key it concerns.
func validate(cfg *Config, v *collector) {
	validateListen(v, "server.listen", cfg.Server.Listen, "127.0.0.1:8080 or :8080")
	validateTokens(v, &cfg.Server)
	validateState(v, cfg.Server.State)
	validateHeartbeatTokens(v, cfg)
	if v.idx.set("server.retention") && cfg.Server.Retention.D() < 24*time.Hour {
		v.add("server.retention", "retention %s is too short: keep results at least 1d (the default 400d covers yearly reports)", cfg.Server.Retention)
	}
	validateOneOf(v, "log.format", "log format", cfg.Log.Format, "text", "json")
	validateOneOf(v, "log.level", "log level", cfg.Log.Level, "debug", "info", "warn", "error")
	validateTiming(v, "defaults", cfg.Defaults.Interval, cfg.Defaults.Timeout)
	if cfg.Demo.Enabled {
		validateListen(v, "demo.listen", cfg.Demo.Listen, "127.0.0.1:9000")
	}
	ids := validateComponents(v, cfg.Components)
	names := map[string]int{}
	for i := range cfg.Checks {
		validateCheck(v, fmt.Sprintf("checks[%d]", i), &cfg.Checks[i], ids, names)
	}
	windows := validateWindows(v, cfg.Windows)
	validateSLAs(v, cfg, ids, windows)
	validateAlerting(v, &cfg.Alerting)
	validateStatusPage(v, cfg)
	validateAgents(v, cfg)
	validateRemote(v, cfg)
}

// validateComponents checks ids and returns the set of valid ones.
func validateComponents(v *collector, comps []Component) map[string]bool {
	ids := map[string]bool{}
	first := map[string]int{}
	for i, c := range comps {
		p := fmt.Sprintf("components[%d]", i)
		switch {
		case c.ID == "":
			v.add(p+".id", "component id is empty; give every component a short unique id such as \"api\"")
			continue
		case !validName(c.ID):
			v.add(p+".id", "component id %s may only hold a-z, 0-9, _ and -, starting with a letter or digit; write %q", v.q(p+".id", c.ID), fixName(c.ID))
		}
		if line, dup := first[c.ID]; dup {
			v.add(p+".id", "component id %s is already used at line %d; ids must be unique", v.q(p+".id", c.ID), line)
			continue
		}
		first[c.ID] = v.idx.line(p + ".id")
		ids[c.ID] = true
	}
	return ids
}

// validateTiming checks an interval and a timeout; path is "defaults" or
// "checks[i]". Only a timeout the file sets can be too long: an inherited
// one is clipped to the interval.
func validateTiming(v *collector, path string, interval, timeout Duration) {
	if v.idx.set(path+".interval") && interval.D() < time.Second {
		v.add(path+".interval", "interval %s is too short; probe at most once a second: write 1s or more", interval)
	}
	if !v.idx.set(path + ".timeout") {
		return
	}
	switch {
	case timeout <= 0:
		v.add(path+".timeout", "timeout must be longer than 0; write e.g. 10s")
	case timeout > interval && interval > 0:
		v.add(path+".timeout", "timeout %s is longer than the interval %s; a probe must finish before its next run: lower the timeout or raise the interval", timeout, interval)
	}
}

// validateListen checks an address to listen on: host:port with an empty
// host for all interfaces and port 0 for any free port.
func validateListen(v *collector, path, addr, example string) {
	if err := checkHostPort(addr, 0); err != "" {
		v.add(path, "listen address %s %s; write host:port, e.g. %s", v.q(path, addr), err, example)
	}
}

// checkHostPort returns why addr is not host:port with a port of at least
// minPort, or "".
func checkHostPort(addr string, minPort int) string {
	if addr == "" {
		return "is empty"
	}
	if strings.Contains(addr, "://") {
		return "is a URL, not host:port"
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "is not host:port"
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < minPort || n > 65535 {
		return fmt.Sprintf("has no valid port (%d to 65535)", minPort)
	}
	return ""
}

// validateOneOf checks that value is one of allowed, suggesting the right
// spelling when only the case differs.
func validateOneOf(v *collector, path, what, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	v.add(path, "%s %s is not supported; %s", what, v.q(path, value), useOneOf(value, allowed))
}

// useOneOf says what to write instead of value.
func useOneOf(value string, allowed []string) string {
	for _, a := range allowed {
		if strings.EqualFold(value, a) {
			return fmt.Sprintf("write %q", a)
		}
	}
	if len(allowed) == 2 {
		return "use " + allowed[0] + " or " + allowed[1]
	}
	return "use one of " + strings.Join(allowed, ", ")
}

// validName reports whether s matches [a-z0-9][a-z0-9_-]*: ids and names
// end up in URLs, metric labels and file names.
func validName(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		ok := b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || i > 0 && (b == '_' || b == '-')
		if !ok {
			return false
		}
	}
	return s != ""
}

// fixName suggests a valid name for s: lower case, other characters as -.
func fixName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' && b.Len() > 0 {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "my-name"
	}
	return b.String()
}

// knownIDs lists component ids for a message.
func knownIDs(ids map[string]bool) string {
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	sort.Strings(list)
	return strings.Join(list, ", ")
}
