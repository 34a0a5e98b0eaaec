package configs

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// validateStatusPage checks the status_page section (the subscribe
// sub-section has a validation of its own).
func validateStatusPage(v *collector, cfg *Config) {
	s := &cfg.StatusPage
	if s.Listen != "" {
		validateListen(v, "status_page.listen", s.Listen, "127.0.0.1:8081")
		if s.Listen == cfg.Server.Listen {
			v.add("status_page.listen", "status_page listen %s is server.listen already; leave status_page.listen out to serve the page beside the API, or give it a port of its own such as 127.0.0.1:8081", v.q("status_page.listen", s.Listen))
		}
	}
	if s.PublicURL != "" {
		validatePageURL(v, "status_page.public_url", s.PublicURL)
	}
	validateZone(v, "status_page.timezone", s.TimeZone)
	if s.Logo != "" {
		validateLogo(v, "status_page.logo", s.Logo)
	}
	for _, c := range []struct{ key, value string }{
		{"operational", s.Colors.Operational},
		{"degraded", s.Colors.Degraded},
		{"partial_outage", s.Colors.Partial},
		{"major_outage", s.Colors.Major},
		{"maintenance", s.Colors.Maintenance},
		{"accent", s.Colors.Accent},
	} {
		if c.value != "" && !isHexColor(c.value) {
			p := "status_page.colors." + c.key
			v.add(p, "colour %s is not #rgb or #rrggbb; write a hex colour such as \"#2fcc66\", or leave the key out for the built-in one", v.q(p, c.value))
		}
	}
	for i, raw := range s.TrustedProxies {
		if _, err := ParseProxy(raw); err != nil {
			p := fmt.Sprintf("status_page.trusted_proxies[%d]", i)
			v.add(p, "trusted proxy %s is not an IP address or CIDR range; write e.g. 203.0.113.0/24 or 2001:db8::/32", v.q(p, raw))
		}
	}
	validateSubscribe(v, &s.Subscribe)
}

// ParseProxy reads a trusted proxy: a CIDR range, or one address.
func ParseProxy(raw string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(raw); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(raw)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// validatePageURL checks the page's public address: an http(s) origin. The
// page is served at the root of its address, and its links start with /.
func validatePageURL(v *collector, path, raw string) {
	const example = "https://status.example.com"
	validateHTTPURL(v, path, "status_page public_url", raw, example)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return // reported above
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		v.add(path, "status_page public_url %s has more than scheme and host; the page is served at the root of its own address: write only the origin, such as %s", v.q(path, raw), example)
	}
}

// validateLogo checks the logo's address: a path on the page's own origin
// or an http(s) URL.
func validateLogo(v *collector, path, raw string) {
	const how = "write a path on the page's own address such as /logo.svg, or a full URL such as https://cdn.example.com/logo.svg"
	if strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//") {
		if _, err := url.Parse(raw); err != nil || strings.ContainsAny(raw, " \"'<>\\") {
			v.add(path, "logo %s is not a usable path; %s", v.q(path, raw), how)
		}
		return
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		v.add(path, "logo %s is neither a /path nor an http(s) URL; %s", v.q(path, raw), how)
	}
}

// isHexColor reports whether s is a CSS hex colour #rgb or #rrggbb.
func isHexColor(s string) bool {
	if (len(s) != 4 && len(s) != 7) || s[0] != '#' {
		return false
	}
	for _, r := range s[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// statusPageDefaults fills what the status_page section leaves out. Colours
// left out stay empty: the page uses its built-in palette for them.
func statusPageDefaults(s *StatusPage, isSet func(path string) bool) {
	setStr(&s.Title, "Status")
	setStr(&s.TimeZone, "UTC")
	subscribeDefaults(&s.Subscribe, isSet)
}
