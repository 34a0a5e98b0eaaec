package configs

import (
	"fmt"
	"os"
	"strings"
)

// validateCheck checks what every check has, then its probe. names maps
// the check names seen so far to their lines.
func validateCheck(v *collector, p string, ch *Check, ids map[string]bool, names map[string]int) {
	switch {
	case ch.Name == "":
		v.add(p+".name", "check name is empty; give every check a short unique name such as \"home-page\"")
	case !validName(ch.Name):
		v.add(p+".name", "check name %s may only hold a-z, 0-9, _ and -, starting with a letter or digit; write %q", v.q(p+".name", ch.Name), fixName(ch.Name))
	}
	if ch.Name != "" {
		if line, dup := names[ch.Name]; dup {
			v.add(p+".name", "check name %s is already used at line %d; names must be unique", v.q(p+".name", ch.Name), line)
		} else {
			names[ch.Name] = v.idx.line(p + ".name")
		}
	}

	switch {
	case ch.Component == "" && len(ids) == 0:
		v.add(p+".component", "check has no component; define the part of the product it watches under components and set component to its id")
	case ch.Component == "":
		v.add(p+".component", "check has no component; set component to one of: %s", knownIDs(ids))
	case !ids[ch.Component] && len(ids) == 0:
		v.add(p+".component", "component %s is not defined; add it under components", v.q(p+".component", ch.Component))
	case !ids[ch.Component]:
		v.add(p+".component", "component %s is not defined under components; use one of: %s", v.q(p+".component", ch.Component), knownIDs(ids))
	}

	if ch.Heartbeat == nil {
		validateTiming(v, p, ch.Interval, ch.Timeout)
	}
	if ch.Objective != nil {
		validateObjective(v, p+".objective", ch)
	}

	var kinds []string
	for _, k := range []struct {
		name string
		set  bool
	}{
		{"http", ch.HTTP != nil}, {"tcp", ch.TCP != nil}, {"dns", ch.DNS != nil}, {"tls", ch.TLS != nil},
		{"screen", ch.Screen != nil}, {"browser", ch.Browser != nil}, {"heartbeat", ch.Heartbeat != nil},
	} {
		if k.set {
			kinds = append(kinds, k.name)
		}
	}
	switch len(kinds) {
	case 0:
		v.add(p+".http", "check has no probe; add one of http, tcp, dns, tls, screen, browser or heartbeat")
	case 1:
	default:
		v.add(p+"."+kinds[1], "check has %d probes (%s); a check runs exactly one: split it into one check per probe", len(kinds), strings.Join(kinds, ", "))
	}
	if ch.HTTP != nil {
		validateHTTP(v, p+".http", ch.HTTP)
	}
	if ch.TCP != nil {
		validateAddress(v, p+".tcp.address", "tcp", ch.TCP.Address, "db.example.com:5432")
	}
	if ch.DNS != nil {
		validateDNS(v, p+".dns", ch.DNS)
	}
	if ch.TLS != nil {
		validateAddress(v, p+".tls.address", "tls", ch.TLS.Address, "example.com:443")
		if ch.TLS.MinDaysLeft < 0 {
			v.add(p+".tls.min_days_left", "min_days_left %d is negative; write 0 to accept any valid certificate, or e.g. 14 to be warned two weeks ahead", ch.TLS.MinDaysLeft)
		}
		validateTLSClient(v, p+".tls", &ch.TLS.Client)
	}
	if ch.Screen != nil {
		validateScreen(v, p+".screen", ch.Screen)
	}
	if ch.Browser != nil {
		validateBrowser(v, p, ch)
	}
	if ch.Heartbeat != nil {
		validateHeartbeat(v, p+".heartbeat", ch.Heartbeat)
	}
}

// validateObjective checks a key screen's latency objective.
func validateObjective(v *collector, p string, ch *Check) {
	o := ch.Objective
	if ch.Heartbeat != nil {
		v.add(p, "a heartbeat has no latency; remove objective from this check")
		return
	}
	if o.Threshold <= 0 {
		v.add(p+".threshold", "objective threshold is missing or zero; write how fast the screen must open, e.g. threshold: 2s")
	}
	if o.Target <= 0 {
		v.add(p+".target", "objective target is missing or zero; write the share of openings that must be within the threshold, e.g. target: 95%%")
	}
}

// validateAddress checks a host:port to connect to.
func validateAddress(v *collector, path, kind, addr, example string) {
	if err := checkHostPort(addr, 1); err != "" {
		v.add(path, "%s address %s %s; write host:port, e.g. %s", kind, v.q(path, addr), err, example)
	}
}

// dnsTypes are the record types the dns probe asks for.
var dnsTypes = []string{"A", "AAAA", "CNAME", "MX", "TXT", "NS", "SOA", "SRV", "PTR"}

// validateDNS checks a dns probe.
func validateDNS(v *collector, p string, d *DNSProbe) {
	if d.Name == "" {
		v.add(p+".name", "dns name is empty; write the name to resolve, e.g. example.com")
	}
	validateOneOf(v, p+".type", "dns type", d.Type, dnsTypes...)
	if d.Server != "" {
		if err := checkHostPort(d.Server, 1); err != "" {
			v.add(p+".server", "dns server %s %s; write host:port, e.g. 1.1.1.1:53, or leave server out to use the system resolver", v.q(p+".server", d.Server), err)
		}
	}
	validateOneOf(v, p+".protocol", "dns protocol", d.Protocol, "udp", "tcp")
}

// validateTLSClient checks certificate settings; p is the mapping that
// holds them.
func validateTLSClient(v *collector, p string, t *TLSClient) {
	if t.CAFile == "" {
		return
	}
	if msg := checkCAFile(t.CAFile); msg != "" {
		v.add(p+".ca_file", "%s", msg)
	}
}

// checkCAFile returns why path is not a usable CA bundle, or "".
func checkCAFile(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("ca_file cannot be read: %v; give the path of a PEM file vigil can read (relative paths start at the config file's directory)", err)
	}
	if !hasPEMCertificate(data) {
		return fmt.Sprintf("ca_file %q holds no PEM certificate; give a file with -----BEGIN CERTIFICATE----- blocks", path)
	}
	return ""
}
