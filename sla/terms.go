package sla

import (
	"errors"
	"fmt"
	"time"
)

// Terms are one customer's SLA terms (from config).
type Terms struct {
	Customer string
	// Location is the SLA's time zone: it defines the month, allowed
	// maintenance hours and the daily breakdown.
	Location *time.Location
	// Components is the scope: the components whose availability is owed.
	Components []string
	// CheckComponents says which component each check covers. Checks of
	// components outside the scope are ignored for availability.
	CheckComponents map[string]string
	// AvailabilityTargetPPM is the target in parts per million (99.9% = 999000).
	AvailabilityTargetPPM int64
	// Notice is the announcement time a planned window needs (e.g. 120h).
	Notice time.Duration
	// AllowedHours, when set, are the only hours planned maintenance may use.
	AllowedHours *AllowedHours
	// MonthlyBudget caps the planned minutes excluded per period, in whole
	// minutes; 0 means no cap.
	MonthlyBudget time.Duration
	// Latency lists the latency objectives (the key screens).
	Latency []LatencyObjective
	// Credits are the service-credit tiers.
	Credits []Tier
}

// LatencyObjective is the objective of one key screen (section 5).
type LatencyObjective struct {
	Check       string
	ThresholdMS int64 // good means ok and duration <= ThresholdMS
	TargetPPM   int64 // e.g. 950000 for 95%
	// Exclude lists daily windows whose observations are left out.
	Exclude []DailyWindow
}

// Tier is a service-credit tier: CreditPercent is owed when the availability
// is strictly below BelowPPM and no tier with a smaller BelowPPM applies.
type Tier struct {
	BelowPPM      int64
	CreditPercent int64
}

const ppm = 1_000_000

// validate reports every problem with the terms at once.
func (t *Terms) validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if t.Location == nil {
		add("time zone is missing: set the SLA's IANA zone, e.g. Europe/Amsterdam")
	}
	if len(t.Components) == 0 {
		add("scope is empty: list the components the SLA covers")
	}
	seen := map[string]bool{}
	for _, c := range t.Components {
		switch {
		case c == "":
			add("scope lists an empty component id")
		case seen[c]:
			add("scope lists component %q twice", c)
		}
		seen[c] = true
	}
	covered := map[string]bool{}
	for chk, comp := range t.CheckComponents {
		if chk == "" || comp == "" {
			add("check %q maps to component %q: both must be set", chk, comp)
		}
		covered[comp] = true
	}
	for _, c := range t.Components {
		if c != "" && !covered[c] {
			add("component %q is in scope but no check covers it: add a check for it or remove it from the scope", c)
		}
	}
	if t.AvailabilityTargetPPM <= 0 || t.AvailabilityTargetPPM > ppm {
		add("availability target %d ppm is not in 1..1000000 (99.9%% is 999000)", t.AvailabilityTargetPPM)
	}
	if t.Notice < 0 {
		add("notice %s is negative", t.Notice)
	}
	if t.AllowedHours != nil {
		if err := t.AllowedHours.Weekdays.validate(); err != nil {
			add("allowed hours on weekdays: %w", err)
		}
		if err := t.AllowedHours.Weekends.validate(); err != nil {
			add("allowed hours on weekends: %w", err)
		}
	}
	if t.MonthlyBudget < 0 || t.MonthlyBudget%time.Minute != 0 {
		add("monthly maintenance budget %s must be whole minutes and not negative (0 means no budget)", t.MonthlyBudget)
	}
	for i, o := range t.Latency {
		if o.Check == "" {
			add("latency objective %d: check is empty", i+1)
		}
		if o.ThresholdMS < 0 {
			add("latency objective %q: threshold %d ms is negative", o.Check, o.ThresholdMS)
		}
		if o.TargetPPM <= 0 || o.TargetPPM > ppm {
			add("latency objective %q: target %d ppm is not in 1..1000000 (95%% is 950000)", o.Check, o.TargetPPM)
		}
		for _, w := range o.Exclude {
			if err := (Span{From: w.From, To: w.To}).validate(); err != nil {
				add("latency objective %q: exclusion window: %w", o.Check, err)
			}
		}
	}
	below := map[int64]bool{}
	for _, tr := range t.Credits {
		if tr.BelowPPM <= 0 || tr.BelowPPM > ppm {
			add("credit tier below %d ppm is not in 1..1000000 (99.9%% is 999000)", tr.BelowPPM)
		}
		if tr.CreditPercent < 0 {
			add("credit tier below %d ppm: credit %d%% is negative", tr.BelowPPM, tr.CreditPercent)
		}
		if below[tr.BelowPPM] {
			add("two credit tiers are below %d ppm: keep one", tr.BelowPPM)
		}
		below[tr.BelowPPM] = true
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("sla terms for %q: %w", t.Customer, errors.Join(errs...))
}
