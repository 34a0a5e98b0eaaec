package resultsdb

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

// xorReference decodes b with chunkenc's own iterator.
func xorReference(b []byte) (ts []int64, vs []float64, err error) {
	c, err := chunkenc.FromData(chunkenc.EncXOR, b)
	if err != nil {
		return nil, nil, err
	}
	it := c.Iterator(nil)
	for it.Next() == chunkenc.ValFloat {
		t, v := it.At()
		ts, vs = append(ts, t), append(vs, v)
	}
	return ts, vs, it.Err()
}

// randomXORChunk encodes a random series of one of several shapes.
func randomXORChunk(tb testing.TB, rng *rand.Rand) []byte {
	c := chunkenc.NewXORChunk()
	app, err := c.Appender()
	if err != nil {
		tb.Fatal(err)
	}
	n := 1 + rng.IntN(300)
	if rng.IntN(20) == 0 {
		n = 1 + rng.IntN(3)
	}
	if rng.IntN(30) == 0 {
		n = 1000 + rng.IntN(3000)
	}
	t := rng.Int64N(4e12) - 1e12
	if rng.IntN(10) == 0 {
		t = []int64{0, -1, math.MinInt64 / 4, math.MaxInt64 / 4, 1}[rng.IntN(5)]
	}
	step := []int64{1, 1000, 15_000, 60_000, 3_600_000, int64(rng.IntN(1 << 30))}[rng.IntN(6)]
	jitter := []int64{0, 0, 1, 100, 1 << 12, 1 << 13, 1<<13 + 1, 1 << 16, 1<<16 + 1, 1 << 19, 1<<19 + 1, 1 << 40}[rng.IntN(12)]
	jitterP := rng.Float64()
	vshape := rng.IntN(7)
	v := 0.0
	for range n {
		switch vshape {
		case 0: // success: 0 or 1, mostly 1
			v = 1
			if rng.IntN(300) == 0 {
				v = 0
			}
		case 1: // any 0/1
			v = float64(rng.IntN(2))
		case 2: // random floats
			v = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
		case 3: // random bit patterns, NaNs and infinities included
			v = math.Float64frombits(rng.Uint64())
			if rng.IntN(10) == 0 {
				v = []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), math.MaxFloat64, math.SmallestNonzeroFloat64}[rng.IntN(7)]
			}
		case 4: // durations in seconds, ms resolution
			v = float64(rng.IntN(5000)) / 1000
		case 5: // constant
			v = 60
		case 6: // slowly changing bits
			v = math.Float64frombits(math.Float64bits(v) ^ 1<<rng.IntN(64))
		}
		app.Append(0, t, v)
		d := step
		if jitter != 0 && rng.Float64() < jitterP {
			d += rng.Int64N(2*jitter+1) - jitter
		}
		if d < 0 {
			d = 0
		}
		t += d
	}
	return c.Bytes()
}

func TestXORDecoderMatchesChunkenc(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var d xorDecoder
	iters := 20000
	if testing.Short() {
		iters = 2000
	}
	for k := range iters {
		b := randomXORChunk(t, rng)
		compareXOR(t, k, &d, b, true)
		// Truncated chunks must not panic, and agree with chunkenc when
		// they decode.
		if len(b) > 3 {
			cut := b[:2+rng.IntN(len(b)-2)]
			compareXOR(t, k, &d, cut, false)
		}
		// Corrupted bits must not panic.
		c := append([]byte(nil), b...)
		c[2+rng.IntN(len(c)-2)] ^= byte(1 << rng.IntN(8))
		_ = d.decode(c)
	}
}

func TestXORDecoderEdgeCases(t *testing.T) {
	var d xorDecoder
	for _, b := range [][]byte{nil, {0}} {
		if d.decode(b) == nil {
			t.Errorf("decode(%x): no error", b)
		}
	}
	for _, b := range [][]byte{{0, 0}, {0, 1}, {0, 2, 0}, {0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0}, {0, 1, 2, 0, 0, 0, 0, 0, 0, 0}, {0xff, 0xff, 0x80}} {
		compareXOR(t, -1, &d, b, false)
	}
	// Deltas and deltas of deltas at the bucket edges.
	for _, dod := range []int64{0, 1, -1, 1<<13 - 1, 1 << 13, 1<<13 + 1, -(1<<13 - 1), -(1 << 13), 1 << 16, 1<<16 + 1, -(1 << 16), 1 << 19, 1<<19 + 1, -(1 << 19), -(1<<19 + 1), 1 << 40, -(1 << 40)} {
		c := chunkenc.NewXORChunk()
		app, _ := c.Appender()
		t0, delta := int64(1_000_000), int64(1<<41)
		for i := range 10 {
			app.Append(0, t0, float64(i%3))
			t0 += delta
			delta += dod
		}
		compareXOR(t, int(dod), &d, c.Bytes(), true)
	}
}

func compareXOR(t *testing.T, k int, d *xorDecoder, b []byte, valid bool) {
	t.Helper()
	wantT, wantV, wantErr := xorReference(b)
	err := d.decode(b)
	if valid && (err != nil || wantErr != nil) {
		t.Fatalf("chunk %d: decode error %v, chunkenc %v", k, err, wantErr)
	}
	// A damaged chunk may fail (the reader then falls back to chunkenc,
	// which does not always notice); when it does not, it must agree.
	if err != nil {
		return
	}
	if wantErr != nil {
		t.Fatalf("chunk %d (%x): decoded, chunkenc fails: %v", k, b, wantErr)
	}
	if len(d.t) != len(wantT) || len(d.v) != len(wantT) {
		t.Fatalf("chunk %d: %d/%d samples, want %d", k, len(d.t), len(d.v), len(wantT))
	}
	for i := range wantT {
		if d.t[i] != wantT[i] || math.Float64bits(d.v[i]) != math.Float64bits(wantV[i]) {
			t.Fatalf("chunk %d sample %d: (%d, %v), want (%d, %v)", k, i, d.t[i], d.v[i], wantT[i], wantV[i])
		}
	}
}

func BenchmarkXORDecoder(b *testing.B) {
	c := chunkenc.NewXORChunk()
	app, _ := c.Appender()
	for i := range 120 {
		v := 1.0
		if i == 50 {
			v = 0
		}
		app.Append(0, int64(i)*60_000, v)
	}
	b.Run("bulk", func(b *testing.B) {
		var d xorDecoder
		for b.Loop() {
			_ = d.decode(c.Bytes())
		}
	})
	b.Run("chunkenc", func(b *testing.B) {
		var it chunkenc.Iterator
		for b.Loop() {
			it = c.Iterator(it)
			for it.Next() != chunkenc.ValNone {
				_, _ = it.At()
			}
		}
	})
}
