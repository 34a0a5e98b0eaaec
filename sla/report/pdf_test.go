package report

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/vigilmon/vigil/sla"
)

func TestPDFDeterministic(t *testing.T) {
	a, b := render(t, PDF), render(t, PDF)
	if !bytes.HasPrefix(a, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(a), []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q...", a[:min(len(a), 16)])
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same result differ")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20261101")) {
		t.Error("creation date is not the period's end")
	}
	if !bytes.Contains(a, []byte("/Filter /FlateDecode")) {
		t.Error("content is not compressed")
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext, skipping the test
// without it (Debian: apt-get install poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not on PATH (apt-get install poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestPDFText(t *testing.T) {
	res := testResult(t)
	text := pdfText(t, render(t, PDF))
	for _, w := range []string{
		"Zorggroep Café Noorderlicht B.V.", "October 2026", "Europe/Amsterdam",
		"Availability", *res.Availability, "99.9%", "Not met", "Service credit", "10%", "of the monthly fee",
		"Cliëntdossier openen", "Roosterplanning (één week)", *res.Screens[0].Compliance, "p95 1,808 ms", "threshold 2,000 ms",
		"upgrade-42", "Planned: excluded", "ended 03:40 CEST", "Not planned: notice 4h < 120h",
		"INC-2026-031", "Inloggen mislukt (login errors)", "53 min 40 s",
		"39 minutes of the period had no data", "leave the denominator", "truncated, never rounded up", "Page 2 of 2",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
}

// TestPDFLongTables spreads many incidents over pages: every one is there.
func TestPDFLongTables(t *testing.T) {
	r := *testResult(t)
	r.Customer = "Łódź Ősz Straße — €"
	r.Incidents = nil
	for i := range 60 {
		end := r.PeriodStart.Add(time.Duration(i)*time.Hour + 5*time.Minute)
		r.Incidents = append(r.Incidents, sla.Incident{ID: fmt.Sprintf("INC-%03d", i), Title: "Storing bij het inloggen, een lange titel die over meerdere regels loopt",
			Start: r.PeriodStart.Add(time.Duration(i) * time.Hour), End: &end, Components: []string{"app"}, DurationSeconds: 300, CountedMinutes: 5})
	}
	var buf bytes.Buffer
	if err := Write(&buf, PDF, &r); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, w := range []string{"INC-000", "INC-059", "Lódz Osz Straße — €"} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	pages := len(regexp.MustCompile(`Page \d+ of \d+`).FindAllString(text, -1))
	if heads := strings.Count(text, "Incident Title Start End"); pages < 4 || heads < pages-2 {
		t.Errorf("%d pages, the incident table heading on %d", pages, heads)
	}
}

// TestPDFNoData renders a result without data or sections.
func TestPDFNoData(t *testing.T) {
	res := &sla.Result{Schema: sla.Schema, Customer: "acme", Month: "2026-10", TargetPPM: 999_000,
		Screens: []sla.ScreenReport{{Check: "login", ThresholdMS: 2000, TargetPPM: 950_000}}}
	var buf bytes.Buffer
	if err := Write(&buf, PDF, res); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, w := range []string{"n/a", "No data", "No days in the period", "No successful observations", "No maintenance", "No incidents"} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
}

func TestCP1252Text(t *testing.T) {
	tr := cp1252Text{translate: fpdf.New("P", "mm", "A4", "").UnicodeTranslatorFromDescriptor("")}
	for in, want := range map[string]string{
		"plain":         "plain",
		"Cliëntdossier": "Cli\xebntdossier",
		"één – €":       "\xe9\xe9n \x96 \x80",
		"Łódź":          "L\xf3dz",
		"e\u0301":       "\xe9", // decomposed é
		"漢":             "?",
		"a.b":           "a.b",
	} {
		if got := tr.String(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
