// Package resultsdb owns the probe results: an embedded Prometheus TSDB
// under <data dir>/tsdb, written through its WAL and read back either as
// probe results (Query) or as the SLA calculator's compact observations
// (Observations). It must not import alert, api or cmd.
//
// # Results
//
// [Open] opens (or creates) a TSDB under <data dir>/tsdb with a
// write-ahead log, a retention of 400 days by default (a yearly report needs
// a year of history) and an out-of-order window, so that late results from
// remote agents are still accepted. [Results.Write] hands one probe.Result to
// a bounded queue; a writer goroutine, started by Open and stopped by
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
//	vigil_probe_interval_seconds                the check's interval when it ran (SLA coverage), see below
//	vigil_probe_phase_seconds{phase="dns"}      one per phase (dns, connect, tls, ttfb, transfer), only when Phases != nil
//	vigil_probe_failure{reason="timeout"}       1, only on failures with a reason (sparse)
//	vigil_probe_http_status                     only when Status != 0
//
// The interval is nearly constant, so it is not written with every result:
// a group's interval series gets a sample with its first result (after each
// start of the writer or failed commit), whenever the interval changes, when
// its last sample is an hour old, and for a late result (older than that
// last sample). Readers carry the latest sample at or before a result's
// start forward, looking back an hour before the range they read, so every
// result still has its interval. Decoding the every-result series cost
// about a third of the CPU of a monthly report's read (measured with
// BenchmarkMonthlyReport: 3.6 s/report before, 2.6 s after, on 2 cores).
// One corner is accepted: a late result whose interval differs from the
// interval in force around it also sets the interval of the results after
// it, up to the next interval sample (at most an hour); one location's
// results come from one prober, so this needs a configuration change that
// the prober and the server disagree on.
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
//
// [Results.Observations] is the fast path for SLA reports: per (check,
// location) group in time order, compact records in reused batches handed
// to one callback on the caller's goroutine, while one reader goroutine per
// CPU decodes the groups' chunks directly (a ChunkQuerier per reader, no
// sample-level merging) and reads only the series asked for: success and
// interval, plus duration and failure reasons for the latency objectives'
// checks. BenchmarkMonthlyReport (monthly_bench_test.go) measures it with
// the SLA calculator on a month of 1,000 checks every minute.
//
// [Backfill] writes results straight into blocks (tsdb.BlockWriter), for
// tests, benchmarks and history; the benchmark caches its generated month
// under os.TempDir()/vigil-bench-month-<version>.
// [Results.Stats] gives the writer's counters for the daemon's /metrics.
//
// It imports probe for the Result type and sla for the Sample type its
// observations are (no copy between the read and the calculator), and
// nothing else of vigil.
package resultsdb
