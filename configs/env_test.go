package configs

import (
	"testing"
)

func TestExpandEnv(t *testing.T) {
	env := map[string]string{"HOST": "db.example.com", "EMPTY": "", "TOKEN": "s3cr3t"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		in, want string
		issue    string
	}{
		{in: "plain", want: "plain"},
		{in: "${HOST}:5432", want: "db.example.com:5432"},
		{in: "Bearer ${TOKEN}", want: "Bearer s3cr3t"},
		{in: "${MISSING:-fallback}", want: "fallback"},
		{in: "${MISSING:-}", want: ""},
		{in: "${EMPTY:-fallback}", want: "fallback"}, // as in the shell
		{in: "[${EMPTY}]", want: "[]"},               // set but empty, no default: empty
		{in: "${HOST:-other}", want: "db.example.com"},
		{in: "${MISSING:-a b:c}", want: "a b:c"},
		{in: "price: $$5", want: "price: $5"},
		{in: "$${HOST}", want: "${HOST}"},
		{in: "$$$${HOST}", want: "$${HOST}"},
		{in: "^ok$", want: "^ok$"}, // a lone $ stays
		{in: "$HOST", want: "$HOST"},
		{in: "a$", want: "a$"},
		{in: "${MISSING}", want: "", issue: "environment variable MISSING is not set; export it or write ${MISSING:-default}"},
		{in: "${1ABC}", want: "", issue: `invalid environment variable name "1ABC" in ${1ABC}: use letters, digits and _, e.g. ${API_TOKEN} or ${API_TOKEN:-changeme}`},
		{in: "${}", want: "", issue: `invalid environment variable name "" in ${}: use letters, digits and _, e.g. ${API_TOKEN} or ${API_TOKEN:-changeme}`},
		{in: "x ${HOST", want: "x ${HOST", issue: "unterminated ${: close it with } or write $$ for a literal dollar"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, issues := expandEnv(tt.in, lookup)
			if got != tt.want {
				t.Errorf("expandEnv(%q) = %q, want %q", tt.in, got, tt.want)
			}
			switch {
			case tt.issue == "" && len(issues) > 0:
				t.Errorf("unexpected issues %+v", issues)
			case tt.issue != "" && (len(issues) != 1 || issues[0].message != tt.issue):
				t.Errorf("issues = %+v, want %q", issues, tt.issue)
			}
		})
	}
}

func TestParseExpandsEnv(t *testing.T) {
	t.Setenv("VIGIL_TEST_HOST", "db.example.com")
	t.Setenv("VIGIL_TEST_TOKEN", "s3cr3t")
	t.Setenv("VIGIL_TEST_DAYS", "21")
	t.Setenv("VIGIL_TEST_FOLLOW", "false")
	yml := `components:
  - id: web
checks:
  - name: db
    component: web
    interval: ${VIGIL_TEST_INTERVAL:-2m}
    tcp:
      address: ${VIGIL_TEST_HOST}:5432
  - name: api
    component: web
    http:
      url: https://api.example.com/?q=$$top
      follow_redirects: ${VIGIL_TEST_FOLLOW}
      headers:
        Authorization: Bearer ${VIGIL_TEST_TOKEN}
        X-Literal: '${VIGIL_TEST_DAYS}'
      expect:
        body_regex: "ok$"
        body_contains: |
          first line
          token ${VIGIL_TEST_TOKEN}
  - name: cert
    component: web
    tls:
      address: example.com:443
      min_days_left: ${VIGIL_TEST_DAYS}
`
	cfg, err := Parse("env.yml", []byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	h := cfg.Checks[1].HTTP
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"default used", cfg.Checks[0].Interval.String(), "2m"},
		{"inside a value", cfg.Checks[0].TCP.Address, "db.example.com:5432"},
		{"$$ escapes", h.URL, "https://api.example.com/?q=$top"},
		{"plain scalar typed after expansion", *h.FollowRedirects, false},
		{"secret in header", h.Headers["Authorization"], "Bearer s3cr3t"},
		{"quoted stays a string", h.Headers["X-Literal"], "21"},
		{"lone $ kept", h.Expect.BodyRegex, "ok$"},
		{"literal block", h.Expect.BodyContains, "first line\ntoken s3cr3t\n"},
		{"number from env", cfg.Checks[2].TLS.MinDaysLeft, 21},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestEnvErrorLineInLiteralBlock(t *testing.T) {
	yml := "location: |\n  first\n  second ${VIGIL_TEST_UNSET_X}\n"
	_, err := Parse("block.yml", []byte(yml))
	want := "block.yml:3: environment variable VIGIL_TEST_UNSET_X is not set; export it or write ${VIGIL_TEST_UNSET_X:-default}"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestKeysAreNotExpanded(t *testing.T) {
	yml := "${VIGIL_TEST_KEY}: x\n"
	_, err := Parse("key.yml", []byte(yml))
	want := `key.yml:1: unknown key "${VIGIL_TEST_KEY}" at the top level; valid keys are: server, location, log, defaults, demo, components, checks, slas, windows, alerting, status_page, agents, remote_write, remote_read`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}
