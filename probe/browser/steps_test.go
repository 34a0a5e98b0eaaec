package browser

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/probe"
)

func TestTruthy(t *testing.T) {
	obj := func(typ runtime.RemoteObjectType, value string) *runtime.RemoteObject {
		return &runtime.RemoteObject{Type: typ, Value: []byte(value)}
	}
	unser := func(typ runtime.RemoteObjectType, v string) *runtime.RemoteObject {
		return &runtime.RemoteObject{Type: typ, UnserializableValue: runtime.UnserializableValue(v)}
	}
	for _, tt := range []struct {
		name string
		o    *runtime.RemoteObject
		want bool
		show string
	}{
		{"true", obj(runtime.RemoteObjectTypeBoolean, "true"), true, ""},
		{"false", obj(runtime.RemoteObjectTypeBoolean, "false"), false, "false"},
		{"1", obj(runtime.RemoteObjectTypeNumber, "1"), true, ""},
		{"0", obj(runtime.RemoteObjectTypeNumber, "0"), false, "0"},
		{"0.0", obj(runtime.RemoteObjectTypeNumber, "0.0"), false, "0.0"},
		{"-0", unser(runtime.RemoteObjectTypeNumber, "-0"), false, "-0"},
		{"NaN", unser(runtime.RemoteObjectTypeNumber, "NaN"), false, "NaN"},
		{"Infinity", unser(runtime.RemoteObjectTypeNumber, "Infinity"), true, ""},
		{"0n", unser(runtime.RemoteObjectTypeBigint, "0n"), false, "0n"},
		{"1n", unser(runtime.RemoteObjectTypeBigint, "1n"), true, ""},
		{`""`, obj(runtime.RemoteObjectTypeString, `""`), false, `""`},
		{`"0"`, obj(runtime.RemoteObjectTypeString, `"0"`), true, ""},
		{"undefined", &runtime.RemoteObject{Type: runtime.RemoteObjectTypeUndefined}, false, "undefined"},
		{"null", &runtime.RemoteObject{Type: runtime.RemoteObjectTypeObject, Subtype: runtime.RemoteObjectSubtypeNull, Value: []byte("null")}, false, "null"},
		{"element", &runtime.RemoteObject{Type: runtime.RemoteObjectTypeObject, Subtype: "node", ObjectID: "1"}, true, ""},
		{"empty array", &runtime.RemoteObject{Type: runtime.RemoteObjectTypeObject, Subtype: "array", ObjectID: "2"}, true, ""},
		{"function", &runtime.RemoteObject{Type: runtime.RemoteObjectTypeFunction, ObjectID: "3"}, true, ""},
	} {
		if got := truthy(tt.o); got != tt.want {
			t.Errorf("truthy(%s) = %v, want %v", tt.name, got, tt.want)
		}
		if !tt.want {
			if got := describe(tt.o); got != tt.show {
				t.Errorf("describe(%s) = %q, want %q", tt.name, got, tt.show)
			}
		}
	}
}

func TestCompileStep(t *testing.T) {
	for _, tt := range []struct {
		step  configs.BrowserStep
		label string
	}{
		{configs.BrowserStep{Navigate: "https://user:pw@app.example.com/login?token=abc#x"}, "navigate https://app.example.com/login"},
		{configs.BrowserStep{Fill: &configs.FillStep{Selector: "#password", Value: "hunter2"}}, "fill #password"},
		{configs.BrowserStep{Click: "#login"}, "click #login"},
		{configs.BrowserStep{WaitVisible: "#screen"}, "wait_visible #screen"},
		{configs.BrowserStep{WaitText: &configs.WaitStep{Selector: "h1", Text: "Employee"}}, "wait_text h1"},
		{configs.BrowserStep{Eval: "1 + 1 === 2"}, "eval"},
	} {
		s, err := compileStep(tt.step)
		if err != nil {
			t.Errorf("%+v: %v", tt.step, err)
			continue
		}
		if s.label != tt.label || s.do == nil || s.navigates != (tt.step.Navigate != "") {
			t.Errorf("%+v compiled to label %q navigates %v, want %q", tt.step, s.label, s.navigates, tt.label)
		}
	}
	for _, bad := range []configs.BrowserStep{
		{},
		{Click: "#a", Eval: "true"},
		{Navigate: "ftp://example.com/"},
		{Navigate: "/relative"},
	} {
		if _, err := compileStep(bad); err == nil {
			t.Errorf("%+v compiled", bad)
		}
	}
}

func TestProberRejectsBadChecks(t *testing.T) {
	r, err := NewRunner(Options{ExecPath: "/bin/true"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	nav := configs.BrowserStep{Navigate: "http://127.0.0.1:9000/"}
	for _, tt := range []struct {
		name  string
		check configs.Check
		want  string
	}{
		{"not browser", configs.Check{Name: "x", HTTP: &configs.HTTPProbe{URL: "http://x/"}}, "not a browser check"},
		{"bad name", browserCheck("../x", nil, nav), "screenshot name"},
		{"no steps", browserCheck("x", nil), "no steps"},
		{"bad step", browserCheck("x", nil, nav, configs.BrowserStep{}), "step 1"},
		{"measure past the end", browserCheck("x", &configs.StepSpan{From: 0, To: 1}, nav), "measure"},
		{"measure backwards", browserCheck("x", &configs.StepSpan{From: 1, To: 0}, nav, nav), "measure"},
	} {
		if _, err := r.Prober(tt.check, ""); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one about %q", tt.name, err, tt.want)
		}
	}
}

// A browser that does not start fails the run with reason browser, and
// leaves no directory behind.
func TestBrowserThatDoesNotStart(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	r, err := NewRunner(Options{ExecPath: "/bin/false"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p, err := r.Prober(browserCheck("x", nil, configs.BrowserStep{Navigate: "http://127.0.0.1:9/"}), "")
	if err != nil {
		t.Fatal(err)
	}
	res := probeWithin(p.(*prober), 10*time.Second)
	if res.OK || res.Reason != probe.ReasonBrowser || !strings.Contains(res.Message, "start chromium") {
		t.Errorf("got ok=%v %s: %s", res.OK, res.Reason, res.Message)
	}
	left, _ := os.ReadDir(tmp)
	for _, e := range left {
		t.Errorf("left behind in TMPDIR: %s", e.Name())
	}
}
