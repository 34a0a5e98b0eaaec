package configs

import (
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// validatePhone checks that value is a valid phone number written in
// E.164 form (+, country code, number, nothing else), as Twilio wants it.
// It parses with libphonenumber and no default region, so a national
// number ("0612345678") is an error rather than a guess. It returns the
// number in E.164 form and whether it is valid.
//
// When the number is valid but written otherwise ("+31 6 12345678"), the
// message shows the E.164 form to write, unless the value came from the
// environment, which messages never show.
func validatePhone(v *collector, path, what, value string) (string, bool) {
	const how = "write it in E.164 form: + and the country code, no spaces, such as +31612345678"
	if strings.TrimSpace(value) == "" {
		v.add(path, "%s is empty; %s", what, how)
		return "", false
	}
	num, err := phonenumbers.Parse(value, "")
	if err != nil {
		v.add(path, "%s %s is not an international phone number; %s", what, v.q(path, value), how)
		return "", false
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if !phonenumbers.IsValidNumber(num) {
		v.add(path, "%s %s is not a valid phone number; check the digits and %s", what, v.q(path, value), how)
		return "", false
	}
	if value != e164 {
		if _, fromEnv := v.idx.raw[path]; fromEnv {
			v.add(path, "%s %s is not in E.164 form; %s", what, v.q(path, value), how)
		} else {
			v.add(path, "%s %s is not in E.164 form; write %q", what, v.q(path, value), e164)
		}
		return "", false
	}
	return e164, true
}

// sortedKeys returns the keys of m in order, so that problems come out
// the same way every run.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
