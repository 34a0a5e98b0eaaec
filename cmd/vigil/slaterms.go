package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/sla"
)

// findSLA returns the configured SLA of customer, or an error that lists
// the known customers.
func findSLA(cfg *configs.Config, customer string) (*configs.SLA, error) {
	for i := range cfg.SLAs {
		if cfg.SLAs[i].Customer == customer {
			return &cfg.SLAs[i], nil
		}
	}
	known := customers(cfg)
	if len(known) == 0 {
		return nil, fmt.Errorf("unknown customer %q: the config has no slas: add one under slas", customer)
	}
	return nil, fmt.Errorf("unknown customer %q: the config knows %s", customer, strings.Join(known, ", "))
}

// customers lists the customers with an SLA, sorted.
func customers(cfg *configs.Config) []string {
	out := make([]string, 0, len(cfg.SLAs))
	for _, s := range cfg.SLAs {
		out = append(out, s.Customer)
	}
	slices.Sort(out)
	return out
}

// termsFor translates customer's SLA from the config into sla.Terms:
// percentages as ppm, durations as milliseconds, clock spans as sla.Hours
// and named windows as sla.DailyWindow in their own zones. The config is
// already validated; errors here mean a config and this translation
// disagree, and say which field.
func termsFor(cfg *configs.Config, customer string) (sla.Terms, error) {
	s, err := findSLA(cfg, customer)
	if err != nil {
		return sla.Terms{}, err
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return sla.Terms{}, fmt.Errorf("sla %s: time zone %q: %w", customer, s.Timezone, err)
	}
	t := sla.Terms{
		Customer:              s.Customer,
		Location:              loc,
		Components:            slices.Clone(s.Components),
		CheckComponents:       make(map[string]string, len(cfg.Checks)),
		AvailabilityTargetPPM: int64(s.AvailabilityTarget),
		Notice:                s.Maintenance.Notice.D(),
		MonthlyBudget:         s.Maintenance.MonthlyBudget.D(),
	}
	for _, c := range cfg.Checks {
		t.CheckComponents[c.Name] = c.Component
	}
	if a := s.Maintenance.AllowedHours; a != nil {
		wd, err := hoursFrom(a.Weekdays)
		if err != nil {
			return sla.Terms{}, fmt.Errorf("sla %s: maintenance.allowed_hours.weekdays: %w", customer, err)
		}
		we, err := hoursFrom(a.Weekends)
		if err != nil {
			return sla.Terms{}, fmt.Errorf("sla %s: maintenance.allowed_hours.weekends: %w", customer, err)
		}
		t.AllowedHours = &sla.AllowedHours{Weekdays: wd, Weekends: we}
	}
	for _, o := range s.Latency {
		obj, err := objectiveFrom(cfg, o)
		if err != nil {
			return sla.Terms{}, fmt.Errorf("sla %s: latency objective %s: %w", customer, o.Check, err)
		}
		t.Latency = append(t.Latency, obj)
	}
	for _, c := range s.Credits {
		if c.Credit%10_000 != 0 {
			return sla.Terms{}, fmt.Errorf("sla %s: credit %s below %s: write a whole percentage", customer, c.Credit, c.Below)
		}
		t.Credits = append(t.Credits, sla.Tier{BelowPPM: int64(c.Below), CreditPercent: int64(c.Credit) / 10_000})
	}
	return t, nil
}

// hoursFrom reads a clock span of the config ("all", "none", "21:00-07:00").
func hoursFrom(s string) (sla.Hours, error) {
	from, to, allDay, err := configs.ParseClockSpan(s)
	switch {
	case err != nil:
		return sla.Hours{}, err
	case allDay:
		return sla.Hours{Kind: sla.HoursAll}, nil
	case from == to:
		return sla.Hours{Kind: sla.HoursNone}, nil
	}
	return sla.Hours{Kind: sla.HoursSpan, Span: sla.Span{From: timeOfDay(from), To: timeOfDay(to)}}, nil
}

func timeOfDay(d time.Duration) sla.TimeOfDay { return sla.TimeOfDay(d / time.Minute) }

// objectiveFrom translates one latency objective, with its named
// exclusion windows.
func objectiveFrom(cfg *configs.Config, o configs.LatencyObjective) (sla.LatencyObjective, error) {
	th := o.Threshold.D()
	if th%time.Millisecond != 0 {
		return sla.LatencyObjective{}, fmt.Errorf("threshold %s is not whole milliseconds", o.Threshold)
	}
	obj := sla.LatencyObjective{Check: o.Check, ThresholdMS: th.Milliseconds(), TargetPPM: int64(o.Target)}
	for _, name := range o.Exclude {
		w, ok := cfg.Windows[name]
		if !ok {
			return sla.LatencyObjective{}, fmt.Errorf("exclusion window %q is not defined under windows", name)
		}
		from, to, allDay, err := configs.ParseClockSpan(w.Daily)
		if err != nil || allDay || from == to {
			return sla.LatencyObjective{}, fmt.Errorf("window %s: daily %q is not a span HH:MM-HH:MM", name, w.Daily)
		}
		var loc *time.Location // nil: the SLA's zone
		if w.Timezone != "" {
			if loc, err = time.LoadLocation(w.Timezone); err != nil {
				return sla.LatencyObjective{}, fmt.Errorf("window %s: time zone %q: %w", name, w.Timezone, err)
			}
		}
		obj.Exclude = append(obj.Exclude, sla.DailyWindow{From: timeOfDay(from), To: timeOfDay(to), Location: loc})
	}
	return obj, nil
}

// slaChecks returns the checks whose results an SLA needs, sorted: those
// covering a component in scope and those with a latency objective.
func slaChecks(cfg *configs.Config, t sla.Terms) []string {
	var out []string
	for _, c := range cfg.Checks {
		if slices.Contains(t.Components, c.Component) ||
			slices.ContainsFunc(t.Latency, func(o sla.LatencyObjective) bool { return o.Check == c.Name }) {
			out = append(out, c.Name)
		}
	}
	slices.Sort(out)
	return out
}
