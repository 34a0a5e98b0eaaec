package configs

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

var _ = addInvalidCases([]invalidCase{
	{"invalid-agents-location-empty.yml", `invalid-agents-location-empty.yml:4: agent location is empty; name the place the agent probes from, such as "ams"`},
	{"invalid-agents-location-charset.yml", `invalid-agents-location-charset.yml:2: agent location "Amsterdam 1" may only hold a-z, 0-9, _ and -, starting with a letter or digit; write "amsterdam-1"`},
	{"invalid-agents-location-server.yml", `invalid-agents-location-server.yml:5: agent location "ams" is this server's own location; an agent probes from elsewhere: give it a name of its own`},
	{"invalid-agents-location-duplicate.yml", `invalid-agents-location-duplicate.yml:4: location "ams" already has an agent at line 2; one agent per location, its token names the location`},
	{"invalid-agents-token-empty.yml", `invalid-agents-token-empty.yml:2: agent token is empty; write it as ${VIGIL_AGENT_AMS_TOKEN} and export the variable`},
	{"invalid-agents-token-short.yml", `invalid-agents-token-short.yml:3: agent token is too short; use at least 16 characters: e.g. from openssl rand -hex 32`},
	{"invalid-agents-token-space.yml", `invalid-agents-token-space.yml:3: agent token holds white space; remove it (a secret read from a file often ends in a line break)`},
	{"invalid-agents-token-admin.yml", `invalid-agents-token-admin.yml:5: agent token is the same as admin_token; give each agent its own token, so that an agent cannot change maintenance`},
	{"invalid-agents-token-report.yml", `invalid-agents-token-report.yml:5: agent token is the same as report_token; give each agent its own token, so that an agent cannot fetch reports`},
	{"invalid-agents-token-heartbeat.yml", `invalid-agents-token-heartbeat.yml:3: agent token is the same as a heartbeat token; give each agent its own token, so that a job that pings cannot send results`},
	{"invalid-agents-token-duplicate.yml", `invalid-agents-token-duplicate.yml:5: agent token is the same as the one at line 3; give each agent its own token: the token names the agent's location`},
	{"invalid-agents-check-location-unknown.yml", `invalid-agents-check-location-unknown.yml:10: location "frankfurt" is neither this server's location (hq) nor an agent's; use one of: ams, fra, hq, or add an agent for it under agents`},
	{"invalid-agents-check-location-twice.yml", `invalid-agents-check-location-twice.yml:10: location "ams" is listed twice; list each location once`},
	{"invalid-agents-check-location-charset.yml", `invalid-agents-check-location-charset.yml:8: location "AMS" may only hold a-z, 0-9, _ and -, starting with a letter or digit; write "ams"`},
	{"invalid-agents-check-location-heartbeat.yml", `invalid-agents-check-location-heartbeat.yml:8: locations mean nothing for a heartbeat: the job pings this server; remove locations`},
}...)

// agentsYAML is a server with two agents; its secrets come from the
// environment, as they should.
const agentsYAML = `
location: hq
server:
  admin_token: ${VIGIL_TEST_AGENTS_ADMIN}
agents:
  - {location: ams, token: "${VIGIL_TEST_AGENT_AMS}"}
  - {location: fra, token: "${VIGIL_TEST_AGENT_FRA}"}
components:
  - id: web
checks:
  - {name: everywhere, component: web, tcp: {address: "example.com:443"}}
  - {name: abroad, component: web, locations: [ams, fra], tcp: {address: "example.com:443"}}
  - {name: at-home, component: web, locations: [hq], tcp: {address: "example.com:443"}}
alerting:
  twilio: {account_sid: "${VIGIL_TEST_TWILIO_SID}", auth_token: "${VIGIL_TEST_TWILIO_TOKEN}", from: "+3197010000000"}
`

func TestAgentsAndCheckLocations(t *testing.T) {
	t.Setenv("VIGIL_TEST_AGENTS_ADMIN", "admin-0123456789abcdef")
	t.Setenv("VIGIL_TEST_AGENT_AMS", "ams-agent-0123456789abcdef")
	t.Setenv("VIGIL_TEST_AGENT_FRA", "fra-agent-0123456789abcdef")
	t.Setenv("VIGIL_TEST_TWILIO_SID", "AC"+strings.Repeat("0", 32))
	t.Setenv("VIGIL_TEST_TWILIO_TOKEN", strings.Repeat("a", 32))
	cfg, err := Parse("agents.yml", []byte(agentsYAML))
	if err != nil {
		t.Fatal(err)
	}
	want := []Agent{{Location: "ams", Token: "ams-agent-0123456789abcdef"}, {Location: "fra", Token: "fra-agent-0123456789abcdef"}}
	if !reflect.DeepEqual(cfg.Agents, want) {
		t.Errorf("agents = %+v", cfg.Agents)
	}
	if got := cfg.AgentLocations(); !reflect.DeepEqual(got, []string{"ams", "fra"}) {
		t.Errorf("AgentLocations() = %v", got)
	}
	runs := map[string][]bool{} // per check: runs at hq, ams, fra
	for _, ch := range cfg.Checks {
		runs[ch.Name] = []bool{ch.RunsAt("hq"), ch.RunsAt("ams"), ch.RunsAt("fra")}
	}
	for name, want := range map[string][]bool{
		"everywhere": {true, true, true},
		"abroad":     {false, true, true},
		"at-home":    {true, false, false},
	} {
		if !reflect.DeepEqual(runs[name], want) {
			t.Errorf("%s runs at hq, ams, fra: %v, want %v", name, runs[name], want)
		}
	}
}

// An agent reads the server's file without the server's secrets in its
// environment; what it uses is still checked.
func TestParseAgentLeavesTheServerSectionsToTheServer(t *testing.T) {
	if _, err := Parse("agents.yml", []byte(agentsYAML)); err == nil {
		t.Fatal("the server parsed its config with its secrets unset")
	}
	cfg, err := ParseAgent("agents.yml", []byte(agentsYAML))
	if err != nil {
		t.Fatalf("agent: %v", err)
	}
	if len(cfg.Checks) != 3 || !reflect.DeepEqual(cfg.AgentLocations(), []string{"ams", "fra"}) {
		t.Errorf("agent config: %d checks, agents %v", len(cfg.Checks), cfg.AgentLocations())
	}

	broken := strings.Replace(agentsYAML, `locations: [ams, fra]`, `locations: [ams, frankfurt]`, 1)
	broken = strings.Replace(broken, `{name: everywhere, component: web, tcp: {address: "example.com:443"}}`,
		`{name: everywhere, component: web, tcp: {address: "${VIGIL_TEST_UNSET_TARGET}"}}`, 1)
	_, err = ParseAgent("agents.yml", []byte(broken))
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("agent with broken checks: %v", err)
	}
	got := probs.Error()
	for _, want := range []string{
		`agents.yml:11: environment variable VIGIL_TEST_UNSET_TARGET is not set`,
		`agents.yml:12: location "frankfurt" is neither this server's location (hq) nor an agent's`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "admin_token") || strings.Contains(got, "VIGIL_TEST_AGENT_AMS") || strings.Contains(got, "twilio") {
		t.Errorf("the agent reports the server's sections:\n%s", got)
	}
}
