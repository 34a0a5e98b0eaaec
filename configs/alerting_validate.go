package configs

import (
	"fmt"
	"net/url"
	"strings"
	"text/template"
	"time"
	"unicode"
)

// validateAlerting checks the alerting section. Tokens and secrets are
// never quoted; other values from the environment show as their ${...}.
func validateAlerting(v *collector, a *Alerting) {
	validatePolicy(v, &a.Policy)
	phones := map[string]int{}
	for i, oc := range a.OnCall {
		p := fmt.Sprintf("alerting.on_call[%d]", i)
		if strings.TrimSpace(oc.Name) == "" {
			v.add(p+".name", "on_call entry has no name; write who is paged, e.g. name: \"Primary\"")
		}
		e164, ok := validatePhone(v, p+".phone", "on_call phone", oc.Phone)
		if !ok {
			continue
		}
		if line, dup := phones[e164]; dup {
			v.add(p+".phone", "on_call phone %s is already listed at line %d; list each number once", v.q(p+".phone", oc.Phone), line)
			continue
		}
		phones[e164] = v.idx.line(p + ".phone")
	}
	validateTwilio(v, &a.Twilio)
	for i, w := range a.Webhooks {
		p := fmt.Sprintf("alerting.webhooks[%d]", i)
		validateHTTPURL(v, p+".url", "webhook url", w.URL, "https://hooks.example.com/vigil")
		validateSecret(v, p+".secret", "webhook secret", w.Secret, "${WEBHOOK_SECRET}", "e.g. from openssl rand -hex 32")
	}
	validateTemplates(v, a.Templates)
}

// validatePolicy checks the thresholds and intervals of the policy.
func validatePolicy(v *collector, pol *AlertPolicy) {
	const p = "alerting.policy."
	if pol.FailuresToOpen < 1 {
		v.add(p+"failures_to_open", "failures_to_open %d is less than 1; write how many failing verdicts in a row open an incident, e.g. 3", pol.FailuresToOpen)
	}
	if pol.SuccessesToResolve < 1 {
		v.add(p+"successes_to_resolve", "successes_to_resolve %d is less than 1; write how many passing verdicts in a row resolve an incident, e.g. 2", pol.SuccessesToResolve)
	}
	if pol.Reminder.D() < time.Minute {
		v.add(p+"reminder", "reminder %s is too short; remind the on-call engineers at most once a minute: write e.g. 30m", pol.Reminder)
	}
	if pol.FlapGuard.ReopenWithin.D() < time.Minute {
		v.add(p+"flap_guard.reopen_within", "reopen_within %s is too short to calm a flapping check; write 1m or more, e.g. 10m", pol.FlapGuard.ReopenWithin)
	}
	if pol.FlapGuard.MaxPerHour < 1 {
		v.add(p+"flap_guard.max_per_hour", "max_per_hour %d is less than 1; write how many automatic messages one incident may send per hour, e.g. 6", pol.FlapGuard.MaxPerHour)
	}
}

// validateTwilio checks the Twilio account, sender and endpoints. An
// empty account_sid turns Twilio off (SMS go to the log); an auth_token
// without one is half a credential and an error.
func validateTwilio(v *collector, t *Twilio) {
	const p = "alerting.twilio."
	switch {
	case t.AccountSID == "" && t.AuthToken != "":
		v.add(p+"account_sid", "twilio has an auth_token but no account_sid; write account_sid: ${TWILIO_ACCOUNT_SID} (AC and 32 hex digits), or remove auth_token to print SMS to the log instead")
	case t.AccountSID != "" && !isSID(t.AccountSID, "AC"):
		v.add(p+"account_sid", "twilio account_sid %s is not an account SID; copy it from the Twilio console: AC and 32 hex digits", v.q(p+"account_sid", t.AccountSID))
	}
	if t.AccountSID != "" {
		validateSecret(v, p+"auth_token", "twilio auth_token", t.AuthToken, "${TWILIO_AUTH_TOKEN}", "copy the auth token from the Twilio console")
		if t.From == "" && t.MessagingServiceSID == "" {
			v.add(p+"from", "twilio has no sender; set from to your Twilio number in E.164 form such as +3197010000000, or messaging_service_sid to a Messaging Service (MG and 32 hex digits)")
		}
	}
	if t.From != "" {
		validatePhone(v, p+"from", "twilio from", t.From)
	}
	if t.MessagingServiceSID != "" && !isSID(t.MessagingServiceSID, "MG") {
		v.add(p+"messaging_service_sid", "twilio messaging_service_sid %s is not a Messaging Service SID; copy it from the Twilio console: MG and 32 hex digits", v.q(p+"messaging_service_sid", t.MessagingServiceSID))
	}
	validateHTTPURL(v, p+"api_base_url", "twilio api_base_url", t.APIBaseURL, DefaultTwilioAPIBaseURL)
	if !(t.RatePerSecond > 0) {
		v.add(p+"rate_per_second", "rate_per_second %g is not more than 0; write how many SMS per second Twilio accepts, e.g. 1 for a long code", t.RatePerSecond)
	}
	if t.PublicURL != "" {
		validateHTTPURL(v, p+"public_url", "twilio public_url", t.PublicURL, "https://status.example.com")
	}
}

// isSID reports whether s is prefix followed by 32 hex digits, the shape
// of a Twilio SID.
func isSID(s, prefix string) bool {
	if len(s) != len(prefix)+32 || !strings.HasPrefix(s, prefix) {
		return false
	}
	for _, r := range s[len(prefix):] {
		if !unicode.Is(unicode.ASCII_Hex_Digit, r) {
			return false
		}
	}
	return true
}

// validateSecret checks a token or secret without ever quoting it; env
// is how to write it, source where a long enough one comes from.
func validateSecret(v *collector, path, what, value, env, source string) {
	switch {
	case value == "":
		v.add(path, "%s is empty; write it as %s and export the variable", what, env)
	case strings.IndexFunc(value, unicode.IsSpace) >= 0:
		v.add(path, "%s holds white space; remove it (a secret read from a file often ends in a line break)", what)
	case len(value) < minTokenLength:
		v.add(path, "%s is too short; use at least %d characters: %s", what, minTokenLength, source)
	}
}

// validateHTTPURL checks an http or https URL with a host. The URL
// itself is not quoted: it may carry a token.
func validateHTTPURL(v *collector, path, what, raw, example string) {
	if raw == "" {
		v.add(path, "%s is empty; write a full URL such as %s", what, example)
		return
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		v.add(path, "%s cannot be parsed; write a full URL such as %s", what, example)
	case u.Scheme != "http" && u.Scheme != "https":
		v.add(path, "%s must start with http:// or https://; write a full URL such as %s", what, example)
	case u.Host == "":
		v.add(path, "%s has no host; write a full URL such as %s", what, example)
	}
}

// validateTemplates checks that every key names an event and every text
// is a Go text/template.
func validateTemplates(v *collector, ts map[string]string) {
	for _, ev := range sortedKeys(ts) {
		p := joinPath("alerting.templates", ev)
		known := false
		for _, k := range TemplateEvents {
			known = known || k == ev
		}
		switch {
		case !known:
			v.add(p, "template for unknown event %q; use one of: %s", ev, strings.Join(TemplateEvents, ", "))
		case strings.TrimSpace(ts[ev]) == "":
			v.add(p, "template for %s is empty; leave the key out to keep the built-in text", ev)
		default:
			if _, err := template.New(ev).Parse(ts[ev]); err != nil {
				v.add(p, "template for %s does not parse: %s; write Go template syntax such as {{.Title}}", ev, strings.TrimPrefix(err.Error(), "template: "))
			}
		}
	}
}
