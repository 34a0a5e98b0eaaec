package configs

import (
	"strings"
	"testing"
	"time"
)

func TestAlertingDefaults(t *testing.T) {
	cfg, err := Parse("empty.yml", nil)
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.Alerting
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"failures_to_open", a.Policy.FailuresToOpen, 3},
		{"successes_to_resolve", a.Policy.SuccessesToResolve, 2},
		{"reminder", a.Policy.Reminder.D(), 30 * time.Minute},
		{"reopen_within", a.Policy.FlapGuard.ReopenWithin.D(), 10 * time.Minute},
		{"max_per_hour", a.Policy.FlapGuard.MaxPerHour, 6},
		{"api_base_url", a.Twilio.APIBaseURL, "https://api.twilio.com"},
		{"rate_per_second", a.Twilio.RatePerSecond, 1.0},
		{"twilio enabled", a.Twilio.Enabled(), false},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestAlertingIssueExample parses the example of the alerting issue with
// its secrets from the environment.
func TestAlertingIssueExample(t *testing.T) {
	t.Setenv("TWILIO_ACCOUNT_SID", "AC0123456789ABCDEF0123456789abcdef")
	t.Setenv("TWILIO_AUTH_TOKEN", "0123456789abcdef0123456789abcdef")
	t.Setenv("WEBHOOK_SECRET", "a-long-webhook-secret")
	yml := `alerting:
  policy: {failures_to_open: 1, successes_to_resolve: 5, reminder: 1h, flap_guard: {reopen_within: 15m, max_per_hour: 3}}
  on_call: [{name: "Primary", phone: "+31612345678"}, {name: "Backup", phone: "+14155552671"}]
  twilio: {account_sid: "${TWILIO_ACCOUNT_SID}", auth_token: "${TWILIO_AUTH_TOKEN}", from: "+3197010000000", messaging_service_sid: "", api_base_url: "http://127.0.0.1:9999", rate_per_second: 2.5, public_url: "https://status.example.com"}
  webhooks: [{url: "https://hooks.example.com/vigil", secret: "${WEBHOOK_SECRET}"}]
  templates:
    incident.opened: "DOWN {{.Title}}"
`
	cfg, err := Parse("issue.yml", []byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.Alerting
	if a.Policy.FailuresToOpen != 1 || a.Policy.SuccessesToResolve != 5 || a.Policy.Reminder.D() != time.Hour ||
		a.Policy.FlapGuard.ReopenWithin.D() != 15*time.Minute || a.Policy.FlapGuard.MaxPerHour != 3 {
		t.Errorf("policy = %+v", a.Policy)
	}
	if len(a.OnCall) != 2 || a.OnCall[1].Phone != "+14155552671" {
		t.Errorf("on_call = %+v", a.OnCall)
	}
	if !a.Twilio.Enabled() || a.Twilio.AuthToken != "0123456789abcdef0123456789abcdef" || a.Twilio.RatePerSecond != 2.5 || a.Twilio.APIBaseURL != "http://127.0.0.1:9999" {
		t.Errorf("twilio = %+v", a.Twilio)
	}
	if a.Webhooks[0].Secret != "a-long-webhook-secret" || a.Templates["incident.opened"] != "DOWN {{.Title}}" {
		t.Errorf("webhooks = %+v, templates = %v", a.Webhooks, a.Templates)
	}
}

func TestAlertingMessagingServiceIsASender(t *testing.T) {
	yml := `alerting:
  twilio:
    account_sid: AC0123456789abcdef0123456789abcdef
    auth_token: 0123456789abcdef0123456789abcdef
    messaging_service_sid: MG0123456789abcdef0123456789abcdef
`
	if _, err := Parse("mg.yml", []byte(yml)); err != nil {
		t.Fatal(err)
	}
}

// TestAlertingSecretsNeverInErrors breaks every secret and number taken
// from the environment and checks that no message shows them.
func TestAlertingSecretsNeverInErrors(t *testing.T) {
	const secret = "hunter2 s3cr3t"
	t.Setenv("VIGIL_TEST_SID", "AC-hunter2-s3cr3t")
	t.Setenv("VIGIL_TEST_TOKEN", secret)
	t.Setenv("VIGIL_TEST_HOOK_SECRET", "hunter2")
	t.Setenv("VIGIL_TEST_HOOK_URL", "https://hunter2:s3cr3t@exa mple.com/")
	t.Setenv("VIGIL_TEST_PHONE", "+31 hunter2")
	yml := `alerting:
  on_call:
    - {name: Primary, phone: "${VIGIL_TEST_PHONE}"}
  twilio:
    account_sid: ${VIGIL_TEST_SID}
    auth_token: ${VIGIL_TEST_TOKEN}
    from: "+3197010000000"
  webhooks:
    - url: ${VIGIL_TEST_HOOK_URL}
      secret: ${VIGIL_TEST_HOOK_SECRET}
`
	_, err := Parse("secret.yml", []byte(yml))
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), "hunter") || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("error leaks a secret:\n%v", err)
	}
	want := strings.Join([]string{
		`secret.yml:3: on_call phone "${VIGIL_TEST_PHONE}" is not an international phone number; write it in E.164 form: + and the country code, no spaces, such as +31612345678`,
		`secret.yml:5: twilio account_sid "${VIGIL_TEST_SID}" is not an account SID; copy it from the Twilio console: AC and 32 hex digits`,
		`secret.yml:6: twilio auth_token holds white space; remove it (a secret read from a file often ends in a line break)`,
		`secret.yml:9: webhook url cannot be parsed; write a full URL such as https://hooks.example.com/vigil`,
		`secret.yml:10: webhook secret is too short; use at least 16 characters: e.g. from openssl rand -hex 32`,
	}, "\n")
	if err.Error() != want {
		t.Errorf("error:\n got: %v\nwant: %s", err, want)
	}
}
