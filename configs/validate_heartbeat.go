package configs

import (
	"fmt"
	"strings"
	"time"
)

// minHeartbeatPeriod is the shortest heartbeat period: a missing heartbeat
// is reported once per period, and like a probe at most once a second.
const minHeartbeatPeriod = time.Second

// validateHeartbeat checks a heartbeat; p is "checks[i].heartbeat". A
// heartbeat is passive: vigil never runs it, so interval and timeout mean
// nothing on it and are errors rather than silently ignored. Its token is
// checked by validateHeartbeatTokens, which knows the server's.
func validateHeartbeat(v *collector, p string, h *HeartbeatCheck) {
	switch {
	case h.Period <= 0:
		v.add(p+".period", "heartbeat period is missing or zero; write how often the job pings, e.g. period: 6h")
	case h.Period.D() < minHeartbeatPeriod:
		v.add(p+".period", "heartbeat period %s is too short; a missing heartbeat is reported once per period: write 1s or more, e.g. period: 6h", h.Period)
	}
	check := strings.TrimSuffix(p, ".heartbeat")
	if v.idx.set(check + ".interval") {
		v.add(check+".interval", "interval means nothing for a heartbeat: vigil does not probe it, the job pings; remove interval and set heartbeat.period to how often the job runs")
	}
	if v.idx.set(check + ".timeout") {
		v.add(check+".timeout", "timeout means nothing for a heartbeat: vigil does not probe it, the job pings; remove timeout, and set heartbeat.grace to how late a ping may be")
	}
}

// validateHeartbeatTokens checks that every heartbeat can be pinged, that
// its own token follows the rules of the API tokens, and that no heartbeat
// token opens another API: the jobs that ping keep their token on many
// machines, so it must not change maintenance or fetch reports. Tokens
// are never quoted.
func validateHeartbeatTokens(v *collector, cfg *Config) {
	s := &cfg.Server
	sameAs := func(path, what, token string) {
		switch {
		case token == "":
		case token == s.AdminToken:
			v.add(path, "%s is the same as admin_token; give heartbeats their own token, so that a job that pings cannot change maintenance", what)
		case token == s.ReportToken:
			v.add(path, "%s is the same as report_token; give heartbeats their own token, so that a job that pings cannot fetch reports", what)
		}
	}
	sameAs("server.heartbeat_token", "heartbeat_token", s.HeartbeatToken)
	for i := range cfg.Checks {
		ch := &cfg.Checks[i]
		if ch.Heartbeat == nil {
			continue
		}
		p := fmt.Sprintf("checks[%d].heartbeat", i)
		env := heartbeatEnv(ch.Name)
		switch {
		case ch.Heartbeat.Token != "":
			validateSecret(v, p+".token", "heartbeat token", ch.Heartbeat.Token, env, "e.g. from openssl rand -hex 32")
		case s.HeartbeatToken == "":
			v.add(p, "heartbeat has no token, so no job could ping it; write token: %s under heartbeat, or set server.heartbeat_token: ${VIGIL_HEARTBEAT_TOKEN} for every heartbeat", env)
		}
		sameAs(p+".token", "heartbeat token", ch.Heartbeat.Token)
	}
}

// heartbeatEnv suggests how to write a check's heartbeat token: from an
// environment variable named after the check, ${NIGHTLY_BACKUP_TOKEN}.
func heartbeatEnv(check string) string {
	name := "HEARTBEAT"
	if validName(check) {
		name = strings.ToUpper(strings.ReplaceAll(check, "-", "_"))
	}
	return "${" + name + "_TOKEN}"
}
