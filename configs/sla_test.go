package configs

import (
	"go/build"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseClockSpan(t *testing.T) {
	h, m := time.Hour, time.Minute
	how := `write "HH:MM-HH:MM" such as "21:00-07:00" (a span may wrap midnight), all or none`
	tests := []struct {
		in       string
		from, to time.Duration
		allDay   bool
		err      string
	}{
		{in: "21:00-07:00", from: 21 * h, to: 7 * h},
		{in: "09:30-17:45", from: 9*h + 30*m, to: 17*h + 45*m},
		{in: "22:00-24:00", from: 22 * h, to: 24 * h},
		{in: "22:00-00:00", from: 22 * h, to: 0},
		{in: "00:00-23:59", from: 0, to: 23*h + 59*m},
		{in: "all", to: 24 * h, allDay: true},
		{in: "none"},
		{in: "", err: "no hours given; " + how},
		{in: "All", err: `"All" is not a clock span; ` + how},
		{in: "9:00-17:00", err: `"9:00-17:00" is not a clock span; ` + how},
		{in: "09:00 - 17:00", err: `"09:00 - 17:00" is not a clock span; ` + how},
		{in: "09:00-17:60", err: `"09:00-17:60" is not a clock span: hours run 00 to 24 and minutes 00 to 59; ` + how},
		{in: "25:00-07:00", err: `"25:00-07:00" is not a clock span: hours run 00 to 24 and minutes 00 to 59; ` + how},
		{in: "21:00-24:01", err: `"21:00-24:01" is not a clock span: hours run 00 to 24 and minutes 00 to 59; ` + how},
		{in: "+1:00-07:00", err: `"+1:00-07:00" is not a clock span: hours run 00 to 24 and minutes 00 to 59; ` + how},
		{in: "24:00-07:00", err: `"24:00-07:00" starts at 24:00; start at 00:00 instead`},
		{in: "07:00-07:00", err: `"07:00-07:00" starts where it ends; write all for the whole day, or none for no time at all`},
		{in: "00:00-24:00", err: `"00:00-24:00" starts where it ends; write all for the whole day, or none for no time at all`},
	}
	for _, tt := range tests {
		from, to, allDay, err := ParseClockSpan(tt.in)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("ParseClockSpan(%q) error = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("ParseClockSpan(%q): %v", tt.in, err)
		case tt.err == "" && (from != tt.from || to != tt.to || allDay != tt.allDay):
			t.Errorf("ParseClockSpan(%q) = %v, %v, %v; want %v, %v, %v", tt.in, from, to, allDay, tt.from, tt.to, tt.allDay)
		}
	}
}

func TestClockSpanContains(t *testing.T) {
	h, m := time.Hour, time.Minute
	tests := []struct {
		span  string
		clock time.Duration
		want  bool
	}{
		{"21:00-07:00", 21 * h, true},
		{"21:00-07:00", 23*h + 59*m, true},
		{"21:00-07:00", 0, true},
		{"21:00-07:00", 3 * h, true},
		{"21:00-07:00", 6*h + 59*m, true},
		{"21:00-07:00", 7 * h, false},
		{"21:00-07:00", 20*h + 59*m, false},
		{"00:00-02:00", 0, true},
		{"00:00-02:00", 1*h + 59*m, true},
		{"00:00-02:00", 2 * h, false},
		{"22:00-24:00", 23*h + 59*m, true},
		{"22:00-24:00", 0, false},
		{"all", 0, true},
		{"all", 23*h + 59*m, true},
		{"none", 0, false},
		{"none", 12 * h, false},
	}
	for _, tt := range tests {
		from, to, allDay, err := ParseClockSpan(tt.span)
		if err != nil {
			t.Fatal(err)
		}
		if got := ClockSpanContains(from, to, allDay, tt.clock); got != tt.want {
			t.Errorf("%s contains %v = %v, want %v", tt.span, tt.clock, got, tt.want)
		}
	}
}

const validSLA = `
server:
  admin_token: ${VIGIL_TEST_ADMIN_TOKEN:-0123456789abcdef}
  report_token: ${VIGIL_TEST_REPORT_TOKEN:-fedcba9876543210}
components:
  - id: profit
  - id: insite
checks:
  - name: employee-properties
    component: profit
    tcp: {address: example.com:443}
  - name: portal
    component: insite
    tcp: {address: example.com:443}
slas:
  - customer: acme
    timezone: Europe/Amsterdam
    components: [profit, insite]
    availability_target: 99.9%
    maintenance: {notice: 120h, allowed_hours: {weekdays: "21:00-07:00", weekends: all}, monthly_budget: 4h}
    latency: [{check: employee-properties, threshold: 2s, target: 95%, exclude: [backup-window]}]
    credits: [{below: 95.0%, credit: 100%}, {below: 99.9%, credit: 10%}, {below: 99.0%, credit: 25%}]
  - customer: globex
    timezone: UTC
    components: [insite]
    availability_target: 99.5%
windows:
  backup-window: {daily: "00:00-02:00", timezone: Europe/Amsterdam}
`

func TestSLAParsed(t *testing.T) {
	cfg, err := Parse("sla.yml", []byte(validSLA))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.SLAs) != 2 {
		t.Fatalf("%d SLAs, want 2", len(cfg.SLAs))
	}
	s := cfg.SLAs[0]
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"customer", s.Customer, "acme"},
		{"timezone", s.Timezone, "Europe/Amsterdam"},
		{"components", strings.Join(s.Components, ","), "profit,insite"},
		{"availability_target", s.AvailabilityTarget, Percent(999_000)},
		{"notice", s.Maintenance.Notice.D(), 120 * time.Hour},
		{"weekdays", s.Maintenance.AllowedHours.Weekdays, "21:00-07:00"},
		{"weekends", s.Maintenance.AllowedHours.Weekends, "all"},
		{"monthly_budget", s.Maintenance.MonthlyBudget.D(), 4 * time.Hour},
		{"latency check", s.Latency[0].Check, "employee-properties"},
		{"latency threshold", s.Latency[0].Threshold.D(), 2 * time.Second},
		{"latency target", s.Latency[0].Target, Percent(950_000)},
		{"latency exclude", strings.Join(s.Latency[0].Exclude, ","), "backup-window"},
		{"credits kept in file order", s.Credits[0], CreditTier{Below: 950_000, Credit: 1_000_000}},
		{"credit tier 2", s.Credits[1], CreditTier{Below: 999_000, Credit: 100_000}},
		{"credit tier 3", s.Credits[2], CreditTier{Below: 990_000, Credit: 250_000}},
		{"no maintenance terms", cfg.SLAs[1].Maintenance.AllowedHours == nil && cfg.SLAs[1].Maintenance.MonthlyBudget == 0, true},
		{"window", cfg.Windows["backup-window"], DailyWindow{Daily: "00:00-02:00", Timezone: "Europe/Amsterdam"}},
		{"admin_token", cfg.Server.AdminToken, "0123456789abcdef"},
		{"report_token", cfg.Server.ReportToken, "fedcba9876543210"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	for _, s := range cfg.SLAs {
		if _, err := time.LoadLocation(s.Timezone); err != nil {
			t.Errorf("validated time zone %q does not load: %v", s.Timezone, err)
		}
	}
}

func TestTokensEmptyMeansOff(t *testing.T) {
	cfg, err := Parse("x.yml", []byte("server:\n  admin_token: ${VIGIL_TEST_UNSET_TOKEN:-}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.AdminToken != "" || cfg.Server.ReportToken != "" {
		t.Errorf("tokens = %q, %q; want both empty", cfg.Server.AdminToken, cfg.Server.ReportToken)
	}
}

func TestTokensNeverInErrors(t *testing.T) {
	for _, secret := range []string{"hunter2", "hunter2-hunter2-hunter2\n", "hunter2-hunter2-hunter2"} {
		t.Setenv("VIGIL_TEST_ADMIN_TOKEN", secret)
		t.Setenv("VIGIL_TEST_REPORT_TOKEN", secret)
		yml := "server:\n  admin_token: ${VIGIL_TEST_ADMIN_TOKEN}\n  report_token: ${VIGIL_TEST_REPORT_TOKEN}\n"
		_, err := Parse("secret.yml", []byte(yml))
		if err == nil {
			t.Fatalf("token %q: no error", secret)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error leaks the token:\n%v", err)
		}
	}
}

func TestDefaultSLA(t *testing.T) {
	cfg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.AdminToken != "" && os.Getenv("VIGIL_ADMIN_TOKEN") == "" {
		t.Errorf("admin_token = %q without VIGIL_ADMIN_TOKEN", cfg.Server.AdminToken)
	}
	if len(cfg.SLAs) != 1 {
		t.Fatalf("%d SLAs, want 1", len(cfg.SLAs))
	}
	s := cfg.SLAs[0]
	if s.Customer != "demo-customer" || s.Timezone != "Europe/Amsterdam" || strings.Join(s.Components, ",") != "profit,api" ||
		s.AvailabilityTarget != 999_000 {
		t.Errorf("demo SLA = %+v", s)
	}
	m := s.Maintenance
	if m.Notice.D() != 120*time.Hour || m.AllowedHours == nil || *m.AllowedHours != (AllowedHours{"21:00-07:00", "all"}) || m.MonthlyBudget.D() != 4*time.Hour {
		t.Errorf("demo maintenance terms = %+v", m)
	}
	var screens []string
	for _, o := range s.Latency {
		screens = append(screens, o.Check)
		if o.Threshold.D() != 2*time.Second || o.Target != 950_000 || strings.Join(o.Exclude, ",") != "backup-window" {
			t.Errorf("latency objective = %+v", o)
		}
	}
	if got := strings.Join(screens, ","); got != "employee-properties,sales-relation-properties,purchase-relation-properties" {
		t.Errorf("key screens = %s", got)
	}
	want := []CreditTier{{999_000, 100_000}, {990_000, 250_000}, {950_000, 1_000_000}}
	if len(s.Credits) != len(want) {
		t.Fatalf("credits = %+v", s.Credits)
	}
	for i := range want {
		if s.Credits[i] != want[i] {
			t.Errorf("credit tier %d = %+v, want %+v", i, s.Credits[i], want[i])
		}
	}
	if w := cfg.Windows["backup-window"]; w != (DailyWindow{"00:00-02:00", "Europe/Amsterdam"}) {
		t.Errorf("backup-window = %+v", w)
	}
}

func TestSLAProblemsReportedTogether(t *testing.T) {
	yml := `components:
  - id: web
checks:
  - name: home
    component: web
    tcp: {address: example.com:443}
slas:
  - customer: Acme
    timezone: Mars/Olympus
    components: [web, shop]
    latency:
      - check: home
        target: 95%
        exclude: [backup]
    credits:
      - {below: 99%, credit: 10%}
      - {below: 99%, credit: 0%}
`
	_, err := Parse("many.yml", []byte(yml))
	want := strings.Join([]string{
		`many.yml:8: customer "Acme" may only hold a-z, 0-9, _ and -, starting with a letter or digit; write "acme"`,
		`many.yml:8: sla has no availability_target; write the availability promised, e.g. 99.9%`,
		`many.yml:9: timezone "Mars/Olympus" is not a known time zone; write an IANA zone such as Europe/Amsterdam`,
		`many.yml:10: component "shop" is not defined under components; use one of: web`,
		`many.yml:12: threshold must be longer than 0; write the time a screen may take, e.g. 2s`,
		`many.yml:14: window "backup" is not defined; add it under windows, e.g. backup: {daily: "00:00-02:00", timezone: Europe/Amsterdam}`,
		`many.yml:17: below 99% is already used at line 16; give each tier its own below`,
		`many.yml:17: credit 0% credits nothing; remove the tier or write e.g. credit: 10%`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got: %v\nwant: %s", err, want)
	}
}

// TestZoneDatabaseEmbedded guards the embedded zone database: without it
// the time zones validation accepts fail to load where the system has
// none, such as in a distroless container.
func TestZoneDatabaseEmbedded(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(pkg.Imports, "time/tzdata") {
		t.Errorf(`package configs does not import _ "time/tzdata"; imports: %v`, pkg.Imports)
	}
}
