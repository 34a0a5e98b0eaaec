// Package sla owns the SLA contract of shared/SLA.md as pure computation:
// minute verdicts, maintenance rules, availability, the latency objective and
// credits. It does no I/O and imports nothing of vigil's.
//
// # Use
//
//	c, err := sla.NewCalculator(terms, 2026, time.October, windows)
//	for each series (check, location) the store returns, in time order:
//		err := c.Add(obs) // rejected observations leave c unchanged
//	res, err := c.Result()
//	res.AddIncidents(incidents...)
//
// The Calculator streams: its memory is fixed by the period, the series and
// the objectives (a few bits per series and minute, an exact duration
// histogram per latency objective), not by the number of observations. It
// needs each series' observations in time order (any interleaving of series is
// fine); it rejects an observation older than the previous one of its series.
//
// Everything that decides money is integer arithmetic: minute counts, ppm,
// cross-multiplied comparisons (met iff up*1e6 >= target*(up+down)) and
// truncated display. CONTRACT_NOTES.md records, for both parties' lawyers, the
// readings this package chose where SLA.md is silent.
//
// A Calculator is not safe for concurrent use.
package sla
