// Package ingest owns the server side of the agent protocol, after the
// HTTP layer (api) has checked the agent's token and decoded its batch:
// each record stored exactly once, checked, routed into the results
// store, and the fresh ones passed on to the daemon's live views.
//
// Exactly once: an agent numbers its records (agent/spool) and names each
// batch by its spool id and the numbers of its records. The [Ledger]
// remembers, per location and spool id, the highest number stored; a
// record at or below it is a duplicate (a retry whose answer was lost, or
// a batch cut differently after the agent restarted) and is not stored
// again. The ledger is a small JSON file under the data directory,
// replaced durably after each batch, after the results are stored: a
// crash in between stores a batch twice, which the results database
// absorbs (the same samples at the same timestamps).
//
// Late results: an agent cut off for hours sends them when it is back,
// and they count for the SLA like any other. The results database takes
// them through its head's out-of-order path when its out-of-order window
// covers their age: the daemon opens it with a window as long as its
// retention when it has agents (see cmd/vigil). A result the store still
// refuses comes back in the receipt with the store's reason; it is never
// dropped silently.
//
// Live views: a result reaches the incident evaluator, the latest-result
// view and the metrics only while it is fresh (see Fresh): a result that
// waited in a spool for an hour describes the past, and must not open or
// resolve an incident now. The SLA reports read every result from the
// store, late or not.
//
// It imports probe and agent/wire, nothing else of vigil.
package ingest
