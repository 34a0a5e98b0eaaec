// Package sla owns the SLA contract of shared/SLA.md as pure computation:
// minute verdicts, maintenance rules, availability, the latency objective and
// credits. It does no I/O and imports nothing of vigil's.
//
// # Use
//
//	c, err := sla.NewCalculator(terms, 2026, time.October, windows)
//	// for every (check, location) series the store returns, in time order:
//	err = c.Add(obs) // a rejected observation leaves c unchanged
//	res, err := c.Result()
//	res.AddIncidents(incidents...) // counted minutes from the classification
//
// Result is the one computation behind every rendering (JSON schema
// "vigil.sla.v1", CSV, PDF/HTML): the minutes by class, availability, target,
// credit, each maintenance window with why it is or is not planned, each key
// screen's latency objective, and a per-day breakdown.
//
// # Streaming
//
// The Calculator's memory is fixed by the period, the series and the
// objectives: two bits per series and minute, an exact per-millisecond
// duration histogram per latency objective, and small per-minute tallies for
// latency observations in maintenance minutes (whether those count is only
// known once every series is in). It keeps nothing per observation. It needs
// each series' observations in time order, as the store returns them; series
// may interleave freely. An observation older than the previous one of its
// series is rejected with ErrOutOfOrder, never silently mis-counted.
//
// # Money
//
// Everything that decides money is integer arithmetic: minute counts, ppm,
// cross-multiplied comparisons (met iff up*1e6 >= target*(up+down)) and a
// truncated display that never rounds up. CONTRACT_NOTES.md records, for both
// parties' lawyers, every reading chosen where SLA.md is silent; a brute-force
// reference implementation in the tests checks the calculator on randomized
// inputs.
//
// A Calculator is not safe for concurrent use; a Result is read-only after
// AddIncidents.
package sla
