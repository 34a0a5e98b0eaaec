package configs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// parseTestdata parses testdata/name under its base name, as messages show it.
func parseTestdata(t *testing.T, name string) (*Config, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return Parse(name, data)
}

// invalidCase is one testdata/invalid-*.yml file and the exact error it
// must give.
type invalidCase struct{ file, want string }

// invalidCases is the table TestInvalidFiles runs. Each test file adds
// the rules of its part of the schema with addInvalidCases.
var invalidCases []invalidCase

func addInvalidCases(cs ...invalidCase) bool {
	invalidCases = append(invalidCases, cs...)
	return true
}

var _ = addInvalidCases([]invalidCase{
	// Decoding: syntax, keys, types, units, environment.
	{"invalid-syntax.yml", `invalid-syntax.yml:4: invalid YAML: mapping values are not allowed in this context; check the indentation and quoting on this line or the one before`},
	{"invalid-syntax-tab.yml", `invalid-syntax-tab.yml:2: invalid YAML: found character that cannot start any token; YAML indents with spaces: replace the tabs on this line`},
	{"invalid-second-document.yml", `invalid-second-document.yml:2: a second YAML document starts here; a config file holds one document: remove the --- and what follows, or merge it`},
	{"invalid-unknown-key.yml", `invalid-unknown-key.yml:7: unknown key "urll" in http; valid keys are: url, method, headers, body, form, follow_redirects, max_body_bytes, tls, expect`},
	{"invalid-duplicate-key.yml", `invalid-duplicate-key.yml:5: key "location" is already defined at line 2; keep only one of them`},
	{"invalid-wrong-type.yml", `invalid-wrong-type.yml:8: wrong type for "min_days_left": expected a whole number, found a string`},
	{"invalid-wrong-type-list.yml", `invalid-wrong-type-list.yml:2: wrong type for "components": expected a list, found a mapping; write each entry on its own line starting with "- ", or [a, b]`},
	{"invalid-duration.yml", `invalid-duration.yml:2: invalid duration "5 minutes": write a number with a unit, e.g. 30s, 5m, 2h or 400d`},
	{"invalid-size.yml", `invalid-size.yml:8: invalid size "10MB": write bytes or a unit, e.g. 65536, 512KiB or 10MiB`},
	{"invalid-env-unset.yml", `invalid-env-unset.yml:10: environment variable VIGIL_TEST_UNSET is not set; export it or write ${VIGIL_TEST_UNSET:-default}`},
	{"invalid-env-name.yml", `invalid-env-name.yml:7: invalid environment variable name "API-VERSION" in ${API-VERSION}: use letters, digits and _, e.g. ${API_TOKEN} or ${API_TOKEN:-changeme}`},
	{"invalid-env-unterminated.yml", `invalid-env-unterminated.yml:9: unterminated ${: close it with } or write $$ for a literal dollar`},

	// Server, log, defaults, demo.
	{"invalid-server-listen.yml", `invalid-server-listen.yml:2: listen address "localhost" is not host:port; write host:port, e.g. 127.0.0.1:8080 or :8080`},
	{"invalid-demo-listen.yml", `invalid-demo-listen.yml:3: listen address "9000" is not host:port; write host:port, e.g. 127.0.0.1:9000`},
	{"invalid-retention.yml", `invalid-retention.yml:2: retention 12h is too short: keep results at least 1d (the default 400d covers yearly reports)`},
	{"invalid-log-format.yml", `invalid-log-format.yml:2: log format "logfmt" is not supported; use text or json`},
	{"invalid-log-level.yml", `invalid-log-level.yml:2: log level "verbose" is not supported; use one of debug, info, warn, error`},
	{"invalid-defaults-timeout-over-interval.yml", `invalid-defaults-timeout-over-interval.yml:3: timeout 10s is longer than the interval 5s; a probe must finish before its next run: lower the timeout or raise the interval`},

	// Components.
	{"invalid-component-id-empty.yml", `invalid-component-id-empty.yml:2: component id is empty; give every component a short unique id such as "api"`},
	{"invalid-component-id-duplicate.yml", `invalid-component-id-duplicate.yml:4: component id "web" is already used at line 2; ids must be unique`},
	{"invalid-component-id-charset.yml", `invalid-component-id-charset.yml:2: component id "Web Shop" may only hold a-z, 0-9, _ and -, starting with a letter or digit; write "web-shop"`},

	// Checks.
	{"invalid-check-name-empty.yml", `invalid-check-name-empty.yml:4: check name is empty; give every check a short unique name such as "home-page"`},
	{"invalid-check-name-charset.yml", `invalid-check-name-charset.yml:4: check name "Home Page!" may only hold a-z, 0-9, _ and -, starting with a letter or digit; write "home-page"`},
	{"invalid-check-name-duplicate.yml", `invalid-check-name-duplicate.yml:8: check name "home" is already used at line 4; names must be unique`},
	{"invalid-check-component-empty.yml", `invalid-check-component-empty.yml:5: check has no component; set component to one of: api, web`},
	{"invalid-check-component-unknown.yml", `invalid-check-component-unknown.yml:6: component "website" is not defined under components; use one of: api, web`},
	{"invalid-probe-none.yml", `invalid-probe-none.yml:4: check has no probe; add one of http, tcp, dns, tls, screen, browser or heartbeat`},
	{"invalid-probe-several.yml", `invalid-probe-several.yml:8: check has 2 probes (http, tcp); a check runs exactly one: split it into one check per probe`},
	{"invalid-interval-short.yml", `invalid-interval-short.yml:6: interval 500ms is too short; probe at most once a second: write 1s or more`},
	{"invalid-timeout-zero.yml", `invalid-timeout-zero.yml:6: timeout must be longer than 0; write e.g. 10s`},
	{"invalid-timeout-over-interval.yml", `invalid-timeout-over-interval.yml:7: timeout 45s is longer than the interval 30s; a probe must finish before its next run: lower the timeout or raise the interval`},

	// http.
	{"invalid-http-url-empty.yml", `invalid-http-url-empty.yml:6: http url is empty; write a full URL such as https://app.example.com/health`},
	{"invalid-http-url-parse.yml", `invalid-http-url-parse.yml:7: http url cannot be parsed (invalid character " " in host name); write a full URL such as https://app.example.com/health`},
	{"invalid-http-url-scheme.yml", `invalid-http-url-scheme.yml:7: http url scheme "ftp" is not supported; use http:// or https://`},
	{"invalid-http-method.yml", `invalid-http-method.yml:8: http method "FETCH" is not supported; use one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS`},
	{"invalid-http-method-case.yml", `invalid-http-method-case.yml:8: http method "post" is not supported; write "POST"`},
	{"invalid-http-body-and-form.yml", `invalid-http-body-and-form.yml:10: http has both body and form; keep one: form sends fields as application/x-www-form-urlencoded, body sends its text as is`},
	{"invalid-http-status.yml", `invalid-http-status.yml:11: status 2000 is not an HTTP status code; use codes from 100 to 599, e.g. [200, 204]`},
	{"invalid-http-body-regex.yml", "invalid-http-body-regex.yml:9: body_regex does not compile: error parsing regexp: missing closing ): `Welcome (back`; write a Go (RE2) regular expression, and escape special characters such as . ( [ with \\"},
	{"invalid-http-json-path.yml", `invalid-http-json-path.yml:11: json key "status" is not a JSON path: a JSON path starts with "$", e.g. $.status or $.items[0].name`},
	{"invalid-ca-file.yml", `invalid-ca-file.yml:9: ca_file cannot be read: open does-not-exist.pem: no such file or directory; give the path of a PEM file vigil can read (relative paths start at the config file's directory)`},
	{"invalid-ca-file-not-pem.yml", `invalid-ca-file-not-pem.yml:8: ca_file "testdata/invalid-ca-file-not-pem.yml" holds no PEM certificate; give a file with -----BEGIN CERTIFICATE----- blocks`},

	// tcp, dns, tls.
	{"invalid-tcp-address.yml", `invalid-tcp-address.yml:7: tcp address "db.example.com" is not host:port; write host:port, e.g. db.example.com:5432`},
	{"invalid-tcp-port.yml", `invalid-tcp-port.yml:7: tcp address "db.example.com:70000" has no valid port (1 to 65535); write host:port, e.g. db.example.com:5432`},
	{"invalid-dns-name.yml", `invalid-dns-name.yml:6: dns name is empty; write the name to resolve, e.g. example.com`},
	{"invalid-dns-type.yml", `invalid-dns-type.yml:8: dns type "AXFR" is not supported; use one of A, AAAA, CNAME, MX, TXT, NS, SOA, SRV, PTR`},
	{"invalid-dns-server.yml", `invalid-dns-server.yml:8: dns server "1.1.1.1" is not host:port; write host:port, e.g. 1.1.1.1:53, or leave server out to use the system resolver`},
	{"invalid-dns-protocol.yml", `invalid-dns-protocol.yml:8: dns protocol "doh" is not supported; use udp or tcp`},
	{"invalid-tls-address.yml", `invalid-tls-address.yml:7: tls address "https://example.com" is a URL, not host:port; write host:port, e.g. example.com:443`},
	{"invalid-tls-min-days-left.yml", `invalid-tls-min-days-left.yml:8: min_days_left -1 is negative; write 0 to accept any valid certificate, or e.g. 14 to be warned two weeks ahead`},

	// SLAs: customer, time zone, scope, target.
	{"invalid-percent.yml", `invalid-percent.yml:19: invalid percentage "99,9%": write e.g. 99.9%`},
	{"invalid-sla-component-duplicate.yml", `invalid-sla-component-duplicate.yml:20: component "web" is already listed; list each component once`},
	{"invalid-sla-component-no-check.yml", `invalid-sla-component-no-check.yml:19: component "infra" has no check, so its availability cannot be measured; add a check with component: infra, or remove it from this SLA`},
	{"invalid-sla-component-unknown.yml", `invalid-sla-component-unknown.yml:18: component "shop" is not defined under components; use one of: api, web`},
	{"invalid-sla-components-empty.yml", `invalid-sla-components-empty.yml:18: sla has no components; list the ones it covers, from: api, web`},
	{"invalid-sla-customer-charset.yml", `invalid-sla-customer-charset.yml:16: customer "Acme Corp" may only hold a-z, 0-9, _ and -, starting with a letter or digit; write "acme-corp"`},
	{"invalid-sla-customer-duplicate.yml", `invalid-sla-customer-duplicate.yml:20: customer "acme" already has an SLA at line 16; keep one SLA per customer`},
	{"invalid-sla-customer-empty.yml", `invalid-sla-customer-empty.yml:16: sla has no customer; give every SLA the short unique id of its customer, such as "acme"`},
	{"invalid-sla-target-missing.yml", `invalid-sla-target-missing.yml:16: sla has no availability_target; write the availability promised, e.g. 99.9%`},
	{"invalid-sla-target-zero.yml", `invalid-sla-target-zero.yml:19: availability_target 0% promises nothing; write the availability promised, e.g. 99.9%`},
	{"invalid-sla-timezone-empty.yml", `invalid-sla-timezone-empty.yml:17: timezone is empty; write an IANA zone such as Europe/Amsterdam`},
	{"invalid-sla-timezone-local.yml", `invalid-sla-timezone-local.yml:17: timezone "Local" depends on the machine vigil runs on; write an IANA zone such as Europe/Amsterdam`},
	{"invalid-sla-timezone-unknown.yml", `invalid-sla-timezone-unknown.yml:17: timezone "Europe/Amsterdm" is not a known time zone; write an IANA zone such as Europe/Amsterdam`},

	// SLAs: maintenance terms.
	{"invalid-sla-allowed-hours-format.yml", `invalid-sla-allowed-hours-format.yml:22: allowed_hours weekdays: "21-7" is not a clock span; write "HH:MM-HH:MM" such as "21:00-07:00" (a span may wrap midnight), all or none`},
	{"invalid-sla-allowed-hours-missing.yml", `invalid-sla-allowed-hours-missing.yml:21: allowed_hours weekends: no hours given; write "HH:MM-HH:MM" such as "21:00-07:00" (a span may wrap midnight), all or none`},
	{"invalid-sla-allowed-hours-range.yml", `invalid-sla-allowed-hours-range.yml:22: allowed_hours weekdays: "21:00-24:30" is not a clock span: hours run 00 to 24 and minutes 00 to 59; write "HH:MM-HH:MM" such as "21:00-07:00" (a span may wrap midnight), all or none`},
	{"invalid-sla-allowed-hours-same.yml", `invalid-sla-allowed-hours-same.yml:22: allowed_hours weekdays: "07:00-07:00" starts where it ends; write all for the whole day, or none for no time at all`},
	{"invalid-sla-allowed-hours-start-24.yml", `invalid-sla-allowed-hours-start-24.yml:23: allowed_hours weekends: "24:00-06:00" starts at 24:00; start at 00:00 instead`},
	{"invalid-sla-budget-minutes.yml", `invalid-sla-budget-minutes.yml:21: monthly_budget 1m30s is not a whole number of minutes; the budget is spent a minute at a time: write e.g. 4h or 90m`},
	{"invalid-sla-budget-negative.yml", `invalid-sla-budget-negative.yml:21: duration "-4h" is negative; write a positive duration such as 30s`},
	{"invalid-sla-budget-zero.yml", `invalid-sla-budget-zero.yml:21: monthly_budget 0s cannot be told from no budget; leave it out for no limit, write the time planned maintenance may exclude per month (e.g. 4h), or set allowed_hours to none to exclude no maintenance at all`},
	{"invalid-sla-notice-negative.yml", `invalid-sla-notice-negative.yml:21: duration "-120h" is negative; write a positive duration such as 30s`},

	// SLAs: latency objectives.
	{"invalid-sla-latency-check-empty.yml", `invalid-sla-latency-check-empty.yml:21: latency objective has no check; name the check of a key screen, one of: home`},
	{"invalid-sla-latency-check-scope.yml", `invalid-sla-latency-check-scope.yml:21: check "login" watches component "api", which this SLA does not cover; add api to the SLA's components, or use one of its checks: home`},
	{"invalid-sla-latency-check-unknown.yml", `invalid-sla-latency-check-unknown.yml:21: check "homepage" is not defined under checks; use one of: home`},
	{"invalid-sla-latency-exclude-no-windows.yml", `invalid-sla-latency-exclude-no-windows.yml:22: window "backup" is not defined; add it under windows, e.g. backup: {daily: "00:00-02:00", timezone: Europe/Amsterdam}`},
	{"invalid-sla-latency-exclude-unknown.yml", `invalid-sla-latency-exclude-unknown.yml:24: window "nightly-backup" is not defined under windows; use one of: backup`},
	{"invalid-sla-latency-target-missing.yml", `invalid-sla-latency-target-missing.yml:21: latency objective has no target; write the share of probes that must be fast enough, e.g. 95%`},
	{"invalid-sla-latency-target-zero.yml", `invalid-sla-latency-target-zero.yml:23: target 0% promises nothing; write the share of probes that must be fast enough, e.g. 95%`},
	{"invalid-sla-latency-threshold-ms.yml", `invalid-sla-latency-threshold-ms.yml:22: threshold 1.5ms is not a whole number of milliseconds, the unit probes are timed in; write e.g. 2s or 1500ms`},
	{"invalid-sla-latency-threshold-zero.yml", `invalid-sla-latency-threshold-zero.yml:22: threshold must be longer than 0; write the time a screen may take, e.g. 2s`},

	// SLAs: credit tiers.
	{"invalid-sla-credit-below-duplicate.yml", `invalid-sla-credit-below-duplicate.yml:23: below 99% is already used at line 22; give each tier its own below`},
	{"invalid-sla-credit-below-missing.yml", `invalid-sla-credit-below-missing.yml:21: credit tier has no below; write the availability under which the credit is owed, e.g. below: 99.9%`},
	{"invalid-sla-credit-below-over-target.yml", `invalid-sla-credit-below-over-target.yml:21: below 99.95% is above the availability_target 99.9%, so a month that meets the target would still earn a credit; write at most 99.9%`},
	{"invalid-sla-credit-below-zero.yml", `invalid-sla-credit-below-zero.yml:21: below 0% never applies, as availability cannot fall under 0%; write e.g. below: 95%`},
	{"invalid-sla-credit-fraction.yml", `invalid-sla-credit-fraction.yml:21: credit 12.5% is not a whole percentage; credits are whole percentages of the monthly fee, e.g. 10%`},
	{"invalid-sla-credit-missing.yml", `invalid-sla-credit-missing.yml:21: credit tier has no credit; write the share of the monthly fee credited, e.g. credit: 10%`},
	{"invalid-sla-credit-order.yml", `invalid-sla-credit-order.yml:22: credit 10% for below 99% is less than the 25% for below 99.9% at line 21; a lower availability must not earn a smaller credit`},
	{"invalid-sla-credit-zero.yml", `invalid-sla-credit-zero.yml:21: credit 0% credits nothing; remove the tier or write e.g. credit: 10%`},

	// Windows and API tokens.
	{"invalid-sla-latency-exclude-no-windows.yml", `invalid-sla-latency-exclude-no-windows.yml:22: window "backup" is not defined; add it under windows, e.g. backup: {daily: "00:00-02:00", timezone: Europe/Amsterdam}`},
	{"invalid-token-same.yml", `invalid-token-same.yml:3: report_token is the same as admin_token; give each API its own token, so that whoever fetches reports cannot change maintenance`},
	{"invalid-token-short.yml", `invalid-token-short.yml:2: admin_token is too short; use at least 16 random characters, e.g. from openssl rand -hex 32, or leave it empty to turn the admin API off`},
	{"invalid-token-space.yml", `invalid-token-space.yml:2: report_token holds white space; remove it (a token read from a file often ends in a line break)`},
	{"invalid-window-daily-all.yml", `invalid-window-daily-all.yml:14: window daily "all" is not a span of the day; write "HH:MM-HH:MM" such as "00:00-02:00" (hours 00 to 24, minutes 00 to 59, 24:00 only as an end; it may wrap midnight)`},
	{"invalid-window-daily-same.yml", `invalid-window-daily-same.yml:14: window daily "02:00-02:00" starts where it ends; write the span the window covers, such as "00:00-02:00"`},
	{"invalid-window-daily.yml", `invalid-window-daily.yml:14: window daily "0:00-2:00" is not a span of the day; write "HH:MM-HH:MM" such as "00:00-02:00" (hours 00 to 24, minutes 00 to 59, 24:00 only as an end; it may wrap midnight)`},
	{"invalid-window-name-charset.yml", `invalid-window-name-charset.yml:14: window name "Backup Window" may only hold a-z, 0-9, _ and -, starting with a letter or digit; write "backup-window"`},
	{"invalid-window-timezone.yml", `invalid-window-timezone.yml:14: timezone "CEST" is not a known time zone; write an IANA zone such as Europe/Amsterdam`},

	// Alerting: policy, on-call phones, Twilio, webhooks, templates.
	{"invalid-alerting-failures-zero.yml", `invalid-alerting-failures-zero.yml:4: failures_to_open 0 is less than 1; write how many failing verdicts in a row open an incident, e.g. 3`},
	{"invalid-alerting-max-per-hour-zero.yml", `invalid-alerting-max-per-hour-zero.yml:4: max_per_hour 0 is less than 1; write how many automatic messages one incident may send per hour, e.g. 6`},
	{"invalid-alerting-on-call-name.yml", `invalid-alerting-on-call-name.yml:4: on_call entry has no name; write who is paged, e.g. name: "Primary"`},
	{"invalid-alerting-phone-duplicate.yml", `invalid-alerting-phone-duplicate.yml:6: on_call phone "+31612345678" is already listed at line 4; list each number once`},
	{"invalid-alerting-phone-empty.yml", `invalid-alerting-phone-empty.yml:5: on_call phone is empty; write it in E.164 form: + and the country code, no spaces, such as +31612345678`},
	{"invalid-alerting-phone-env.yml", `invalid-alerting-phone-env.yml:5: on_call phone "${VIGIL_TEST_PHONE:-+31 6 1234 5678}" is not in E.164 form; write it in E.164 form: + and the country code, no spaces, such as +31612345678`},
	{"invalid-alerting-phone-format.yml", `invalid-alerting-phone-format.yml:5: on_call phone "+31 6 1234 5678" is not in E.164 form; write "+31612345678"`},
	{"invalid-alerting-phone-invalid.yml", `invalid-alerting-phone-invalid.yml:5: on_call phone "+3161234" is not a valid phone number; check the digits and write it in E.164 form: + and the country code, no spaces, such as +31612345678`},
	{"invalid-alerting-phone-national.yml", `invalid-alerting-phone-national.yml:5: on_call phone "0612345678" is not an international phone number; write it in E.164 form: + and the country code, no spaces, such as +31612345678`},
	{"invalid-alerting-reminder-short.yml", `invalid-alerting-reminder-short.yml:5: reminder 30s is too short; remind the on-call engineers at most once a minute: write e.g. 30m`},
	{"invalid-alerting-reopen-within-short.yml", `invalid-alerting-reopen-within-short.yml:5: reopen_within 30s is too short to calm a flapping check; write 1m or more, e.g. 10m`},
	{"invalid-alerting-successes-zero.yml", `invalid-alerting-successes-zero.yml:4: successes_to_resolve 0 is less than 1; write how many passing verdicts in a row resolve an incident, e.g. 2`},
	{"invalid-alerting-template-empty.yml", `invalid-alerting-template-empty.yml:4: template for incident.opened is empty; leave the key out to keep the built-in text`},
	{"invalid-alerting-template-parse.yml", `invalid-alerting-template-parse.yml:4: template for incident.opened does not parse: incident.opened:1: unclosed action; write Go template syntax such as {{.Title}}`},
	{"invalid-alerting-template-unknown.yml", `invalid-alerting-template-unknown.yml:4: template for unknown event "incident.open"; use one of: incident.opened, incident.updated, incident.resolved, incident.reminder, maintenance.scheduled, maintenance.started, maintenance.completed`},
	{"invalid-alerting-twilio-base-url.yml", `invalid-alerting-twilio-base-url.yml:9: twilio api_base_url must start with http:// or https://; write a full URL such as https://api.twilio.com`},
	{"invalid-alerting-twilio-from.yml", `invalid-alerting-twilio-from.yml:8: twilio from "+1555" is not a valid phone number; check the digits and write it in E.164 form: + and the country code, no spaces, such as +31612345678`},
	{"invalid-alerting-twilio-messaging-service.yml", `invalid-alerting-twilio-messaging-service.yml:8: twilio messaging_service_sid "MG123" is not a Messaging Service SID; copy it from the Twilio console: MG and 32 hex digits`},
	{"invalid-alerting-twilio-no-sender.yml", `invalid-alerting-twilio-no-sender.yml:5: twilio has no sender; set from to your Twilio number in E.164 form such as +3197010000000, or messaging_service_sid to a Messaging Service (MG and 32 hex digits)`},
	{"invalid-alerting-twilio-public-url.yml", `invalid-alerting-twilio-public-url.yml:9: twilio public_url must start with http:// or https://; write a full URL such as https://status.example.com`},
	{"invalid-alerting-twilio-rate-zero.yml", `invalid-alerting-twilio-rate-zero.yml:9: rate_per_second 0 is not more than 0; write how many SMS per second Twilio accepts, e.g. 1 for a long code`},
	{"invalid-alerting-twilio-sid.yml", `invalid-alerting-twilio-sid.yml:6: twilio account_sid "AC123" is not an account SID; copy it from the Twilio console: AC and 32 hex digits`},
	{"invalid-alerting-twilio-token-empty.yml", `invalid-alerting-twilio-token-empty.yml:7: twilio auth_token is empty; write it as ${TWILIO_AUTH_TOKEN} and export the variable`},
	{"invalid-alerting-twilio-token-short.yml", `invalid-alerting-twilio-token-short.yml:7: twilio auth_token is too short; use at least 16 characters: copy the auth token from the Twilio console`},
	{"invalid-alerting-twilio-token-without-sid.yml", `invalid-alerting-twilio-token-without-sid.yml:5: twilio has an auth_token but no account_sid; write account_sid: ${TWILIO_ACCOUNT_SID} (AC and 32 hex digits), or remove auth_token to print SMS to the log instead`},
	{"invalid-alerting-unknown-key.yml", `invalid-alerting-unknown-key.yml:5: unknown key "cooldown" in flap_guard; valid keys are: reopen_within, max_per_hour`},
	{"invalid-alerting-webhook-secret-short.yml", `invalid-alerting-webhook-secret-short.yml:5: webhook secret is too short; use at least 16 characters: e.g. from openssl rand -hex 32`},
	{"invalid-alerting-webhook-secret.yml", `invalid-alerting-webhook-secret.yml:5: webhook secret is empty; write it as ${WEBHOOK_SECRET} and export the variable`},
	{"invalid-alerting-webhook-url-scheme.yml", `invalid-alerting-webhook-url-scheme.yml:4: webhook url must start with http:// or https://; write a full URL such as https://hooks.example.com/vigil`},
	{"invalid-alerting-webhook-url.yml", `invalid-alerting-webhook-url.yml:4: webhook url is empty; write a full URL such as https://hooks.example.com/vigil`},
}...)

// TestInvalidFiles runs every file of invalidCases and checks that no
// invalid-*.yml file is left without an entry.
func TestInvalidFiles(t *testing.T) {
	seen := map[string]bool{}
	for _, tt := range invalidCases {
		seen[tt.file] = true
		t.Run(tt.file, func(t *testing.T) {
			cfg, err := parseTestdata(t, tt.file)
			if err == nil {
				t.Fatalf("no error; config: %+v", cfg)
			}
			if cfg != nil {
				t.Errorf("got a config along with the error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error:\n got: %s\nwant: %s", got, tt.want)
			}
			var ps Problems
			if !errors.As(err, &ps) || len(ps) != 1 {
				t.Errorf("want one Problem, got %#v", err)
			}
		})
	}
	// Every invalid-*.yml file must be in the table (invalid-many has a
	// test of its own).
	files, err := filepath.Glob("testdata/invalid-*.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		if !seen[name] && name != "invalid-many.yml" {
			t.Errorf("%s has no entry in the table", name)
		}
	}
}

func TestAllProblemsReported(t *testing.T) {
	_, err := parseTestdata(t, "invalid-many.yml")
	want := strings.Join([]string{
		`invalid-many.yml:3: listen address "localhost" is not host:port; write host:port, e.g. 127.0.0.1:8080 or :8080`,
		`invalid-many.yml:4: retention 2h is too short: keep results at least 1d (the default 400d covers yearly reports)`,
		`invalid-many.yml:6: log level "loud" is not supported; use one of debug, info, warn, error`,
		`invalid-many.yml:9: component id "web" is already used at line 8; ids must be unique`,
		`invalid-many.yml:12: component "shop" is not defined under components; use one of: web`,
		`invalid-many.yml:14: timeout 20s is longer than the interval 10s; a probe must finish before its next run: lower the timeout or raise the interval`,
		`invalid-many.yml:17: unknown key "methd" in http; valid keys are: url, method, headers, body, form, follow_redirects, max_body_bytes, tls, expect`,
		`invalid-many.yml:19: status 999 is not an HTTP status code; use codes from 100 to 599, e.g. [200, 204]`,
		`invalid-many.yml:20: check name "home" is already used at line 11; names must be unique`,
		`invalid-many.yml:20: check has no probe; add one of http, tcp, dns, tls, screen, browser or heartbeat`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got: %v\nwant: %s", err, want)
	}
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 10 {
		t.Fatalf("want 10 problems, got %#v", err)
	}
	if ps[0].File != "invalid-many.yml" || ps[0].Line != 3 {
		t.Errorf("first problem = %+v", ps[0])
	}
}

func TestDefaultValidates(t *testing.T) {
	cfg, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	if !cfg.Demo.Enabled || cfg.Demo.Listen != "127.0.0.1:9000" {
		t.Errorf("demo = %+v, want enabled on 127.0.0.1:9000", cfg.Demo)
	}
	want := []string{"profit-home", "profit-health", "profit-login", "employee-properties",
		"sales-relation-properties", "purchase-relation-properties", "profit-port"}
	if len(cfg.Checks) != len(want) {
		t.Fatalf("%d checks, want %d", len(cfg.Checks), len(want))
	}
	for i, name := range want {
		if cfg.Checks[i].Name != name {
			t.Errorf("check %d = %q, want %q", i, cfg.Checks[i].Name, name)
		}
		if k := cfg.Checks[i].Kind(); k == "" {
			t.Errorf("check %q has no probe", name)
		}
	}
	emp := cfg.Checks[3].Screen
	if emp == nil || len(emp.Steps) != 2 || emp.Measure[0] != "open" {
		t.Fatalf("employee screen = %+v, want login and open, measuring open", emp)
	}
	open := emp.Steps[1].HTTP
	if got := open.Headers["Authorization"]; got != "Bearer {{.token}}" {
		t.Errorf("Authorization = %q, want the token the login extracts", got)
	}
	if open.Expect.BodyContains != "Eigenschappen Medewerker" || open.Expect.MaxDuration.D() != 5*time.Second {
		t.Errorf("employee screen expect = %+v", open.Expect)
	}
	if o := cfg.Checks[3].Objective; o == nil || o.Threshold.D() != 2*time.Second || o.Target != 950_000 {
		t.Errorf("employee screen objective = %+v, want 2s at 95%%", o)
	}
	if !strings.Contains(string(DefaultYAML()), "profit-home") {
		t.Errorf("DefaultYAML does not hold the default config")
	}
}

func TestExampleValidates(t *testing.T) {
	cfg, err := Load("example.yaml")
	if err != nil {
		t.Fatalf("example.yaml: %v", err)
	}
	kinds := map[string]bool{}
	for _, c := range cfg.Checks {
		kinds[c.Kind()] = true
	}
	for _, k := range []string{"http", "tcp", "dns", "tls", "screen"} {
		if !kinds[k] {
			t.Errorf("example.yaml shows no %s check", k)
		}
	}
	if got := cfg.Checks[0].HTTP.Headers["Authorization"]; got != "Bearer changeme" {
		t.Errorf("Authorization = %q, want the ${API_TOKEN:-changeme} default", got)
	}
}

func TestDefaultsApplied(t *testing.T) {
	yml := `
demo:
  enabled: true
components:
  - id: web
checks:
  - name: home
    component: web
    http:
      url: https://example.com/
  - name: fast
    component: web
    interval: 5s
    tcp:
      address: example.com:443
  - name: own-timeout
    component: web
    timeout: 3s
    dns:
      name: example.com
`
	cfg, err := Parse("defaults.yml", []byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"server.listen", cfg.Server.Listen, "127.0.0.1:8080"},
		{"server.data_dir", cfg.Server.DataDir, "./data"},
		{"server.retention", cfg.Server.Retention.D(), 400 * day},
		{"location", cfg.Location, "local"},
		{"log.format", cfg.Log.Format, "text"},
		{"log.level", cfg.Log.Level, "info"},
		{"defaults.interval", cfg.Defaults.Interval.D(), 60 * time.Second},
		{"defaults.timeout", cfg.Defaults.Timeout.D(), 10 * time.Second},
		{"demo.listen", cfg.Demo.Listen, "127.0.0.1:9000"},
		{"component name", cfg.Components[0].Name, "web"},
		{"home interval", cfg.Checks[0].Interval.D(), 60 * time.Second},
		{"home timeout", cfg.Checks[0].Timeout.D(), 10 * time.Second},
		{"home method", cfg.Checks[0].HTTP.Method, "GET"},
		{"home follow_redirects", *cfg.Checks[0].HTTP.FollowRedirects, true},
		{"home max_body_bytes", cfg.Checks[0].HTTP.MaxBodyBytes, ByteSize(10 << 20)},
		{"fast timeout clipped to interval", cfg.Checks[1].Timeout.D(), 5 * time.Second},
		{"own timeout kept", cfg.Checks[2].Timeout.D(), 3 * time.Second},
		{"dns type", cfg.Checks[2].DNS.Type, "A"},
		{"dns protocol", cfg.Checks[2].DNS.Protocol, "udp"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestDemoListenOnlyWhenEnabled(t *testing.T) {
	cfg, err := Parse("x.yml", []byte("demo:\n  enabled: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Demo.Listen != "" {
		t.Errorf("demo.listen = %q for a disabled demo, want empty", cfg.Demo.Listen)
	}
}

func TestEmptyFileIsEmptyConfig(t *testing.T) {
	cfg, err := Parse("empty.yml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Listen != DefaultListen || len(cfg.Checks) != 0 {
		t.Errorf("empty config = %+v", cfg)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "read config: ") {
		t.Errorf("err = %v, want a wrapped not-exist error", err)
	}
}

func TestLoadResolvesCAFileFromConfigDir(t *testing.T) {
	dir := t.TempDir()
	writeTestCA(t, filepath.Join(dir, "ca.pem"))
	yml := "components:\n  - id: web\nchecks:\n  - name: cert\n    component: web\n    tls:\n      address: example.com:443\n      ca_file: ca.pem\n"
	path := filepath.Join(dir, "vigil.yaml")
	if err := os.WriteFile(path, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Checks[0].TLS.Client.CAFile, filepath.Join(dir, "ca.pem"); got != want {
		t.Errorf("ca_file = %q, want %q", got, want)
	}
}

func TestSecretsNeverInErrors(t *testing.T) {
	const secret = "hunter2-s3cr3t"
	t.Setenv("VIGIL_TEST_URL", "https://user:"+secret+"@exa mple.com/")
	t.Setenv("VIGIL_TEST_INTERVAL", secret)
	t.Setenv("VIGIL_TEST_DAYS", secret)
	t.Setenv("VIGIL_TEST_METHOD", secret)
	yml := `components:
  - id: web
checks:
  - name: home
    component: web
    interval: ${VIGIL_TEST_INTERVAL}
    http:
      url: ${VIGIL_TEST_URL}
      method: ${VIGIL_TEST_METHOD}
  - name: cert
    component: web
    tls:
      address: example.com:443
      min_days_left: ${VIGIL_TEST_DAYS}
`
	_, err := Parse("secret.yml", []byte(yml))
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "hunter") {
		t.Errorf("error leaks the secret:\n%v", err)
	}
	want := strings.Join([]string{
		`secret.yml:6: invalid duration "${VIGIL_TEST_INTERVAL}": write a number with a unit, e.g. 30s, 5m, 2h or 400d`,
		`secret.yml:8: http url cannot be parsed (it does not parse); write a full URL such as https://app.example.com/health`,
		`secret.yml:9: http method "${VIGIL_TEST_METHOD}" is not supported; use one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS`,
		`secret.yml:14: wrong type for "min_days_left": expected a whole number, found a string`,
	}, "\n")
	if err.Error() != want {
		t.Errorf("error:\n got: %v\nwant: %s", err, want)
	}
}
