package configs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Defaults of status_page.subscribe: how many verification SMS per hour
// one client address may ask for, one number and one number prefix (the
// number without its last 3 digits, the block SMS pumping walks through)
// may receive, and the page may send in all. A person subscribing needs
// one, two after a typo; the caps keep a bot's damage to a few SMS.
const (
	DefaultSubscribePerIP      = 5
	DefaultSubscribePerNumber  = 3
	DefaultSubscribePerPrefix  = 20
	DefaultSubscribeMaxPerHour = 100
)

// subscribeDefaults fills the limits status_page.subscribe leaves out. An
// explicit 0 is an error to report, not a value to replace. The region and
// the allowed countries have no default: which countries a page may send
// SMS to is the operator's decision.
func subscribeDefaults(s *SMSSubscribe, isSet func(path string) bool) {
	const p = "status_page.subscribe."
	for _, l := range []struct {
		key string
		n   *int
		def int
	}{
		{"per_ip_per_hour", &s.PerIP, DefaultSubscribePerIP},
		{"per_number_per_hour", &s.PerNumber, DefaultSubscribePerNumber},
		{"per_prefix_per_hour", &s.PerPrefix, DefaultSubscribePerPrefix},
		{"max_verifications_per_hour", &s.MaxVerificationsPerHour, DefaultSubscribeMaxPerHour},
	} {
		if !isSet(p + l.key) {
			*l.n = l.def
		}
	}
}

// validateSubscribe checks status_page.subscribe. The region and the
// allowed countries are required when the form is enabled and checked
// whenever they are given.
func validateSubscribe(v *collector, s *SMSSubscribe) {
	const p = "status_page.subscribe."
	regionOK := false
	switch {
	case s.DefaultRegion != "":
		regionOK = validateRegion(v, p+"default_region", "default_region", s.DefaultRegion)
	case s.Enabled:
		v.add(p+"default_region", "default_region is empty; write the ISO 3166 code of the country whose numbers subscribers may write without a country code, e.g. NL")
	}
	allowed := map[string]int{}
	for i, c := range s.AllowedCountries {
		path := fmt.Sprintf("%sallowed_countries[%d]", p, i)
		if !validateRegion(v, path, "allowed_countries entry", c) {
			continue
		}
		if line, dup := allowed[c]; dup {
			v.add(path, "allowed_countries entry %s is already listed at line %d; list each country once", v.q(path, c), line)
			continue
		}
		allowed[c] = v.idx.line(path)
	}
	if s.Enabled && len(s.AllowedCountries) == 0 {
		v.add(p+"allowed_countries", "allowed_countries is empty; list the ISO 3166 codes of the countries whose numbers may subscribe, e.g. [NL, BE]: verification SMS to other countries are refused, against SMS pumping")
	}
	if regionOK && len(allowed) > 0 && !slices.Contains(s.AllowedCountries, s.DefaultRegion) {
		v.add(p+"default_region", "default_region %s is not in allowed_countries, so every number written without a country code would be refused; add %s to allowed_countries or choose one of %s",
			v.q(p+"default_region", s.DefaultRegion), s.DefaultRegion, strings.Join(s.AllowedCountries, ", "))
	}
	for _, l := range []struct {
		key, who, example string
		n                 int
	}{
		{"per_ip_per_hour", "one client address may ask for", "5", s.PerIP},
		{"per_number_per_hour", "one number may receive", "3", s.PerNumber},
		{"per_prefix_per_hour", "the numbers sharing all but their last 3 digits may receive", "20", s.PerPrefix},
		{"max_verifications_per_hour", "the page may send in all", "100", s.MaxVerificationsPerHour},
	} {
		if l.n < 1 {
			v.add(p+l.key, "%s %d is less than 1; write how many verification SMS %s per hour, e.g. %s", l.key, l.n, l.who, l.example)
		}
	}
}

// validateRegion checks that code is an ISO 3166 alpha-2 code of a region
// libphonenumber knows numbers of, and reports whether it is.
func validateRegion(v *collector, path, what, code string) bool {
	if phonenumbers.GetSupportedRegions()[code] {
		return true
	}
	fix := "write an ISO 3166 alpha-2 code such as NL, DE or US"
	if up := strings.ToUpper(strings.TrimSpace(code)); up != code && phonenumbers.GetSupportedRegions()[up] {
		fix = fmt.Sprintf("write %q", up)
	}
	v.add(path, "%s %s is not a country code phone numbers are known for; %s", what, v.q(path, code), fix)
	return false
}
