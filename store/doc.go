// Package store owns persistence: probe results in an embedded Prometheus TSDB
// (this file set) and, later, state in SQLite/PostgreSQL.
//
// # Results
//
// [OpenResults] opens (or creates) a TSDB under <data dir>/tsdb with a
// write-ahead log, a retention of 400 days by default (a yearly report needs
// a year of history) and an out-of-order window, so that late results from
// remote agents are still accepted. [Results.Write] hands one probe.Result to
// a bounded queue; a writer goroutine, started by OpenResults and stopped by
// [Results.Close], batches the queue into one TSDB appender and commits it at
// least every CommitInterval (1 s) and whenever MaxBatch results (10,000) are
// waiting. Every commit is one write to the WAL, so a process killed with
// SIGKILL loses at most the results not yet committed. Close commits
// everything still queued before it closes the database.
//
// One result becomes several samples, all with the labels check and
// location and the probe's start (in milliseconds) as timestamp:
//
//	vigil_probe_success                         1 ok, 0 failed
//	vigil_probe_duration_seconds                the probe's total time
//	vigil_probe_interval_seconds                the check's interval when it ran (SLA coverage)
//	vigil_probe_phase_seconds{phase="dns"}      one per phase (dns, connect, tls, ttfb, transfer), only when Phases != nil
//	vigil_probe_failure{reason="timeout"}       1, only on failures with a reason (sparse)
//	vigil_probe_http_status                     only when Status != 0
//
// The human-readable Message of a result is not stored in the TSDB: it is for
// the live view (the daemon keeps the latest result of each check in memory),
// not for reports. Start is stored with millisecond precision and read back
// in UTC.
//
// [Results.Query] streams results back, one (check, location) series group
// after the other, each in time order, by merging that group's series on
// their timestamps through sample iterators: memory does not grow with the
// number of results read. Query.NoDetails skips status and phases, which
// the SLA calculator does not need, and reads about twice as fast.
// [Results.Stats] gives the writer's counters for the daemon's /metrics.
//
// The results files import probe for the Result type and nothing else of
// vigil; the package must not import alert, sla or statuspage.
package store
