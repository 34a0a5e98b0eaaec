package resultsdb

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
)

// errXORChunk is returned by xorDecoder for a chunk whose bytes end before
// its samples do, or whose varints do not parse.
var errXORChunk = errors.New("corrupt XOR chunk")

// xorDecoder decodes whole Prometheus XOR chunks (chunkenc.EncXOR) in one
// tight loop, into slices it reuses from chunk to chunk: the same samples,
// in the same order, as chunkenc's iterator yields, at a fraction of the
// cost per sample (no interface calls, no per-bit error checks, and the
// common sample of a regular series, an unchanged timestamp delta and
// value, is two bits read with one load). The format is chunkenc's (see
// xor.go there): a 2-byte sample count; the first sample as a varint
// timestamp and 64 raw value bits; the second's timestamp as a uvarint
// delta; then per sample a delta-of-delta code ('0', '10'+14 bits,
// '110'+17, '1110'+20, '1111'+64) and, from the second sample on, the XOR
// of the value with the previous one ('0': equal; '10': the previous
// leading and trailing zero counts and the significant bits; '11': 5 bits
// of leading zeros, 6 of significant bits (0 meaning 64), the bits).
type xorDecoder struct {
	t   []int64
	v   []float64
	buf []byte // the chunk's samples, padded with 8 zero bytes
}

// decode decodes the chunk b (its bytes, header included) into d.t and d.v.
func (d *xorDecoder) decode(b []byte) error {
	d.t, d.v = d.t[:0], d.v[:0]
	if len(b) < 2 {
		return errXORChunk
	}
	n := int(binary.BigEndian.Uint16(b))
	if n == 0 {
		return nil
	}
	data := b[2:]
	ts0, k := binary.Varint(data)
	t := ts0
	if k <= 0 {
		return errXORChunk
	}
	pos := uint(k) * 8
	if len(data) < k+8 {
		return errXORChunk
	}
	v := binary.BigEndian.Uint64(data[k:])
	pos += 64
	d.t, d.v = append(d.t, t), append(d.v, math.Float64frombits(v))
	if n == 1 {
		return nil
	}
	delta, k := binary.Uvarint(data[pos/8:])
	if k <= 0 {
		return errXORChunk
	}
	pos += uint(k) * 8
	t += int64(delta)

	// From here on, the stream is read through a padded copy, so that a
	// 64-bit load a whole sample's width past the end is in bounds.
	d.buf = append(append(d.buf[:0], data...), make([]byte, xorPad)...)
	buf := d.buf
	end := uint(len(data)) * 8
	if cap(d.t) < n {
		d.t, d.v = make([]int64, 1, n), make([]float64, 1, n)
		d.t[0], d.v[0] = ts0, math.Float64frombits(v)
	}
	ts, vs := d.t[:n], d.v[:n]
	var leading, trailing uint
	for i := 1; i < n; i++ {
		if pos > end {
			return errXORChunk
		}
		// w holds the next bits, left aligned: at least 57 are valid.
		w := binary.BigEndian.Uint64(buf[pos>>3:]) << (pos & 7)
		if i > 1 {
			if w>>62 == 0 {
				// The common sample: the delta and the value unchanged, two
				// zero bits. A run of them is taken at once: w's top 56 bits
				// are valid, so the bit set below ends a run at 28.
				run := min(bits.LeadingZeros64(w|1<<7)/2, n-i)
				pos += 2 * uint(run)
				fv := math.Float64frombits(v)
				for j := i; j < i+run; j++ {
					t += int64(delta)
					ts[j], vs[j] = t, fv
				}
				i += run - 1
				continue
			}
			var dod int64
			switch {
			case w>>63 == 0:
				pos++
			case w>>62 == 0b10:
				dod = signed(w>>(64-2-14), 14)
				pos += 2 + 14
			case w>>61 == 0b110:
				dod = signed(w>>(64-3-17), 17)
				pos += 3 + 17
			case w>>60 == 0b1110:
				dod = signed(w>>(64-4-20), 20)
				pos += 4 + 20
			default:
				dod = int64(load64(buf, pos+4))
				pos += 4 + 64
			}
			delta = uint64(int64(delta) + dod)
			t += int64(delta)
			w = binary.BigEndian.Uint64(buf[pos>>3:]) << (pos & 7)
		}
		switch {
		case w>>63 == 0:
			pos++
		default:
			if w>>62 == 0b10 {
				pos += 2
			} else {
				leading = uint(w>>(64-2-5)) & 31
				mbits := uint(w>>(64-2-5-6)) & 63
				if mbits == 0 {
					mbits = 64
				}
				trailing = 64 - leading - mbits
				pos += 2 + 5 + 6
			}
			mbits := 64 - leading - trailing
			if mbits > 0 {
				v ^= load64(buf, pos) >> (64 - mbits) << trailing
			}
			pos += mbits
		}
		ts[i], vs[i] = t, math.Float64frombits(v)
	}
	if pos > end {
		return errXORChunk
	}
	d.t, d.v = ts, vs
	return nil
}

// xorPad is the zero padding after a chunk's bytes: more than the widest
// sample (145 bits) and a 64-bit load past it.
const xorPad = 32

// load64 reads the 64 bits at bit position pos of buf.
func load64(buf []byte, pos uint) uint64 {
	hi := binary.BigEndian.Uint64(buf[pos>>3:]) << (pos & 7)
	if pos&7 == 0 {
		return hi
	}
	return hi | uint64(buf[pos>>3+8])>>(8-pos&7)
}

// signed is the low sz bits of x as chunkenc reads a delta-of-delta: above
// 1<<(sz-1), they are negative.
func signed(x uint64, sz uint) int64 {
	x &= 1<<sz - 1
	if x > 1<<(sz-1) {
		x -= 1 << sz
	}
	return int64(x)
}
