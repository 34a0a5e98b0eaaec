package configs

import (
	"fmt"
	"sort"
	"strings"
)

// validateAgents checks the agents and the locations lists of the checks,
// which may name this server's location and the agents' only: a name
// outside them is a typo, and a check listing only such names would run
// nowhere. Tokens are never quoted.
func validateAgents(v *collector, cfg *Config) {
	known := map[string]bool{cfg.Location: true}
	locLine := map[string]int{}
	tokenLine := map[string]int{}
	for i, a := range cfg.Agents {
		p := fmt.Sprintf("agents[%d]", i)
		switch {
		case a.Location == "":
			v.add(p+".location", "agent location is empty; name the place the agent probes from, such as \"ams\"")
		case !validName(a.Location):
			v.add(p+".location", "agent location %s may only hold a-z, 0-9, _ and -, starting with a letter or digit; write %q", v.q(p+".location", a.Location), fixName(a.Location))
		case a.Location == cfg.Location:
			v.add(p+".location", "agent location %s is this server's own location; an agent probes from elsewhere: give it a name of its own", v.q(p+".location", a.Location))
		default:
			if line, dup := locLine[a.Location]; dup {
				v.add(p+".location", "location %s already has an agent at line %d; one agent per location, its token names the location", v.q(p+".location", a.Location), line)
			} else {
				locLine[a.Location] = v.idx.line(p + ".location")
				known[a.Location] = true
			}
		}
		validateAgentToken(v, p+".token", a, cfg, tokenLine)
	}
	for i := range cfg.Checks {
		validateCheckLocations(v, fmt.Sprintf("checks[%d]", i), &cfg.Checks[i], cfg.Location, known)
	}
}

// validateAgentToken checks an agent's token: an API token's rules, and
// used by this agent only, since the token alone names the location.
func validateAgentToken(v *collector, p string, a Agent, cfg *Config, seen map[string]int) {
	validateSecret(v, p, "agent token", a.Token, agentEnv(a.Location), "e.g. from openssl rand -hex 32")
	if a.Token == "" {
		return
	}
	s := &cfg.Server
	switch {
	case a.Token == s.AdminToken:
		v.add(p, "agent token is the same as admin_token; give each agent its own token, so that an agent cannot change maintenance")
	case a.Token == s.ReportToken:
		v.add(p, "agent token is the same as report_token; give each agent its own token, so that an agent cannot fetch reports")
	case a.Token == s.HeartbeatToken || heartbeatUses(cfg, a.Token):
		v.add(p, "agent token is the same as a heartbeat token; give each agent its own token, so that a job that pings cannot send results")
	default:
		if line, dup := seen[a.Token]; dup {
			v.add(p, "agent token is the same as the one at line %d; give each agent its own token: the token names the agent's location", line)
			return
		}
		seen[a.Token] = v.idx.line(p)
	}
}

// heartbeatUses reports whether a heartbeat check has token as its own.
func heartbeatUses(cfg *Config, token string) bool {
	for _, ch := range cfg.Checks {
		if ch.Heartbeat != nil && ch.Heartbeat.Token == token {
			return true
		}
	}
	return false
}

// agentEnv suggests how to write an agent's token: from a variable named
// after its location, ${VIGIL_AGENT_AMS_TOKEN}.
func agentEnv(location string) string {
	name := "LOCATION"
	if validName(location) {
		name = strings.ToUpper(strings.ReplaceAll(location, "-", "_"))
	}
	return "${VIGIL_AGENT_" + name + "_TOKEN}"
}

// validateCheckLocations checks a check's locations list against the
// known locations (the server's and the agents').
func validateCheckLocations(v *collector, p string, ch *Check, server string, known map[string]bool) {
	if len(ch.Locations) == 0 {
		return
	}
	if ch.Heartbeat != nil {
		v.add(p+".locations", "locations mean nothing for a heartbeat: the job pings this server; remove locations")
		return
	}
	listed := map[string]bool{}
	for j, loc := range ch.Locations {
		lp := fmt.Sprintf("%s.locations[%d]", p, j)
		switch {
		case !validName(loc):
			v.add(lp, "location %s may only hold a-z, 0-9, _ and -, starting with a letter or digit; write %q", v.q(lp, loc), fixName(loc))
		case listed[loc]:
			v.add(lp, "location %s is listed twice; list each location once", v.q(lp, loc))
		case !known[loc]:
			v.add(lp, "location %s is neither this server's location (%s) nor an agent's; use one of: %s, or add an agent for it under agents",
				v.q(lp, loc), server, knownLocations(known))
		}
		listed[loc] = true
	}
}

// knownLocations lists location names for a message.
func knownLocations(known map[string]bool) string {
	list := make([]string, 0, len(known))
	for l := range known {
		list = append(list, l)
	}
	sort.Strings(list)
	return strings.Join(list, ", ")
}
