// Package wire owns the formats of the agent protocol, shared by the agent
// (package agent, which also keeps them in its spool) and the server (api
// and agent/ingest): the binary record of one probe result, the body of a
// batch, the batch id header and the server's receipt.
//
// A batch is POSTed to [Path] with "Authorization: Bearer <agent token>",
// the header [HeaderBatch] naming it ("<spool id>:<first sequence>+<count>"),
// Content-Type [ContentType] and Content-Encoding zstd (gzip and none are
// accepted too). The body, uncompressed, is [bodyMagic] followed by each
// record as a uvarint length and the record bytes. The server answers 200
// with a [Receipt] once every result is stored, or was stored before (a
// retry), or is refused for a reason the receipt gives.
//
// It imports probe for the Result type and nothing else of vigil.
package wire
