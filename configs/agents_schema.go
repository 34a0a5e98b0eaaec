package configs

import "slices"

// Agent is a remote probing location: `vigil agent -location <Location>`
// runs there the checks meant for it and ships their results to this
// server, which stores them under that location. The SLA's location quorum
// (a check is down in a minute when a strict majority of the locations
// with data fail) then counts it beside the server's own location.
type Agent struct {
	// Location names the place, as checks' locations lists and every
	// result do: a-z, 0-9, _ and -, unique, not the server's location.
	Location string `yaml:"location"`
	// Token is the agent's bearer token, which names its location: an
	// agent may only send results of its own location. Write it as
	// ${VIGIL_AGENT_AMS_TOKEN}; the agent reads the same value from
	// VIGIL_AGENT_TOKEN. At least 16 characters, unique, never logged.
	Token string `yaml:"token"`
}

// RunsAt reports whether the check runs at location: its locations list
// names it, or is empty (every location runs it).
func (c *Check) RunsAt(location string) bool {
	return len(c.Locations) == 0 || slices.Contains(c.Locations, location)
}

// AgentLocations lists the locations of the configured agents, in order.
func (c *Config) AgentLocations() []string {
	out := make([]string, 0, len(c.Agents))
	for _, a := range c.Agents {
		out = append(out, a.Location)
	}
	return out
}
