package resultsdb

import (
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/tsdb/chunks"
)

// chunkCursor walks the float samples of one series chunk by chunk,
// decoding each chunk with its own iterator: no merging of iterators and no
// per-sample work beyond the chunk's decoder. Once next has returned true,
// t and v are the current sample.
type chunkCursor struct {
	chunks chunks.Iterator
	it     chunkenc.Iterator // the current chunk's decoder, reused from chunk to chunk
	active bool              // it decodes a chunk of the current series
	skip   int64             // chunks ending before skip are not decoded
	t      int64
	v      float64
	done   bool
	err    error
}

// reset points c at the series s, keeping its iterators for reuse.
func (c *chunkCursor) reset(s storage.ChunkSeries, skip int64) {
	c.chunks = s.Iterator(c.chunks)
	c.skip, c.active, c.done, c.err = skip, false, false, nil
}

// nextRaw moves to the next chunk that ends at or after skip and returns
// it, or nil at the end of the series or on an error (see err). It is for
// callers that decode a whole chunk themselves; they must not mix it with
// next.
func (c *chunkCursor) nextRaw() chunkenc.Chunk {
	for !c.done {
		if !c.chunks.Next() {
			c.err, c.done = c.chunks.Err(), true
			break
		}
		meta := c.chunks.At()
		if meta.MaxTime < c.skip || meta.Chunk == nil {
			continue
		}
		return meta.Chunk
	}
	return nil
}

// next advances to the next float sample (histograms are skipped). It
// returns false at the end of the series or on an error (see err).
func (c *chunkCursor) next() bool {
	if c.done {
		return false
	}
	for {
		if c.active {
			switch c.it.Next() {
			case chunkenc.ValFloat:
				c.t, c.v = c.it.At()
				return true
			case chunkenc.ValNone:
				if err := c.it.Err(); err != nil {
					c.err, c.done = err, true
					return false
				}
				c.active = false
			}
			continue
		}
		if !c.chunks.Next() {
			c.err, c.done = c.chunks.Err(), true
			return false
		}
		meta := c.chunks.At()
		if meta.MaxTime < c.skip || meta.Chunk == nil {
			continue
		}
		c.it, c.active = meta.Chunk.Iterator(c.it), true
	}
}
