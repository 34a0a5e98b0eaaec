package configs

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

var _ = addInvalidCases([]invalidCase{
	{"invalid-status-page-subscribe-region-empty.yml", `invalid-status-page-subscribe-region-empty.yml:6: default_region is empty; write the ISO 3166 code of the country whose numbers subscribers may write without a country code, e.g. NL`},
	{"invalid-status-page-subscribe-region-unknown.yml", `invalid-status-page-subscribe-region-unknown.yml:8: default_region "nl" is not a country code phone numbers are known for; write "NL"`},
	{"invalid-status-page-subscribe-region-not-allowed.yml", `invalid-status-page-subscribe-region-not-allowed.yml:8: default_region "DE" is not in allowed_countries, so every number written without a country code would be refused; add DE to allowed_countries or choose one of NL, BE`},
	{"invalid-status-page-subscribe-countries-empty.yml", `invalid-status-page-subscribe-countries-empty.yml:6: allowed_countries is empty; list the ISO 3166 codes of the countries whose numbers may subscribe, e.g. [NL, BE]: verification SMS to other countries are refused, against SMS pumping`},
	{"invalid-status-page-subscribe-country-unknown.yml", `invalid-status-page-subscribe-country-unknown.yml:11: allowed_countries entry "EU" is not a country code phone numbers are known for; write an ISO 3166 alpha-2 code such as NL, DE or US`},
	{"invalid-status-page-subscribe-country-duplicate.yml", `invalid-status-page-subscribe-country-duplicate.yml:12: allowed_countries entry "NL" is already listed at line 10; list each country once`},
	{"invalid-status-page-subscribe-limit-zero.yml", `invalid-status-page-subscribe-limit-zero.yml:10: per_number_per_hour 0 is less than 1; write how many verification SMS one number may receive per hour, e.g. 3`},
}...)

// subscribeYAML is a status page with the SMS form enabled; extra is
// added below status_page.subscribe, indented.
func subscribeYAML(extra string) string {
	return `alerting:
  twilio: {account_sid: "AC0123456789abcdef0123456789abcdef", auth_token: "0123456789abcdef0123456789abcdef", from: "+3197010000000", public_url: "https://status.example.com"}
status_page:
  public_url: https://status.example.com
  subscribe:
    enabled: true
    default_region: NL
    allowed_countries: [NL, BE, DE]
` + extra
}

func TestSubscribeDefaults(t *testing.T) {
	cfg, err := Parse("subscribe.yml", []byte(subscribeYAML("")))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.StatusPage.Subscribe
	if !s.Enabled || s.DefaultRegion != "NL" || !slices.Equal(s.AllowedCountries, []string{"NL", "BE", "DE"}) {
		t.Errorf("subscribe = %+v", s)
	}
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"per_ip_per_hour", s.PerIP, DefaultSubscribePerIP},
		{"per_number_per_hour", s.PerNumber, DefaultSubscribePerNumber},
		{"per_prefix_per_hour", s.PerPrefix, DefaultSubscribePerPrefix},
		{"max_verifications_per_hour", s.MaxVerificationsPerHour, DefaultSubscribeMaxPerHour},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}

func TestSubscribeLimitsKept(t *testing.T) {
	cfg, err := Parse("subscribe.yml", []byte(subscribeYAML(
		"    per_ip_per_hour: 2\n    per_number_per_hour: 1\n    per_prefix_per_hour: 7\n    max_verifications_per_hour: 40\n")))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.StatusPage.Subscribe
	if s.PerIP != 2 || s.PerNumber != 1 || s.PerPrefix != 7 || s.MaxVerificationsPerHour != 40 {
		t.Errorf("limits = %+v", s)
	}
}

// TestSubscribeDisabled: without the form nothing is required, and the
// status page's default config stays valid.
func TestSubscribeDisabled(t *testing.T) {
	cfg, err := Parse("plain.yml", []byte("status_page:\n  title: Example\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.StatusPage.Subscribe; s.Enabled || s.PerIP != DefaultSubscribePerIP {
		t.Errorf("subscribe = %+v", s)
	}
}

// TestSubscribeLimitMessages covers every limit key of the one rule the
// limit-zero testdata file stands for.
func TestSubscribeLimitMessages(t *testing.T) {
	for _, c := range []struct{ key, want string }{
		{"per_ip_per_hour", "l.yml:9: per_ip_per_hour 0 is less than 1; write how many verification SMS one client address may ask for per hour, e.g. 5"},
		{"per_number_per_hour", "l.yml:9: per_number_per_hour 0 is less than 1; write how many verification SMS one number may receive per hour, e.g. 3"},
		{"per_prefix_per_hour", "l.yml:9: per_prefix_per_hour 0 is less than 1; write how many verification SMS the numbers sharing all but their last 3 digits may receive per hour, e.g. 20"},
		{"max_verifications_per_hour", "l.yml:9: max_verifications_per_hour -1 is less than 1; write how many verification SMS the page may send in all per hour, e.g. 100"},
	} {
		value := "0"
		if c.key == "max_verifications_per_hour" {
			value = "-1"
		}
		_, err := Parse("l.yml", []byte(subscribeYAML(fmt.Sprintf("    %s: %s\n", c.key, value))))
		var ps Problems
		if !errors.As(err, &ps) || err.Error() != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.key, err, c.want)
		}
	}
}

// TestSubscribeRegionFromEnv: a value from the environment is quoted as
// the ${...} the file holds.
func TestSubscribeRegionFromEnv(t *testing.T) {
	t.Setenv("VIGIL_TEST_REGION", "Netherlands")
	yml := `status_page:
  subscribe:
    default_region: ${VIGIL_TEST_REGION}
`
	_, err := Parse("env.yml", []byte(yml))
	want := `env.yml:3: default_region "${VIGIL_TEST_REGION}" is not a country code phone numbers are known for; write an ISO 3166 alpha-2 code such as NL, DE or US`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
