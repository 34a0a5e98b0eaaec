package configs

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// minTokenLength is the shortest API token accepted.
const minTokenLength = 16

// validateTokens checks the API tokens without ever quoting them.
func validateTokens(v *collector, s *Server) {
	for _, t := range []struct{ key, value, empty string }{
		{"admin_token", s.AdminToken, "turn the admin API off"},
		{"report_token", s.ReportToken, "turn the report API off"},
		{"heartbeat_token", s.HeartbeatToken, "give each heartbeat a token of its own"},
	} {
		path := "server." + t.key
		switch {
		case t.value == "":
			// Allowed: see t.empty for what it means.
		case strings.IndexFunc(t.value, unicode.IsSpace) >= 0:
			v.add(path, "%s holds white space; remove it (a token read from a file often ends in a line break)", t.key)
		case len(t.value) < minTokenLength:
			v.add(path, "%s is too short; use at least %d random characters, e.g. from openssl rand -hex 32, or leave it empty to %s", t.key, minTokenLength, t.empty)
		}
	}
	if s.AdminToken != "" && s.AdminToken == s.ReportToken {
		v.add("server.report_token", "report_token is the same as admin_token; give each API its own token, so that whoever fetches reports cannot change maintenance")
	}
}

// validateWindows checks the named daily windows and returns the set of
// names defined.
func validateWindows(v *collector, ws map[string]DailyWindow) map[string]bool {
	names := make([]string, 0, len(ws))
	for name := range ws {
		names = append(names, name)
	}
	sort.Strings(names)
	known := map[string]bool{}
	for _, name := range names {
		w := ws[name]
		p := joinPath("windows", name)
		known[name] = true
		if !validName(name) {
			v.add(p, "window name %q may only hold a-z, 0-9, _ and -, starting with a letter or digit; write %q", name, fixName(name))
		}
		from, to, allDay, err := ParseClockSpan(w.Daily)
		var empty emptySpanError
		switch {
		case errors.As(err, &empty):
			v.add(p+".daily", "window daily %s starts where it ends; write the span the window covers, such as \"00:00-02:00\"", v.q(p+".daily", w.Daily))
		case err != nil || allDay || from == to:
			v.add(p+".daily", "window daily %s is not a span of the day; write \"HH:MM-HH:MM\" such as \"00:00-02:00\" (hours 00 to 24, minutes 00 to 59, 24:00 only as an end; it may wrap midnight)", v.q(p+".daily", w.Daily))
		}
		validateZone(v, p+".timezone", w.Timezone)
	}
	return known
}

// validateZone checks an IANA time zone name.
func validateZone(v *collector, path, zone string) {
	const how = "write an IANA zone such as Europe/Amsterdam"
	switch zone {
	case "":
		v.add(path, "timezone is empty; %s", how)
	case "Local":
		v.add(path, "timezone \"Local\" depends on the machine vigil runs on; %s", how)
	default:
		if _, err := time.LoadLocation(zone); err != nil {
			v.add(path, "timezone %s is not a known time zone; %s", v.q(path, zone), how)
		}
	}
}

// validateSLAs checks every SLA against the components, checks and
// windows defined. ids holds the valid component ids.
func validateSLAs(v *collector, cfg *Config, ids, windows map[string]bool) {
	checkComp := map[string]string{} // check name -> component
	var checkNames []string
	covered := map[string]bool{} // components that have a check
	for _, ch := range cfg.Checks {
		if _, dup := checkComp[ch.Name]; ch.Name == "" || dup {
			continue
		}
		checkComp[ch.Name] = ch.Component
		checkNames = append(checkNames, ch.Name)
		covered[ch.Component] = true
	}
	customers := map[string]int{}
	for i := range cfg.SLAs {
		p := fmt.Sprintf("slas[%d]", i)
		s := &cfg.SLAs[i]
		validateCustomer(v, p+".customer", s.Customer, customers)
		validateZone(v, p+".timezone", s.Timezone)
		scope := validateScope(v, p, s.Components, ids, covered)
		switch {
		case !v.idx.set(p + ".availability_target"):
			v.add(p+".availability_target", "sla has no availability_target; write the availability promised, e.g. 99.9%%")
		case s.AvailabilityTarget == 0:
			v.add(p+".availability_target", "availability_target 0%% promises nothing; write the availability promised, e.g. 99.9%%")
		}
		validateMaintenance(v, p+".maintenance", &s.Maintenance)
		var inScope []string // checks of the SLA's components, in file order
		for _, name := range checkNames {
			if scope[checkComp[name]] {
				inScope = append(inScope, name)
			}
		}
		for j := range s.Latency {
			validateLatency(v, fmt.Sprintf("%s.latency[%d]", p, j), &s.Latency[j], checkComp, scope, inScope, checkNames, windows)
		}
		validateCredits(v, p, s)
	}
}

// validateCustomer checks a customer id; first maps the ids seen so far
// to their lines.
func validateCustomer(v *collector, path, c string, first map[string]int) {
	switch {
	case c == "":
		v.add(path, "sla has no customer; give every SLA the short unique id of its customer, such as \"acme\"")
		return
	case !validName(c):
		v.add(path, "customer %s may only hold a-z, 0-9, _ and -, starting with a letter or digit; write %q", v.q(path, c), fixName(c))
	}
	if line, dup := first[c]; dup {
		v.add(path, "customer %s already has an SLA at line %d; keep one SLA per customer", v.q(path, c), line)
		return
	}
	first[c] = v.idx.line(path)
}

// validateScope checks an SLA's components and returns those in scope.
func validateScope(v *collector, p string, comps []string, ids, covered map[string]bool) map[string]bool {
	scope := map[string]bool{}
	if len(comps) == 0 {
		if len(ids) == 0 {
			v.add(p+".components", "sla has no components; define the parts of the product it covers under components and list their ids here")
		} else {
			v.add(p+".components", "sla has no components; list the ones it covers, from: %s", knownIDs(ids))
		}
	}
	for j, c := range comps {
		path := fmt.Sprintf("%s.components[%d]", p, j)
		switch {
		case scope[c]:
			v.add(path, "component %s is already listed; list each component once", v.q(path, c))
		case !ids[c] && len(ids) == 0:
			v.add(path, "component %s is not defined; add it under components", v.q(path, c))
		case !ids[c]:
			v.add(path, "component %s is not defined under components; use one of: %s", v.q(path, c), knownIDs(ids))
		case !covered[c]:
			v.add(path, "component %s has no check, so its availability cannot be measured; add a check with component: %s, or remove it from this SLA", v.q(path, c), c)
		}
		scope[c] = true
	}
	return scope
}

// validateMaintenance checks the maintenance terms at path.
func validateMaintenance(v *collector, path string, m *MaintenanceTerms) {
	if ah := m.AllowedHours; ah != nil {
		validateHours(v, path+".allowed_hours.weekdays", "weekdays", ah.Weekdays)
		validateHours(v, path+".allowed_hours.weekends", "weekends", ah.Weekends)
	}
	b := path + ".monthly_budget"
	switch {
	case !v.idx.set(b):
	case m.MonthlyBudget == 0:
		v.add(b, "monthly_budget 0s cannot be told from no budget; leave it out for no limit, write the time planned maintenance may exclude per month (e.g. 4h), or set allowed_hours to none to exclude no maintenance at all")
	case m.MonthlyBudget.D()%time.Minute != 0:
		v.add(b, "monthly_budget %s is not a whole number of minutes; the budget is spent a minute at a time: write e.g. 4h or 90m", m.MonthlyBudget)
	}
}

// validateHours checks one entry of allowed_hours.
func validateHours(v *collector, path, key, value string) {
	if _, _, _, err := ParseClockSpan(value); err != nil {
		msg := err.Error()
		if raw, ok := v.idx.raw[path]; ok {
			msg = strings.ReplaceAll(msg, strconv.Quote(value), strconv.Quote(raw))
		}
		v.add(path, "allowed_hours %s: %s", key, msg)
	}
}

// validateLatency checks one latency objective at p.
func validateLatency(v *collector, p string, o *LatencyObjective, checkComp map[string]string, scope map[string]bool, inScope, all []string, windows map[string]bool) {
	choices := inScope
	if len(choices) == 0 {
		choices = all
	}
	cp := p + ".check"
	comp, known := checkComp[o.Check]
	switch {
	case o.Check == "" && len(choices) == 0:
		v.add(cp, "latency objective has no check; define the check of the key screen under checks and name it here")
	case o.Check == "":
		v.add(cp, "latency objective has no check; name the check of a key screen, one of: %s", strings.Join(choices, ", "))
	case !known && len(choices) == 0:
		v.add(cp, "check %s is not defined; add it under checks", v.q(cp, o.Check))
	case !known:
		v.add(cp, "check %s is not defined under checks; use one of: %s", v.q(cp, o.Check), strings.Join(choices, ", "))
	case !scope[comp] && len(inScope) == 0:
		v.add(cp, "check %s watches component %q, which this SLA does not cover; add %s to the SLA's components", v.q(cp, o.Check), comp, comp)
	case !scope[comp]:
		v.add(cp, "check %s watches component %q, which this SLA does not cover; add %s to the SLA's components, or use one of its checks: %s", v.q(cp, o.Check), comp, comp, strings.Join(inScope, ", "))
	}
	tp := p + ".threshold"
	switch {
	case o.Threshold <= 0:
		v.add(tp, "threshold must be longer than 0; write the time a screen may take, e.g. 2s")
	case o.Threshold.D()%time.Millisecond != 0:
		v.add(tp, "threshold %s is not a whole number of milliseconds, the unit probes are timed in; write e.g. 2s or 1500ms", o.Threshold)
	}
	switch tp := p + ".target"; {
	case !v.idx.set(tp):
		v.add(tp, "latency objective has no target; write the share of probes that must be fast enough, e.g. 95%%")
	case o.Target == 0:
		v.add(tp, "target 0%% promises nothing; write the share of probes that must be fast enough, e.g. 95%%")
	}
	for k, w := range o.Exclude {
		ep := fmt.Sprintf("%s.exclude[%d]", p, k)
		switch {
		case windows[w]:
		case len(windows) == 0:
			v.add(ep, "window %s is not defined; add it under windows, e.g. %s: {daily: \"00:00-02:00\", timezone: Europe/Amsterdam}", v.q(ep, w), fixName(w))
		default:
			v.add(ep, "window %s is not defined under windows; use one of: %s", v.q(ep, w), knownIDs(windows))
		}
	}
}

// validateCredits checks the credit tiers of the SLA at p.
func validateCredits(v *collector, p string, s *SLA) {
	type tier struct {
		CreditTier
		line int
		path string
	}
	var ok []tier
	firstBelow := map[Percent]int{}
	for k, c := range s.Credits {
		cp := fmt.Sprintf("%s.credits[%d]", p, k)
		good := true
		switch bp := cp + ".below"; {
		case !v.idx.set(bp):
			v.add(bp, "credit tier has no below; write the availability under which the credit is owed, e.g. below: 99.9%%")
			good = false
		case c.Below == 0:
			v.add(bp, "below 0%% never applies, as availability cannot fall under 0%%; write e.g. below: 95%%")
			good = false
		case s.AvailabilityTarget > 0 && c.Below > s.AvailabilityTarget:
			v.add(bp, "below %s is above the availability_target %s, so a month that meets the target would still earn a credit; write at most %s", c.Below, s.AvailabilityTarget, s.AvailabilityTarget)
			good = false
		default:
			if line, dup := firstBelow[c.Below]; dup {
				v.add(bp, "below %s is already used at line %d; give each tier its own below", c.Below, line)
				good = false
			} else {
				firstBelow[c.Below] = v.idx.line(bp)
			}
		}
		switch crp := cp + ".credit"; {
		case !v.idx.set(crp):
			v.add(crp, "credit tier has no credit; write the share of the monthly fee credited, e.g. credit: 10%%")
			good = false
		case c.Credit == 0:
			v.add(crp, "credit 0%% credits nothing; remove the tier or write e.g. credit: 10%%")
			good = false
		case c.Credit%10_000 != 0:
			v.add(crp, "credit %s is not a whole percentage; credits are whole percentages of the monthly fee, e.g. 10%%", c.Credit)
			good = false
		}
		if good {
			ok = append(ok, tier{c, v.idx.line(cp + ".credit"), cp + ".credit"})
		}
	}
	// A lower availability must never earn a smaller credit.
	sort.SliceStable(ok, func(i, j int) bool { return ok[i].Below > ok[j].Below })
	for i := 1; i < len(ok); i++ {
		hi := ok[0]
		for _, t := range ok[:i] {
			if t.Credit > hi.Credit {
				hi = t
			}
		}
		if t := ok[i]; t.Credit < hi.Credit {
			v.add(t.path, "credit %s for below %s is less than the %s for below %s at line %d; a lower availability must not earn a smaller credit", t.Credit, t.Below, hi.Credit, hi.Below, hi.line)
		}
	}
}
