// Package remotewrite owns sending probe results to Prometheus-compatible
// backends (Prometheus with its remote-write receiver on, VictoriaMetrics,
// Mimir, Thanos Receive) with Prometheus remote write 1.0: snappy-compressed
// protobuf WriteRequests, POSTed with retries. It also owns the series
// layout on such a backend (schema.go), which store/remoteread reads back.
//
// # One schema
//
// A result becomes the series of the embedded results database
// (store/resultsdb), with the same names and labels (check, location, and
// phase or reason), the probe's start in milliseconds as the timestamp:
// vigil_probe_success, vigil_probe_duration_seconds,
// vigil_probe_interval_seconds, vigil_probe_phase_seconds{phase},
// vigil_probe_failure{reason} (failures with a reason) and
// vigil_probe_http_status (when not 0). A report therefore reads the same
// observations from either store. One difference is deliberate: the
// embedded database writes the interval only when it changes and hourly,
// remote write sends it with every result. A queued result is then whole
// on its own: a dropped or refused request loses whole results, never the
// interval sample later results would be carried forward from, and a
// constant series costs next to nothing in the backend's compression.
// Readers carry the latest interval forward either way.
//
// # Queue
//
// [Writer.Observe] never blocks the probes: it queues the result and
// returns. The queue is bounded in samples; when a result does not fit,
// the oldest queued results are dropped, for this remote only, and counted.
// We chose dropping over blocking because every result is already safe in
// the local database (a remote gap can be backfilled from it), while a
// blocked probe loop would hide downtime; and the oldest over the newest
// because the newest are what the backend's dashboards and alerts need now.
//
// [Writer.Run] is the one sender: it takes up to MaxSamplesPerSend samples
// (whole results) once that many are queued or the first of them has
// waited BatchSendDeadline, and sends them. A request the backend could
// not take (a connection error, 5xx, 429) is retried with exponential
// backoff from MinBackoff to MaxBackoff (a 429's or 503's Retry-After
// wins) for up to RetryFor; meanwhile the queue buffers, and drops the
// oldest when full. Any other answer (4xx: the data is bad, retrying
// cannot help) fails the request at once. Failed samples are counted and
// logged, never retried later. When Run's context ends it sends what is
// queued for at most FlushTimeout.
//
// [Writer.Stats] counts samples sent, failed, dropped and retried (per
// retried request), the queue's length and the last success, for /metrics.
// URLs are logged without credentials or query; header values, passwords
// and tokens never.
//
// It imports probe for the Result type and internal/clock, nothing else
// of vigil.
package remotewrite
