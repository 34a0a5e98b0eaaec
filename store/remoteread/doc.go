// Package remoteread owns reading probe results back from a
// Prometheus-compatible backend's HTTP query API (Prometheus,
// VictoriaMetrics, Mimir, Thanos Query), where store/remotewrite wrote
// them: so that SLA reports can be computed from long-term history kept in
// the user's cluster instead of the embedded results database.
//
// [Reader.Observations] yields exactly what resultsdb.Results.Observations
// yields for the same results: per (check, location) group in time order,
// batches of sla.Sample (the success, the interval carried forward from
// the latest interval sample at or before each start, looking back an hour
// before the range, and for the latency objectives' checks the duration in
// whole milliseconds and the failure reason). Both paths share one schema:
// the series names and labels of store/remotewrite.
//
// Raw samples come from /api/v1/query with a range selector evaluated at
// the end of the range, e.g.
//
//	{__name__=~"vigil_probe_(success|interval_seconds)",check="home"}[86400000ms]
//
// which Prometheus and VictoriaMetrics both answer with every stored
// sample in the window. Long ranges are read in chunks (a day by default)
// to stay under the backends' per-query sample limits; samples are kept
// only in [chunk start, chunk end], so whether a backend's window includes
// its left edge does not matter. Several checks are read at once (one
// query in flight per worker); each check's chunks are read in order, so
// a group's batches come in time order. An answer that is partial or
// carries warnings is an error: a service credit must not be computed from
// part of the data.
//
// It imports store/remotewrite (series names, authentication),
// store/resultsdb (the observation types) and sla, nothing else of vigil.
package remoteread
