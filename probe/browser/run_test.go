package browser

import (
	"bytes"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/probe"
)

// The login form, then the JavaScript-rendered employee screen, measured
// from the click that opens it to the moment it shows.
func TestLoginAndMeasuredScreen(t *testing.T) {
	const delay = 300 * time.Millisecond
	s := newSite(t, delay)
	r := newTestRunner(t, Options{})
	p := newProber(t, r, browserCheck("employee", screenSpan, s.loginSteps()...), t.TempDir())

	res := probeWithin(p, 20*time.Second)
	if !res.OK {
		t.Fatalf("run failed: %s: %s", res.Reason, res.Message)
	}
	if res.Duration < delay {
		t.Errorf("measured %s, less than the server's own %s for the screen's data", res.Duration, delay)
	}
	if len(res.Steps) != 7 {
		t.Fatalf("%d steps, want 7: %+v", len(res.Steps), res.Steps)
	}
	var sum time.Duration
	for i, st := range res.Steps {
		if !st.OK || st.Measured != (i >= 5) {
			t.Errorf("step %d = %+v, want ok and measured only for 5 and 6", i, st)
		}
		if st.Measured {
			sum += st.Duration
		}
	}
	// The span runs from the start of step 5 to the end of step 6: at
	// least both steps, and only the instants between them besides.
	if res.Duration < sum {
		t.Errorf("span %s shorter than its steps' %s", res.Duration, sum)
	}
	if res.Steps[0].Name != "navigate "+s.URL+"/login" || res.Steps[0].Status != 200 || res.Steps[2].Name != "fill #password" {
		t.Errorf("step records = %+v", res.Steps)
	}
	for _, st := range res.Steps {
		if strings.Contains(st.Name+st.Message, sitePassword) {
			t.Errorf("a step record shows the password: %+v", st)
		}
	}
	if res.Status != 200 || res.Phases == nil || res.Phases.TTFB <= 0 {
		t.Errorf("status %d, phases %+v: want 200 and the navigation timing of /home", res.Status, res.Phases)
	}
	if res.Screenshot != "" {
		t.Errorf("an ok run kept screenshot %q", res.Screenshot)
	}
	if got := s.employeeRequests.Load(); got != 1 {
		t.Errorf("%d employee data requests, want 1", got)
	}
}

// Without measure, the whole run is measured.
func TestWholeRunMeasuredByDefault(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})
	p := newProber(t, r, browserCheck("whole", nil, s.loginSteps()...), "")
	res := probeWithin(p, 20*time.Second)
	if !res.OK {
		t.Fatalf("run failed: %s: %s", res.Reason, res.Message)
	}
	var sum time.Duration
	for _, st := range res.Steps {
		if !st.Measured {
			t.Errorf("step %q not measured", st.Name)
		}
		sum += st.Duration
	}
	if res.Duration < sum {
		t.Errorf("duration %s is less than the steps' sum %s", res.Duration, sum)
	}
}

// A screen that never shows its selector times out at the deadline and
// leaves a screenshot.
func TestSelectorNeverVisible(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})
	dir := t.TempDir()
	p := newProber(t, r, browserCheck("never", nil,
		configs.BrowserStep{Navigate: s.URL + "/never"},
		configs.BrowserStep{WaitVisible: "#employee-properties"},
	), dir)
	const timeout = 3 * time.Second
	res := probeWithin(p, timeout)
	if res.OK || res.Reason != probe.ReasonTimeout {
		t.Fatalf("got ok=%v %s: %s; want a timeout", res.OK, res.Reason, res.Message)
	}
	if !strings.Contains(res.Message, "at step 1 (wait_visible #employee-properties)") {
		t.Errorf("message %q does not name the step", res.Message)
	}
	if res.Duration > timeout {
		t.Errorf("duration %s is past the %s deadline", res.Duration, timeout)
	}
	if len(res.Steps) != 2 || !res.Steps[0].OK || res.Steps[1].OK {
		t.Errorf("steps = %+v, want the navigate ok and the wait failed", res.Steps)
	}
	if !ValidScreenshotName(res.Screenshot) || !strings.HasPrefix(res.Screenshot, "never-") {
		t.Fatalf("screenshot %q", res.Screenshot)
	}
	png, err := os.ReadFile(filepath.Join(dir, res.Screenshot))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 1000 {
		t.Errorf("screenshot is not a PNG of a page (%d bytes)", len(png))
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWaitText(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})
	for _, tt := range []struct {
		name, text string
		ok         bool
	}{
		{"shows", "Eigenschappen", true},
		{"never", "Salaris", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newProber(t, r, browserCheck("text", nil,
				configs.BrowserStep{Navigate: s.URL + "/text"},
				configs.BrowserStep{WaitText: &configs.WaitStep{Selector: "#title", Text: tt.text}},
			), "")
			res := probeWithin(p, 5*time.Second)
			if res.OK != tt.ok || (!tt.ok && res.Reason != probe.ReasonTimeout) {
				t.Errorf("got ok=%v %s: %s", res.OK, res.Reason, res.Message)
			}
		})
	}
}

func TestEval(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})
	for _, tt := range []struct {
		name, script string
		ok           bool
		message      string
	}{
		{"true", `document.title === "Sign in"`, true, ""},
		{"object", `document.querySelector("#user")`, true, ""},
		{"promise", `fetch("/login").then(r => r.ok)`, true, ""},
		{"false", `document.title === "Home"`, false, "the script returned false"},
		{"zero", `document.querySelectorAll("table").length`, false, "the script returned 0"},
		{"empty string", `""`, false, `the script returned ""`},
		{"null", `document.querySelector("#nothing")`, false, "the script returned null"},
		{"undefined", `undefined`, false, "the script returned undefined"},
		{"NaN", `Number("x")`, false, "the script returned NaN"},
		{"throws", `notDefined.x`, false, "the script threw ReferenceError: notDefined is not defined"},
		{"rejects", `Promise.reject(new Error("no data"))`, false, "the script threw Error: no data"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newProber(t, r, browserCheck("eval", nil,
				configs.BrowserStep{Navigate: s.URL + "/login"},
				configs.BrowserStep{Eval: tt.script},
			), "")
			res := probeWithin(p, 10*time.Second)
			if res.OK != tt.ok {
				t.Fatalf("ok = %v (%s: %s), want %v", res.OK, res.Reason, res.Message, tt.ok)
			}
			if tt.ok {
				return
			}
			want := tt.message + " at step 1 (eval)"
			if res.Reason != probe.ReasonAssertion || res.Message != want {
				t.Errorf("got %s: %q\nwant assertion: %q", res.Reason, res.Message, want)
			}
		})
	}
}

// How failed navigations are told apart.
func TestNavigationFailures(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + l.Addr().String() + "/"
	_ = l.Close() // nothing listens there any more

	// Its certificate is not trusted; the handshake errors it logs are
	// the point.
	tlsSite := httptest.NewUnstartedServer(s.Config.Handler)
	tlsSite.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSite.StartTLS()
	defer tlsSite.Close()

	for _, tt := range []struct {
		name   string
		steps  []configs.BrowserStep
		reason probe.Reason
		msg    string
		status int
	}{
		{"refused", []configs.BrowserStep{{Navigate: refused}}, probe.ReasonConnect, "net::ERR_CONNECTION_REFUSED at step 0", 0},
		{"untrusted certificate", []configs.BrowserStep{{Navigate: tlsSite.URL + "/login"}}, probe.ReasonTLS, "net::ERR_CERT_AUTHORITY_INVALID at step 0", 0},
		{"503", []configs.BrowserStep{{Navigate: s.URL + "/unavailable"}}, probe.ReasonStatus, "status 503 for " + s.URL + "/unavailable at step 0", 503},
		// A form post answered with an error page fails at once, not at
		// the deadline of the wait after it.
		{"403 after a click", []configs.BrowserStep{
			{Navigate: s.URL + "/login"},
			{Fill: &configs.FillStep{Selector: "#user", Value: "intruder"}},
			{Click: "#login"},
			{WaitVisible: "#open-employee"},
		}, probe.ReasonStatus, "status 403 for " + s.URL + "/login at step", 403},
		{"bad selector", []configs.BrowserStep{{Navigate: s.URL + "/login"}, {Click: "#a:b"}}, probe.ReasonConfig, `selector "#a:b" is not valid CSS at step 1 (click #a:b)`, 200},
		{"bad wait_text selector", []configs.BrowserStep{{Navigate: s.URL + "/login"}, {WaitText: &configs.WaitStep{Selector: "#a:b", Text: "x"}}}, probe.ReasonConfig, `selector "#a:b" is not valid CSS at step 1`, 200},
		{"bad fill selector", []configs.BrowserStep{{Navigate: s.URL + "/login"}, {Fill: &configs.FillStep{Selector: "input[", Value: "x"}}}, probe.ReasonConfig, `selector "input[" is not valid CSS at step 1`, 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newProber(t, r, browserCheck("nav", nil, tt.steps...), "")
			start := time.Now()
			res := probeWithin(p, 8*time.Second)
			if res.OK || res.Reason != tt.reason || !strings.Contains(res.Message, tt.msg) {
				t.Errorf("got ok=%v %s: %q; want %s containing %q", res.OK, res.Reason, res.Message, tt.reason, tt.msg)
			}
			if res.Status != tt.status {
				t.Errorf("status %d, want %d", res.Status, tt.status)
			}
			if waited := time.Since(start); waited >= 8*time.Second {
				t.Errorf("the failure took the whole deadline (%s)", waited)
			}
		})
	}
}

// Only the main document's status counts: a frame that fails to load is
// the page's business.
func TestFrameErrorStatusIgnored(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})
	p := newProber(t, r, browserCheck("framed", nil,
		configs.BrowserStep{Navigate: s.URL + "/framed"},
		configs.BrowserStep{Eval: `new Promise(ok => {
			const f = document.getElementById("ad");
			if (f.contentDocument && f.contentDocument.readyState === "complete") ok(true);
			else f.addEventListener("load", () => ok(true));
		})`},
		configs.BrowserStep{WaitVisible: "#title"},
	), "")
	res := probeWithin(p, 10*time.Second)
	if !res.OK || res.Status != 200 {
		t.Errorf("got ok=%v status %d %s: %s; want ok with the main document's 200", res.OK, res.Status, res.Reason, res.Message)
	}
}

// A cookie or a localStorage entry from one run is gone in the next.
func TestRunsAreIsolated(t *testing.T) {
	s := newSite(t, 0)
	r := newTestRunner(t, Options{})
	clean := `document.getElementById("server-cookies").textContent === "none" &&
		document.getElementById("page-cookies").textContent === "none" &&
		document.getElementById("storage").textContent === "none"`
	p := newProber(t, r, browserCheck("state", nil,
		configs.BrowserStep{Navigate: s.URL + "/state"},
		configs.BrowserStep{Eval: clean},
		// The same context does keep them: the page works as intended.
		configs.BrowserStep{Navigate: s.URL + "/state"},
		configs.BrowserStep{Eval: `document.getElementById("storage").textContent === "yes" &&
			document.getElementById("server-cookies").textContent.includes("server-cookie=1") &&
			document.getElementById("server-cookies").textContent.includes("script-cookie=1")`},
	), "")
	for i := range 3 {
		if res := probeWithin(p, 10*time.Second); !res.OK {
			t.Fatalf("run %d: %s: %s", i, res.Reason, res.Message)
		}
	}
}
