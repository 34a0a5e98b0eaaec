package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

// vigil runs one command and returns its exit code, stdout and stderr.
func vigil(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := exitCode(run(context.Background(), args, &out, &errOut), &errOut)
	return code, out.String(), errOut.String()
}

var scheduledID = regexp.MustCompile(`(?m)^scheduled (\S+)$`)

func TestMaintenanceCLI(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "c.yaml", slaConfig)
	base := []string{"-config", cfg, "-data-dir", dir}
	maint := func(sub string, args ...string) (int, string, string) {
		t.Helper()
		return vigil(t, append(append([]string{"maintenance", sub}, base...), args...)...)
	}

	// Three days' notice where acme wants five: a warning for acme only.
	start := time.Now().Truncate(time.Minute).Add(72*time.Hour + time.Minute)
	code, out, errOut := maint("schedule", "-title", "Database upgrade", "-components", "app,other",
		"-start", start.Format(time.RFC3339), "-end", start.Add(time.Hour).Format(time.RFC3339))
	if code != 0 {
		t.Fatalf("schedule: exit %d\n%s%s", code, out, errOut)
	}
	m := scheduledID.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no id in:\n%s", out)
	}
	future := m[1]
	if !regexp.MustCompile(`warning: acme would count this window as unplanned: notice 7[12]h\S* < 120h`).MatchString(errOut) {
		t.Errorf("no notice warning for acme in:\n%s", errOut)
	}
	if strings.Contains(errOut, "globex") {
		t.Errorf("globex asks no notice but is warned about:\n%s", errOut)
	}
	for _, want := range []string{"Database upgrade", "app, other", start.UTC().Format(time.RFC3339), "scheduled"} {
		if !strings.Contains(out, want) {
			t.Errorf("schedule output lacks %q:\n%s", want, out)
		}
	}

	// An emergency recorded after it began, then completed.
	began := time.Now().Truncate(time.Minute).Add(-2 * time.Hour)
	code, out, errOut = maint("schedule", "-title", "Emergency fix", "-components", "app",
		"-start", began.Format(time.RFC3339), "-end", began.Add(3*time.Hour).Format(time.RFC3339))
	if code != 0 || !strings.Contains(errOut, "warning: acme would count this window as unplanned: announced 2h") {
		t.Fatalf("schedule emergency: exit %d\n%s%s", code, out, errOut)
	}
	emergency := scheduledID.FindStringSubmatch(out)[1]
	if code, out, errOut = maint("complete", emergency); code != 0 || !strings.Contains(out, "completed "+emergency) {
		t.Fatalf("complete: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut = maint("complete", emergency); code != 1 || !strings.Contains(errOut, "vigil:") {
		t.Errorf("completing twice: exit %d %s", code, errOut)
	}

	// Flags after the id work too.
	cancelAt := time.Now().Truncate(time.Second).Format(time.RFC3339)
	if code, out, errOut = maint("cancel", future, "-at", cancelAt); code != 0 || !strings.Contains(out, "cancelled "+future) {
		t.Fatalf("cancel: exit %d\n%s%s", code, out, errOut)
	}

	code, out, errOut = maint("list")
	if code != 0 {
		t.Fatalf("list: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"ID", "TITLE", "COMPONENTS", "START", "END", "ANNOUNCED", "STATUS",
		future, "Database upgrade", "app,other", "cancelled", emergency, "completed"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}

	// Mistakes.
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"schedule", "-title", "x", "-components", "nope", "-start", start.Format(time.RFC3339), "-end", start.Add(time.Hour).Format(time.RFC3339)}, 2, `unknown component "nope": the config defines app, other`},
		{[]string{"schedule", "-title", "x"}, 2, "missing -components, -start, -end"},
		{[]string{"schedule", "-title", "x", "-components", "app", "-start", "tomorrow", "-end", "x"}, 2, "is not an RFC 3339 time"},
		{[]string{"schedule", "-title", "x", "-components", "app", "-start", start.Add(30 * time.Second).Format(time.RFC3339), "-end", start.Add(time.Hour).Format(time.RFC3339)}, 1, "whole minute"},
		{[]string{"complete"}, 2, "no window id given"},
		{[]string{"cancel", "mw-nope"}, 1, "not found"},
		{[]string{"frobnicate"}, 2, `unknown subcommand "frobnicate"`},
	} {
		code, out, errOut := maint(tc.args[0], tc.args[1:]...)
		if tc.args[0] == "frobnicate" {
			code, out, errOut = vigil(t, "maintenance", "frobnicate")
		}
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, want %d with %q\n%s%s", tc.args, code, tc.code, tc.want, out, errOut)
		}
	}
}
