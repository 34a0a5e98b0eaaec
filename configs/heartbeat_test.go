package configs

import (
	"strings"
	"testing"
	"time"
)

var _ = addInvalidCases([]invalidCase{
	{"invalid-heartbeat-period-missing.yml", `invalid-heartbeat-period-missing.yml:8: heartbeat period is missing or zero; write how often the job pings, e.g. period: 6h`},
	{"invalid-heartbeat-period-zero.yml", `invalid-heartbeat-period-zero.yml:9: heartbeat period is missing or zero; write how often the job pings, e.g. period: 6h`},
	{"invalid-heartbeat-period-short.yml", `invalid-heartbeat-period-short.yml:9: heartbeat period 500ms is too short; a missing heartbeat is reported once per period: write 1s or more, e.g. period: 6h`},
	{"invalid-heartbeat-grace-negative.yml", `invalid-heartbeat-grace-negative.yml:10: duration "-30m" is negative; write a positive duration such as 30s`},
	{"invalid-heartbeat-no-token.yml", `invalid-heartbeat-no-token.yml:6: heartbeat has no token, so no job could ping it; write token: ${NIGHTLY_BACKUP_TOKEN} under heartbeat, or set server.heartbeat_token: ${VIGIL_HEARTBEAT_TOKEN} for every heartbeat`},
	{"invalid-heartbeat-token-short.yml", `invalid-heartbeat-token-short.yml:8: heartbeat token is too short; use at least 16 characters: e.g. from openssl rand -hex 32`},
	{"invalid-heartbeat-token-space.yml", `invalid-heartbeat-token-space.yml:8: heartbeat token holds white space; remove it (a secret read from a file often ends in a line break)`},
	{"invalid-heartbeat-token-admin.yml", `invalid-heartbeat-token-admin.yml:10: heartbeat token is the same as admin_token; give heartbeats their own token, so that a job that pings cannot change maintenance`},
	{"invalid-heartbeat-server-token-short.yml", `invalid-heartbeat-server-token-short.yml:2: heartbeat_token is too short; use at least 16 random characters, e.g. from openssl rand -hex 32, or leave it empty to give each heartbeat a token of its own`},
	{"invalid-heartbeat-server-token-report.yml", `invalid-heartbeat-server-token-report.yml:3: heartbeat_token is the same as report_token; give heartbeats their own token, so that a job that pings cannot fetch reports`},
	{"invalid-heartbeat-interval.yml", `invalid-heartbeat-interval.yml:8: interval means nothing for a heartbeat: vigil does not probe it, the job pings; remove interval and set heartbeat.period to how often the job runs`},
	{"invalid-heartbeat-timeout.yml", `invalid-heartbeat-timeout.yml:8: timeout means nothing for a heartbeat: vigil does not probe it, the job pings; remove timeout, and set heartbeat.grace to how late a ping may be`},
}...)

const heartbeatYAML = `
server:
  heartbeat_token: ${VIGIL_TEST_HB_SERVER}
components:
  - id: backups
checks:
  - name: nightly-backup
    component: backups
    heartbeat: {period: 6h, grace: 30m}  # RPO: at most 6 hours
  - name: invoice-run
    component: backups
    heartbeat:
      period: 24h
      token: ${VIGIL_TEST_HB_INVOICES}
`

func TestHeartbeatChecks(t *testing.T) {
	t.Setenv("VIGIL_TEST_HB_SERVER", "server-heartbeat-0123456789")
	t.Setenv("VIGIL_TEST_HB_INVOICES", "invoices-heartbeat-0123456789")
	cfg, err := Parse("heartbeat.yml", []byte(heartbeatYAML))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Server.HeartbeatToken; got != "server-heartbeat-0123456789" {
		t.Errorf("server.heartbeat_token = %q", got)
	}
	backup, invoices := cfg.Checks[0], cfg.Checks[1]
	if backup.Kind() != "heartbeat" || backup.Heartbeat.Period.D() != 6*time.Hour || backup.Heartbeat.Grace.D() != 30*time.Minute || backup.Heartbeat.Token != "" {
		t.Errorf("nightly-backup = %+v", backup.Heartbeat)
	}
	if invoices.Heartbeat.Period.D() != 24*time.Hour || invoices.Heartbeat.Grace != 0 || invoices.Heartbeat.Token != "invoices-heartbeat-0123456789" {
		t.Errorf("invoice-run = %+v", invoices.Heartbeat)
	}
}

// A check with a token of its own needs no server token; without either
// the check cannot be pinged.
func TestHeartbeatTokenFallback(t *testing.T) {
	t.Setenv("VIGIL_TEST_HB_SERVER", "")
	t.Setenv("VIGIL_TEST_HB_INVOICES", "invoices-heartbeat-0123456789")
	_, err := Parse("heartbeat.yml", []byte(heartbeatYAML))
	want := `heartbeat.yml:9: heartbeat has no token, so no job could ping it; write token: ${NIGHTLY_BACKUP_TOKEN} under heartbeat, or set server.heartbeat_token: ${VIGIL_HEARTBEAT_TOKEN} for every heartbeat`
	if err == nil || err.Error() != want {
		t.Fatalf("error:\n got: %v\nwant: %s", err, want)
	}
}

// Token problems never show the token, also when it is not from the
// environment.
func TestHeartbeatTokenNeverQuoted(t *testing.T) {
	const secret = "hunter2 hunter2 hunter2"
	t.Setenv("VIGIL_TEST_HB_SERVER", "server-heartbeat-0123456789")
	for _, yml := range []string{
		strings.Replace(heartbeatYAML, "${VIGIL_TEST_HB_INVOICES}", `"`+secret+`"`, 1),
		strings.Replace(heartbeatYAML, "${VIGIL_TEST_HB_INVOICES}", "hunter2", 1),
		strings.Replace(heartbeatYAML, "${VIGIL_TEST_HB_SERVER}", "${VIGIL_TEST_HB_INVOICES}", 1),
	} {
		t.Setenv("VIGIL_TEST_HB_INVOICES", secret)
		_, err := Parse("heartbeat.yml", []byte(yml))
		if err == nil {
			t.Fatalf("no error for\n%s", yml)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error shows the token: %v", err)
		}
	}
}

// Every problem of a heartbeat is reported at once, at its own line.
func TestHeartbeatProblemsTogether(t *testing.T) {
	yml := `
server:
  admin_token: admin-0123456789abcdef
  heartbeat_token: admin-0123456789abcdef
components:
  - id: backups
checks:
  - name: nightly-backup
    component: backups
    interval: 1h
    timeout: 5m
    heartbeat: {grace: 30m}
`
	_, err := Parse("many.yml", []byte(yml))
	want := strings.Join([]string{
		`many.yml:4: heartbeat_token is the same as admin_token; give heartbeats their own token, so that a job that pings cannot change maintenance`,
		`many.yml:10: interval means nothing for a heartbeat: vigil does not probe it, the job pings; remove interval and set heartbeat.period to how often the job runs`,
		`many.yml:11: timeout means nothing for a heartbeat: vigil does not probe it, the job pings; remove timeout, and set heartbeat.grace to how late a ping may be`,
		`many.yml:12: heartbeat period is missing or zero; write how often the job pings, e.g. period: 6h`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got: %v\nwant: %s", err, want)
	}
}
