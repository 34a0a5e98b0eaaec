// Package spool owns the agent's on-disk queue of results waiting for the
// server. It knows nothing of what a record holds.
//
// A spool is a directory holding:
//
//	id                     the spool's random id (hex); the server keeps per id what it stored
//	lock                   held (flock) by the one process using the spool
//	acked                  the cursor: the sequence number of the last record the server acknowledged
//	00000000000000000001.seg, …   segments, named by the sequence number of their first record
//
// A segment is a header (segmentMagic) and records appended one after the
// other, each framed as a 4-byte little-endian length, the CRC-32C of the
// payload and the payload. Every record gets the next sequence number of
// the spool; numbers never repeat within a spool, and the agent names its
// batches by them, so the server stores each record once however often a
// batch is retried.
//
// [Spool.Append] writes a group of records and fsyncs the segment before
// it returns: a record it accepted survives kill -9 and a power cut. A
// segment grows to about Options.SegmentBytes, then the next one starts.
// [Spool.Read] returns the oldest records not yet acknowledged, in order;
// [Spool.Ack] records (fsynced) that the server holds them, then deletes
// the segments whose records are all acknowledged. The cursor is written
// before a segment is deleted, so the sequence numbers go on after a
// restart even when every segment is gone.
//
// Open repairs what a crash leaves: a record cut short or failing its CRC
// ends its segment there (the rest of that segment is lost and counted in
// Stats.Lost; later segments are kept). A lost or damaged cursor means the
// server may see some records again, which it recognises; a spool with
// neither cursor nor segments starts a new id, so that its new sequence
// numbers are never mistaken for records the server already has.
//
// When the segments outgrow Options.MaxBytes, the oldest segments are
// dropped (counted in Stats.Lost): the newest results are the ones the
// server's incidents and status page need when it comes back.
package spool
