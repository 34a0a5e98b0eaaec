package configs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var _ = addInvalidCases([]invalidCase{
	// screen: steps, extracts, templates, measure, session.
	{"invalid-screen-steps-empty.yml", `invalid-screen-steps-empty.yml:7: screen has no steps; list the requests that open the screen, e.g. a login step and the step that opens it`},
	{"invalid-screen-step-name-empty.yml", `invalid-screen-step-name-empty.yml:8: step name is empty; give every step a short name such as "login" or "open"`},
	{"invalid-screen-step-name-charset.yml", `invalid-screen-step-name-charset.yml:8: step name "Log In" may only hold a-z, 0-9, _ and -, starting with a letter or digit; write "log-in"`},
	{"invalid-screen-step-name-duplicate.yml", `invalid-screen-step-name-duplicate.yml:15: step name "login" is already used at line 8; step names must be unique within a screen`},
	{"invalid-screen-step-http-missing.yml", `invalid-screen-step-http-missing.yml:15: step has no http; write the request it sends, e.g. http: {url: "https://app.example.com/login", method: POST}`},
	{"invalid-screen-step-http-method.yml", `invalid-screen-step-http-method.yml:11: http method "post" is not supported; write "POST"`},
	{"invalid-screen-extract-none.yml", `invalid-screen-extract-none.yml:14: extract token sets none of json, regex, header or cookie; set exactly one, e.g. token: {json: "$.token"}`},
	{"invalid-screen-extract-several.yml", `invalid-screen-extract-several.yml:16: extract token sets json and header; keep exactly one of json, regex, header or cookie`},
	{"invalid-screen-extract-json-path.yml", `invalid-screen-extract-json-path.yml:14: extract token: json "token" is not a JSON path: a JSON path starts with "$", e.g. $.status or $.items[0].name`},
	{"invalid-screen-extract-regex.yml", "invalid-screen-extract-regex.yml:14: extract token: regex does not compile: error parsing regexp: missing closing ): `token=(\\w+`; write a Go (RE2) regular expression whose first group is the value, e.g. name=\"csrf\" value=\"([^\"]+)\""},
	{"invalid-screen-extract-name.yml", `invalid-screen-extract-name.yml:14: extract name "auth-token" cannot be used in a template; use letters, digits and _, not starting with a digit, e.g. "auth_token"`},
	{"invalid-screen-extract-unknown-key.yml", `invalid-screen-extract-unknown-key.yml:14: unknown key "jsonpath" in extract; valid keys are: json, regex, header, cookie`},
	{"invalid-screen-template-parse.yml", `invalid-screen-template-parse.yml:19: header Authorization is not a valid template: bad character U+007D '}'; write a value from an earlier step as {{.name}}`},
	{"invalid-screen-template-unsupported.yml", `invalid-screen-template-unsupported.yml:19: header Authorization uses {{with}}, which step templates do not support; write a value from an earlier step as {{.name}}, {{urlquery .name}} or {{pathescape .name}}`},
	{"invalid-screen-template-unknown.yml", `invalid-screen-template-unknown.yml:19: header Authorization uses {{.session}}, but no earlier step extracts session; add it to the extract of an earlier step, e.g. extract: {session: {json: "$.session"}}`},
	{"invalid-screen-template-later.yml", `invalid-screen-template-later.yml:13: header X-Session uses {{.session}}, but session is extracted only by step "open" at line 22, which runs later; move that extract to an earlier step`},
	{"invalid-screen-template-same-step.yml", `invalid-screen-template-same-step.yml:12: form field nonce uses {{.token}}, but token is extracted from this step's own response (line 14), after its request is sent; extract it in an earlier step`},
	{"invalid-screen-measure-unknown.yml", `invalid-screen-measure-unknown.yml:20: measure names step "opne", which this screen does not have; use one of: login, open`},
	{"invalid-screen-measure-duplicate.yml", `invalid-screen-measure-duplicate.yml:22: step "open" is already measured at line 21; list each step once`},
	{"invalid-screen-session-ttl-no-login.yml", `invalid-screen-session-ttl-no-login.yml:7: session_ttl 15m has no effect: no step runs before the first measured one, so there is no login to reuse; remove session_ttl, or put the login steps before the measured ones`},
	{"invalid-screen-session-ttl-negative.yml", `invalid-screen-session-ttl-negative.yml:7: duration "-15m" is negative; write a positive duration such as 30s`},
}...)

// screenYAML is a valid screen check: a login with a form from the
// environment, a URL, header and body that use its values, a value
// extracted twice, and two measured steps.
const screenYAML = `components:
  - id: profit
checks:
  - name: employee-properties
    component: profit
    objective: {threshold: 2s, target: 95%}
    screen:
      session_ttl: 15m
      steps:
        - name: login
          http:
            url: http://127.0.0.1:9000/api/login
            method: POST
            form: {user: "${VIGIL_TEST_PROBE_USER}", password: "${VIGIL_TEST_PROBE_PASSWORD}"}
          extract:
            token: {json: "$.token"}
            tenant: {header: X-Tenant}
            session: {cookie: SESSION}
        - name: refresh
          http:
            url: "http://{{.tenant}}.127.0.0.1.nip.test:9000/api/refresh?t={{urlquery .token}}"
            method: POST
            body: '{"token": "{{.token}}"}'
          extract:
            token: {regex: 'token=(\w+)'}
        - name: open
          http:
            url: "http://127.0.0.1:9000/api/employees/{{pathescape .session}}"
            headers: {Authorization: "Bearer {{.token}}"}
            expect: {status: [200], body_contains: Eigenschappen Medewerker}
        - name: tab
          http:
            url: http://127.0.0.1:9000/api/employees/42/tab
      measure: [open, tab]
`

func TestScreenValid(t *testing.T) {
	t.Setenv("VIGIL_TEST_PROBE_USER", "monitor")
	t.Setenv("VIGIL_TEST_PROBE_PASSWORD", "s3cret")
	cfg, err := Parse("screen.yml", []byte(screenYAML))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Checks[0].Screen
	if cfg.Checks[0].Kind() != "screen" || len(s.Steps) != 4 {
		t.Fatalf("kind %q with %d steps", cfg.Checks[0].Kind(), len(s.Steps))
	}
	if s.SessionTTL.D() != 15*time.Minute || strings.Join(s.Measure, ",") != "open,tab" {
		t.Errorf("session_ttl %s, measure %v", s.SessionTTL, s.Measure)
	}
	login, open := s.Steps[0].HTTP, s.Steps[2].HTTP
	if login.Form["password"] != "s3cret" {
		t.Errorf("form = %v, want ${...} expanded at load", login.Form)
	}
	if got := open.Headers["Authorization"]; got != "Bearer {{.token}}" {
		t.Errorf("Authorization = %q, want the template kept for run time", got)
	}
	// Steps get the defaults of an http probe.
	if open.Method != "GET" || open.FollowRedirects == nil || !*open.FollowRedirects || open.MaxBodyBytes != DefaultMaxBodyBytes {
		t.Errorf("step http defaults: method %q, follow %v, max body %d", open.Method, open.FollowRedirects, open.MaxBodyBytes)
	}
	if e := s.Steps[0].Extract["session"]; e.Cookie != "SESSION" {
		t.Errorf("extract session = %+v", e)
	}
}

// TestScreenURLCheckedWithValuesFilledIn checks that a templated URL is
// validated as it will be sent: its values do not hide a bad scheme, and
// a problem in the template is reported once, not also as a bad URL.
func TestScreenURLCheckedWithValuesFilledIn(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"ftp://127.0.0.1/{{.token}}", `s.yml:13: http url scheme "ftp" is not supported; use http:// or https://`},
		{"{{.token}}/api", `s.yml:13: http url has no scheme; write a full URL such as https://app.example.com/health`},
		{"http://127.0.0.1/{{.nope}}", `s.yml:13: url uses {{.nope}}, but no earlier step extracts nope; add it to the extract of an earlier step, e.g. extract: {nope: {json: "$.nope"}}`},
		{"http://127.0.0.1/{{.token", `s.yml:13: url is not a valid template: unclosed action; write a value from an earlier step as {{.name}}`},
	} {
		yml := `components: [{id: web}]
checks:
  - name: s
    component: web
    screen:
      steps:
        - name: login
          http: {url: "http://127.0.0.1/login"}
          extract:
            token: {json: "$.token"}
        - name: open
          http:
            url: "` + tc.url + `"
`
		_, err := Parse("s.yml", []byte(yml))
		if err == nil || err.Error() != tc.want {
			t.Errorf("url %s:\n got: %v\nwant: %s", tc.url, err, tc.want)
		}
	}
}

func TestScreenTemplateFromEnvDoesNotLeak(t *testing.T) {
	t.Setenv("VIGIL_TEST_SCREEN_SECRET", "hunter2{{")
	yml := `components: [{id: web}]
checks:
  - name: s
    component: web
    screen:
      steps:
        - name: open
          http:
            url: http://127.0.0.1/
            headers: {Authorization: "Bearer ${VIGIL_TEST_SCREEN_SECRET}"}
`
	_, err := Parse("s.yml", []byte(yml))
	want := `s.yml:10: header Authorization is not a valid template: it does not parse; write a value from an earlier step as {{.name}}`
	if err == nil || err.Error() != want {
		t.Fatalf("error:\n got: %v\nwant: %s", err, want)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the secret leaked: %v", err)
	}
}

func TestScreenStepCAFileRelativeToConfig(t *testing.T) {
	dir := t.TempDir()
	writeTestCA(t, filepath.Join(dir, "ca.pem"))
	path := filepath.Join(dir, "vigil.yml")
	yml := `components: [{id: web}]
checks:
  - name: s
    component: web
    screen:
      steps:
        - name: open
          http: {url: "https://127.0.0.1/", tls: {ca_file: ca.pem}}
`
	if err := os.WriteFile(path, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Checks[0].Screen.Steps[0].HTTP.TLS.CAFile; got != filepath.Join(dir, "ca.pem") {
		t.Errorf("ca_file = %q, want it next to the config file", got)
	}
}

func TestParseStepTemplate(t *testing.T) {
	values := map[string]string{"id": "a b/c", "q": "x&y=z", "token": "t0k"}
	for _, tc := range []struct{ text, want string }{
		{"plain", "plain"},
		{"Bearer {{.token}}", "Bearer t0k"},
		{"/e/{{.id}}", "/e/a b/c"}, // as is: nothing is escaped by itself
		{"/e/{{pathescape .id}}", "/e/a%20b%2Fc"},
		{"?q={{urlquery .q}}", "?q=x%26y%3Dz"},
	} {
		tmpl, err := ParseStepTemplate("t", tc.text)
		if err != nil {
			t.Fatalf("%s: %v", tc.text, err)
		}
		var b strings.Builder
		if err := tmpl.Execute(&b, values); err != nil || b.String() != tc.want {
			t.Errorf("%s = %q, %v; want %q", tc.text, b.String(), err, tc.want)
		}
	}
	tmpl, err := ParseStepTemplate("t", "{{.missing}}")
	if err != nil {
		t.Fatal(err)
	}
	if err := tmpl.Execute(&strings.Builder{}, values); err == nil {
		t.Error("a missing value rendered without an error")
	}
}

func TestTemplateFields(t *testing.T) {
	for _, tc := range []struct{ text, fields, unsupported string }{
		{"{{.a}}-{{.b}}-{{.a}}", "a,b", ""},
		{"{{if .a}}{{urlquery .b}}{{else}}{{$.c}}{{end}}", "a,b,c", ""},
		{"{{$x := .a}}{{$x}}", "a", ""},
		{"{{printf \"%s/%s\" .a (pathescape .b)}}", "a,b", ""},
		{"{{.}}", "", "{{.}}"},
		{"{{.a.b}}", "", "{{.a.b}}"},
		{"{{range .a}}{{end}}", "", "{{range}}"},
		{"{{define \"x\"}}{{end}}{{.a}}", "", "{{define}}"},
		{"{{template \"x\"}}", "", "{{template}}"},
	} {
		tmpl, err := ParseStepTemplate("t", tc.text)
		if err != nil {
			t.Fatalf("%s: %v", tc.text, err)
		}
		fields, unsupported := templateFields(tmpl)
		if unsupported != tc.unsupported || unsupported == "" && strings.Join(fields, ",") != tc.fields {
			t.Errorf("%s: fields %v, unsupported %q; want %s, %q", tc.text, fields, unsupported, tc.fields, tc.unsupported)
		}
	}
}
