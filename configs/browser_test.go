package configs

import (
	"strings"
	"testing"
	"time"
)

var _ = addInvalidCases([]invalidCase{
	{"invalid-browser-steps-empty.yml", `invalid-browser-steps-empty.yml:7: browser check has no steps; start with navigate: URL`},
	{"invalid-browser-step-empty.yml", `invalid-browser-step-empty.yml:9: browser step has no action; write one of navigate, fill, click, wait_visible, wait_text, eval`},
	{"invalid-browser-step-several.yml", `invalid-browser-step-several.yml:10: browser step has 2 actions (fill, click); a step does exactly one: split it into one step per action`},
	{"invalid-browser-first-step.yml", `invalid-browser-first-step.yml:8: the first browser step is click; start with navigate: URL so that the run opens a page`},
	{"invalid-browser-navigate-empty.yml", `invalid-browser-navigate-empty.yml:8: navigate url is empty; write a full URL such as https://app.example.com/login`},
	{"invalid-browser-navigate-parse.yml", `invalid-browser-navigate-parse.yml:8: navigate url cannot be parsed (invalid character " " in host name); write a full URL such as https://app.example.com/login`},
	{"invalid-browser-navigate-scheme.yml", `invalid-browser-navigate-scheme.yml:8: navigate url scheme "file" is not supported; use http:// or https://`},
	{"invalid-browser-click-empty.yml", `invalid-browser-click-empty.yml:9: click has no selector; write the CSS selector of the element to click, e.g. click: "#login"`},
	{"invalid-browser-fill-selector.yml", `invalid-browser-fill-selector.yml:9: fill has no selector; write the CSS selector of the field, e.g. fill: {selector: "#user", value: "${PROBE_USER}"}`},
	{"invalid-browser-wait-visible-empty.yml", `invalid-browser-wait-visible-empty.yml:9: wait_visible has no selector; write the CSS selector of the element that shows the screen is open, e.g. wait_visible: "#employee-properties"`},
	{"invalid-browser-wait-text-selector.yml", `invalid-browser-wait-text-selector.yml:9: wait_text has no selector; write the CSS selector of the element that must hold the text, e.g. wait_text: {selector: "h1", text: "Employee"}`},
	{"invalid-browser-wait-text-text.yml", `invalid-browser-wait-text-text.yml:9: wait_text has no text; write the text the element must hold, or use wait_visible to wait for the element alone`},
	{"invalid-browser-eval-empty.yml", `invalid-browser-eval-empty.yml:9: eval is empty; write a JavaScript expression that is true when the page is right, e.g. eval: "document.title.includes('Employee')"`},
	{"invalid-browser-measure-missing.yml", `invalid-browser-measure-missing.yml:11: measure has no to; write the span as {from: 3, to: 4}: 0-based step numbers, both included`},
	{"invalid-browser-measure-range.yml", `invalid-browser-measure-range.yml:11: measure to 3 is not a step of this check; its steps are numbered 0 to 2`},
	{"invalid-browser-measure-order.yml", `invalid-browser-measure-order.yml:12: measure from 2 is after to 1; from is the first measured step and to the last, e.g. {from: 1, to: 2}`},
	{"invalid-browser-timeout-short.yml", `invalid-browser-timeout-short.yml:6: timeout 2s is too short for a browser check: opening a tab and a page in Chromium alone takes about a second; write 5s or more (the default is 10s)`},
	{"invalid-browser-timeout-inherited.yml", `invalid-browser-timeout-inherited.yml:6: browser check inherits timeout 3s (from defaults.timeout or its interval), too short for a browser: write timeout: 10s or more on this check, with an interval at least as long`},
}...)

// The example check, with the login user from the environment.
const browserExample = `
components:
  - id: profit
checks:
  - name: employee-properties-browser
    component: profit
    objective: {threshold: 2s, target: 95%}
    browser:
      steps:
        - {navigate: "http://127.0.0.1:9000/login"}
        - {fill: {selector: "#user", value: "${VIGIL_TEST_PROBE_USER}"}}
        - {click: "#login"}
        - {click: "#open-employee"}
        - {wait_visible: "#employee-properties"}
        - {wait_text: {selector: "h1", text: "Eigenschappen"}}
        - {eval: "document.querySelectorAll('tr').length > 0"}
      measure: {from: 3, to: 4}
`

func TestBrowserCheckParses(t *testing.T) {
	t.Setenv("VIGIL_TEST_PROBE_USER", "monitor")
	cfg, err := Parse("browser.yml", []byte(browserExample))
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Checks[0]
	if c.Kind() != "browser" || c.Timeout.D() != 10*time.Second {
		t.Fatalf("kind %q timeout %s, want browser with the default 10s", c.Kind(), c.Timeout)
	}
	b := c.Browser
	if len(b.Steps) != 7 || b.Steps[1].Fill.Value != "monitor" || b.Steps[3].Click != "#open-employee" ||
		b.Steps[5].WaitText.Text != "Eigenschappen" || b.Steps[6].Eval == "" {
		t.Errorf("steps = %+v", b.Steps)
	}
	if b.Measure == nil || *b.Measure != (StepSpan{From: 3, To: 4}) {
		t.Errorf("measure = %+v, want {3 4}", b.Measure)
	}
}

// A navigate URL taken from the environment never reaches an error: it
// may hold a token.
func TestBrowserNavigateURLFromEnvNotShown(t *testing.T) {
	t.Setenv("VIGIL_TEST_SCREEN_URL", "http://app example.com/login?token=s3cret")
	yml := strings.Replace(browserExample, `"http://127.0.0.1:9000/login"`, `"${VIGIL_TEST_SCREEN_URL}"`, 1)
	t.Setenv("VIGIL_TEST_PROBE_USER", "monitor")
	_, err := Parse("browser.yml", []byte(yml))
	want := `browser.yml:10: navigate url cannot be parsed (it does not parse); write a full URL such as https://app.example.com/login`
	if err == nil || err.Error() != want {
		t.Fatalf("error:\n got: %v\nwant: %s", err, want)
	}
}

func TestBrowserTimeoutAtLeastMinimum(t *testing.T) {
	yml := strings.Replace(browserExample, "    component: profit\n", "    component: profit\n    timeout: 5s\n", 1)
	t.Setenv("VIGIL_TEST_PROBE_USER", "monitor")
	if _, err := Parse("browser.yml", []byte(yml)); err != nil {
		t.Errorf("timeout 5s (the minimum) rejected: %v", err)
	}
}

func TestExampleShowsBrowserCheck(t *testing.T) {
	cfg, err := Load("example.yaml")
	if err != nil {
		t.Fatalf("example.yaml: %v", err)
	}
	for _, c := range cfg.Checks {
		if c.Browser == nil {
			continue
		}
		if c.Browser.Steps[0].Navigate == "" || c.Browser.Measure == nil || c.Objective == nil {
			t.Errorf("browser check %q: want a navigate first, a measure and an objective; got %+v", c.Name, c.Browser)
		}
		return
	}
	t.Error("example.yaml shows no browser check")
}
