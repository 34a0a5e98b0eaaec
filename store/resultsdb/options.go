package resultsdb

import (
	"time"

	"github.com/prometheus/prometheus/tsdb"
	"github.com/prometheus/prometheus/util/compression"
)

// Defaults of Options, used for every zero field.
const (
	DefaultRetention      = 400 * 24 * time.Hour
	DefaultOutOfOrder     = time.Hour
	DefaultCommitInterval = time.Second
	DefaultMaxBatch       = 10_000
	DefaultQueueSize      = 10_000
)

// maxBlockDuration caps the size of compacted blocks, as Prometheus does
// (a tenth of the retention, at most 31 days).
const maxBlockDuration = 31 * 24 * time.Hour

// Options tune the results database. The zero value is usable: every
// zero field takes its Default.
type Options struct {
	// Retention is how long results are kept (DefaultRetention, 400 days).
	Retention time.Duration
	// OutOfOrder is how far behind the newest stored result a late one may
	// be and still be accepted, e.g. from a remote agent that was cut off
	// (DefaultOutOfOrder, 1h). Older ones are refused and counted in
	// Stats.Rejected.
	OutOfOrder time.Duration
	// CommitInterval is the longest a written result waits in memory before
	// it is committed to the WAL (DefaultCommitInterval, 1s).
	CommitInterval time.Duration
	// MaxBatch commits early once this many results wait (DefaultMaxBatch).
	MaxBatch int
	// QueueSize bounds the results accepted by Write but not yet taken by
	// the writer; Write blocks while it is full (DefaultQueueSize).
	QueueSize int
	// OnCommit, when set, is called by the writer goroutine after each
	// successful commit with the number of results that commit made
	// durable. It must return quickly.
	OnCommit func(results int)
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	if o.OutOfOrder <= 0 {
		o.OutOfOrder = DefaultOutOfOrder
	}
	if o.CommitInterval <= 0 {
		o.CommitInterval = DefaultCommitInterval
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = DefaultMaxBatch
	}
	if o.QueueSize <= 0 {
		o.QueueSize = DefaultQueueSize
	}
	return o
}

// tsdbOptions translates o (with defaults applied) into TSDB options.
func (o Options) tsdbOptions() *tsdb.Options {
	opts := tsdb.DefaultOptions()
	opts.RetentionDuration = o.Retention.Milliseconds()
	opts.OutOfOrderTimeWindow = o.OutOfOrder.Milliseconds()
	opts.WALCompression = compression.Snappy // as Prometheus does by default
	opts.MaxBlockDuration = min(o.Retention/10, maxBlockDuration).Milliseconds()
	if opts.MaxBlockDuration < opts.MinBlockDuration {
		opts.MaxBlockDuration = opts.MinBlockDuration
	}
	return opts
}
