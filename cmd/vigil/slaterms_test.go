package main

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/sla"
)

func TestTermsFor(t *testing.T) {
	cfg, err := loadConfig(writeFile(t, t.TempDir(), "c.yaml", slaConfig), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	terms, err := termsFor(cfg, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if terms.Location.String() != "Europe/Amsterdam" || terms.AvailabilityTargetPPM != 999_000 ||
		terms.Notice != 120*time.Hour || terms.MonthlyBudget != 4*time.Hour {
		t.Errorf("terms %+v", terms)
	}
	want := sla.AllowedHours{
		Weekdays: sla.Hours{Kind: sla.HoursSpan, Span: sla.Span{From: 21 * 60, To: 7 * 60}},
		Weekends: sla.Hours{Kind: sla.HoursAll},
	}
	if terms.AllowedHours == nil || *terms.AllowedHours != want {
		t.Errorf("allowed hours %+v, want %+v", terms.AllowedHours, want)
	}
	if len(terms.Latency) != 1 || terms.Latency[0].ThresholdMS != 2000 || terms.Latency[0].TargetPPM != 950_000 ||
		len(terms.Latency[0].Exclude) != 1 || terms.Latency[0].Exclude[0].From != 0 || terms.Latency[0].Exclude[0].To != 120 ||
		terms.Latency[0].Exclude[0].Location.String() != "Europe/Amsterdam" {
		t.Errorf("latency %+v", terms.Latency)
	}
	if !slices.Equal(terms.Credits, []sla.Tier{{BelowPPM: 999_000, CreditPercent: 10}, {BelowPPM: 990_000, CreditPercent: 25}, {BelowPPM: 950_000, CreditPercent: 100}}) {
		t.Errorf("credits %+v", terms.Credits)
	}
	if terms.CheckComponents["screen"] != "app" || terms.CheckComponents["other-home"] != "other" {
		t.Errorf("check components %v", terms.CheckComponents)
	}
	if got := slaChecks(cfg, terms); !slices.Equal(got, []string{"home", "screen"}) {
		t.Errorf("slaChecks = %v", got)
	}
	g, err := termsFor(cfg, "globex")
	if err != nil || g.AllowedHours != nil || g.Notice != 0 {
		t.Errorf("globex %+v, %v", g, err)
	}
	if _, err := termsFor(cfg, "nobody"); err == nil || !strings.Contains(err.Error(), `unknown customer "nobody": the config knows acme, globex`) {
		t.Errorf("unknown customer: %v", err)
	}
}
