package resultsdb

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb"

	"github.com/vigilmon/vigil/probe"
)

// DefaultBackfillBlock is the default BackfillOptions.BlockRange: the
// TSDB's smallest block, as promtool's backfill uses.
const DefaultBackfillBlock = 2 * time.Hour

// BackfillOptions tune Backfill. The zero value is usable.
type BackfillOptions struct {
	// BlockRange is the time range of each block written, aligned to
	// multiples of it since the Unix epoch (DefaultBackfillBlock, 2h). The
	// daemon's compactor merges small blocks into larger ones later.
	BlockRange time.Duration
	// Logger receives the TSDB's progress messages; nil discards them.
	Logger *slog.Logger
}

// BackfillStats count what Backfill did.
type BackfillStats struct {
	// Written counts the results written into blocks.
	Written int
	// Rejected counts results not written: not newer than an earlier
	// result of the same check and location in the same block.
	Rejected int
	// Blocks counts the blocks written.
	Blocks int
}

// Backfill writes results straight into new blocks of the results database
// under dir (dir/tsdb, as Open), bypassing the head and the WAL: the
// way to load history into a database that is not running (tests,
// benchmarks, imports) at a few million results per second. Not for an
// agent's late results into a running server: its WAL replay drops
// samples older than the newest in-order block, so the server widens the
// out-of-order window instead (see Ingester).
//
// Each result goes into the block of its start's BlockRange; within a block,
// the results of one check and location must come in time order (a result
// not newer than the previous one is rejected and counted). A block is written
// to disk once results arrive two ranges later, or at the end, so input in
// rough time order needs the memory of two blocks; a result for a range
// already written starts a new block that overlaps it, which the TSDB merges
// on reads and compaction. The database should not be open meanwhile: an
// open one sees the new blocks only once it reloads them (at its next
// compaction or when reopened). Invalid results (see Results.Write) stop the
// backfill with an error; blocks written so far stay.
func Backfill(ctx context.Context, dir string, results iter.Seq[probe.Result], opts BackfillOptions) (BackfillStats, error) {
	if opts.BlockRange <= 0 {
		opts.BlockRange = DefaultBackfillBlock
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	tsdbDir := filepath.Join(dir, "tsdb")
	if err := checkResultsDir(dir, tsdbDir); err != nil {
		return BackfillStats{}, err
	}
	b := &backfiller{ctx: ctx, dir: tsdbDir, opts: opts, open: map[int64]*backfillBlock{}}
	err := b.run(results)
	return b.stats, errors.Join(err, b.flushAll())
}

// backfiller is the state of one Backfill: the blocks being filled, by the
// start of their range.
type backfiller struct {
	ctx    context.Context
	dir    string
	opts   BackfillOptions
	open   map[int64]*backfillBlock
	newest int64 // the start of the newest range seen
	stats  BackfillStats
}

// backfillBlock is one block being filled: a block writer (an in-memory
// head) with its own series references.
type backfillBlock struct {
	w       *tsdb.BlockWriter
	app     storage.AppenderV2 // the open appender, committed every DefaultMaxBatch results
	pending int                // results in app
	refs    refCache
	newest  map[groupKey]int64 // the newest start appended, per group
}

// commit commits the open appender and opens the next one.
func (blk *backfillBlock) commit() error {
	if err := blk.app.Commit(); err != nil {
		return fmt.Errorf("backfill results: %w", err)
	}
	blk.app, blk.pending = blk.w.AppenderV2(context.Background()), 0
	return nil
}

// run appends every result to its block, writing out blocks left behind.
func (b *backfiller) run(results iter.Seq[probe.Result]) error {
	rangeMS := b.opts.BlockRange.Milliseconds()
	n := 0
	for res := range results {
		if err := validResult(&res); err != nil {
			return err
		}
		if n++; n%ctxCheckEvery == 0 {
			if err := b.ctx.Err(); err != nil {
				return fmt.Errorf("backfill results: %w", err)
			}
		}
		t := res.Start.UnixMilli()
		start := t - mod(t, rangeMS)
		blk, err := b.block(start)
		if err != nil {
			return err
		}
		key := groupKey{check: res.Check, location: res.Location}
		if last, ok := blk.newest[key]; ok && t <= last {
			// The head would drop it silently at commit: count it here.
			b.stats.Rejected++
			continue
		}
		err, partial := appendResult(blk.app, blk.refs, &res)
		if err != nil {
			b.stats.Rejected++
			continue
		}
		if blk.pending++; blk.pending >= DefaultMaxBatch {
			if err := blk.commit(); err != nil {
				return err
			}
		}
		if partial != nil {
			b.opts.Logger.Warn("probe result stored incompletely",
				"check", res.Check, "location", res.Location, "start", res.Start, "err", partial)
		}
		blk.newest[key] = t
		b.stats.Written++
		if start > b.newest {
			b.newest = start
			if err := b.flushBefore(start - rangeMS); err != nil {
				return err
			}
		}
	}
	return nil
}

// block returns the open block of the range starting at start, opening it
// if needed.
func (b *backfiller) block(start int64) (*backfillBlock, error) {
	if blk, ok := b.open[start]; ok {
		return blk, nil
	}
	w, err := tsdb.NewBlockWriter(b.opts.Logger, b.dir, b.opts.BlockRange.Milliseconds())
	if err != nil {
		return nil, fmt.Errorf("backfill results: %w", err)
	}
	blk := &backfillBlock{w: w, app: w.AppenderV2(context.Background()), refs: make(refCache), newest: map[groupKey]int64{}}
	b.open[start] = blk
	return blk, nil
}

// flushBefore writes out every open block whose range starts before start.
func (b *backfiller) flushBefore(start int64) error {
	var errs []error
	for s, blk := range b.open {
		if s < start {
			errs = append(errs, b.flush(blk))
			delete(b.open, s)
		}
	}
	return errors.Join(errs...)
}

// flushAll writes out every open block.
func (b *backfiller) flushAll() error {
	var errs []error
	for s, blk := range b.open {
		errs = append(errs, b.flush(blk))
		delete(b.open, s)
	}
	return errors.Join(errs...)
}

// flush writes one block to disk and releases its writer.
func (b *backfiller) flush(blk *backfillBlock) error {
	err := blk.app.Commit()
	var id ulid.ULID
	if err == nil {
		id, err = blk.w.Flush(context.WithoutCancel(b.ctx))
	}
	if err == nil && id != (ulid.ULID{}) {
		b.stats.Blocks++
	}
	err = errors.Join(err, blk.w.Close())
	if err != nil {
		return fmt.Errorf("backfill results: write block: %w", err)
	}
	return nil
}

// mod is a modulo that is never negative, for aligning times before 1970.
func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}
