// Package agent owns vigil's remote probing agent: it takes the results of
// the checks that run at its location (from a probe.Scheduler), keeps them
// in an on-disk spool (agent/spool) and ships them to the server in order,
// batched, compressed and authenticated by the agent's token.
//
// Results enter through [Agent.Emit], which encodes them (agent/wire) and
// queues them in memory; the spool writer appends what is queued to the
// spool every FlushEvery (or sooner when many wait), one fsync per group.
// The shipper reads the oldest unacknowledged records, up to MaxBatch,
// compresses them with zstd and POSTs them to the server's /api/v1/ingest
// with "Authorization: Bearer <token>" and a batch id made of the spool id
// and the records' sequence numbers, so a batch retried after a lost
// answer is stored once. Only after the server's 200 does it acknowledge
// the records in the spool (which may then delete them) and read the next
// ones: results arrive in the order they were spooled, per check and
// overall.
//
// While the server does not take a batch the shipper retries it with
// exponential backoff and full jitter between MinBackoff and MaxBackoff,
// and the spool grows: the server is unreachable (connection refused,
// timeout, 5xx, 429), or refuses the agent in a way an operator mends
// (401/403: the token; 400/415: a server older than the agent, which
// cannot read its records). The agent never drops a record the server
// has not taken. A batch over the server's size limit (413, or a body
// over wire.MaxBodyBytes) is halved. Results the server takes but refuses
// for good (a clock far ahead, say) come back in its receipt: logged and
// counted as rejected.
//
// It imports probe, internal/clock and its own subpackages, nothing else
// of vigil.
package agent
