package statuspage

import (
	"io"
	"runtime"
)

// A rendering runs on the cores that serve the page: some 10 ms of CPU
// that, in one piece, would hold its P while the requests queued behind it
// there wait (all of them, with one P). So it works in pieces and yields
// between them: runtime.Gosched lets the waiting requests run first. A
// request waits for a piece, not for the whole rendering.

// yieldEvery is the size of a piece of output, in bytes: well under a
// millisecond of templating, compressing or hashing.
const yieldEvery = 32 << 10

// yield lets waiting goroutines run.
func yield() { runtime.Gosched() }

// yieldingWriter passes writes on to w and yields every yieldEvery bytes.
type yieldingWriter struct {
	w io.Writer
	n int
}

func (y *yieldingWriter) Write(p []byte) (int, error) {
	if y.n += len(p); y.n >= yieldEvery {
		y.n = 0
		yield()
	}
	return y.w.Write(p)
}

// writeInPieces writes b to w a piece at a time, yielding between pieces.
func writeInPieces(w io.Writer, b []byte) {
	for len(b) > 0 {
		n := min(len(b), yieldEvery)
		_, _ = w.Write(b[:n]) // hashes and in-memory writers do not fail
		b = b[n:]
		if len(b) > 0 {
			yield()
		}
	}
}
