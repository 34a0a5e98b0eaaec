package configs

import "time"

// Alerting is who is told about incidents, how, and when an incident opens
// and closes. Leaving the section out keeps the defaults: the policy below,
// nobody on call, no Twilio (SMS are printed to the log), no webhooks.
type Alerting struct {
	Policy AlertPolicy `yaml:"policy"`
	// OnCall are the engineers paged by SMS on every incident event.
	OnCall []OnCall `yaml:"on_call"`
	// Twilio sends the SMS; without an account_sid vigil prints each SMS
	// it would send to the log instead.
	Twilio Twilio `yaml:"twilio"`
	// Webhooks receive every incident event as signed JSON.
	Webhooks []Webhook `yaml:"webhooks"`
	// Templates override the text of one event's SMS, keyed by event
	// (see TemplateEvents); the text is a Go text/template.
	Templates map[string]string `yaml:"templates"`
}

// AlertPolicy says when an incident opens, resolves and is repeated.
type AlertPolicy struct {
	// FailuresToOpen is how many consecutive failing verdicts of a
	// component open an incident (at least 1; default 3).
	FailuresToOpen int `yaml:"failures_to_open"`
	// SuccessesToResolve is how many consecutive passing verdicts resolve
	// it (at least 1; default 2).
	SuccessesToResolve int `yaml:"successes_to_resolve"`
	// Reminder is how often the on-call engineers are reminded of an open
	// incident nobody has acknowledged (at least 1m; default 30m).
	Reminder  Duration  `yaml:"reminder"`
	FlapGuard FlapGuard `yaml:"flap_guard"`
}

// FlapGuard keeps a component that fails on and off from sending a storm
// of messages.
type FlapGuard struct {
	// ReopenWithin: a component failing again within this time after its
	// incident resolved reopens that incident (an update for the on-call
	// engineers only) instead of opening a new one; such a reopened
	// incident then resolves only after passing for this long. At least
	// 1m; default 10m.
	ReopenWithin Duration `yaml:"reopen_within"`
	// MaxPerHour caps the automatic messages (reopen, resolve, reminder)
	// per incident per hour; what is over the cap is recorded but not
	// sent. At least 1; default 6.
	MaxPerHour int `yaml:"max_per_hour"`
}

// OnCall is one engineer paged by SMS. Phone is an E.164 number such as
// +31612345678 (validated with libphonenumber).
type OnCall struct {
	Name  string `yaml:"name"`
	Phone string `yaml:"phone"`
}

// Twilio are the credentials and sender of SMS. AccountSID turns it on
// (AC and 32 hex digits); then AuthToken and one of From (an E.164
// number) or MessagingServiceSID (MG and 32 hex digits) are required.
// AuthToken is a secret: write it as ${TWILIO_AUTH_TOKEN}; it is never
// printed.
type Twilio struct {
	AccountSID          string `yaml:"account_sid"`
	AuthToken           string `yaml:"auth_token"`
	From                string `yaml:"from"`
	MessagingServiceSID string `yaml:"messaging_service_sid"`
	// APIBaseURL is Twilio's API; change it only for tests and proxies.
	// Default https://api.twilio.com.
	APIBaseURL string `yaml:"api_base_url"`
	// RatePerSecond is how many SMS per second vigil sends at most: about
	// 1 for a long code (the default), more for a Messaging Service.
	RatePerSecond float64 `yaml:"rate_per_second"`
	// PublicURL is the status page's address, linked from every SMS and
	// used to check the signature of Twilio's callbacks; empty leaves the
	// link out.
	PublicURL string `yaml:"public_url"`
}

// Enabled reports whether SMS go to Twilio (an account_sid is set)
// rather than to the log.
func (t Twilio) Enabled() bool { return t.AccountSID != "" }

// Webhook receives incident events as JSON, signed with HMAC-SHA256 over
// the body with Secret (at least 16 characters; never printed).
type Webhook struct {
	URL    string `yaml:"url"`
	Secret string `yaml:"secret"`
}

// TemplateEvents are the events whose SMS text alerting.templates may
// override.
var TemplateEvents = []string{
	"incident.opened", "incident.updated", "incident.resolved", "incident.reminder",
	"maintenance.scheduled", "maintenance.started", "maintenance.completed",
}

// Defaults of the alerting section.
const (
	DefaultFailuresToOpen     = 3
	DefaultSuccessesToResolve = 2
	DefaultReminder           = Duration(30 * time.Minute)
	DefaultReopenWithin       = Duration(10 * time.Minute)
	DefaultMaxPerHour         = 6
	DefaultTwilioAPIBaseURL   = "https://api.twilio.com"
	DefaultTwilioRate         = 1.0
)

// alertingDefaults fills what the alerting section leaves out. Numbers
// and durations are unset only when the file does not give them: an
// explicit 0 is an error to report, not a value to replace.
func alertingDefaults(a *Alerting, isSet func(path string) bool) {
	const p = "alerting.policy."
	if !isSet(p + "failures_to_open") {
		a.Policy.FailuresToOpen = DefaultFailuresToOpen
	}
	if !isSet(p + "successes_to_resolve") {
		a.Policy.SuccessesToResolve = DefaultSuccessesToResolve
	}
	if !isSet(p + "reminder") {
		a.Policy.Reminder = DefaultReminder
	}
	if !isSet(p + "flap_guard.reopen_within") {
		a.Policy.FlapGuard.ReopenWithin = DefaultReopenWithin
	}
	if !isSet(p + "flap_guard.max_per_hour") {
		a.Policy.FlapGuard.MaxPerHour = DefaultMaxPerHour
	}
	setStr(&a.Twilio.APIBaseURL, DefaultTwilioAPIBaseURL)
	if !isSet("alerting.twilio.rate_per_second") {
		a.Twilio.RatePerSecond = DefaultTwilioRate
	}
}
