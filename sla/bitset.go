package sla

// bitset is one bit per minute of the period.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)>>6) }

func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

// setRange sets the bits [lo, hi).
func (b bitset) setRange(lo, hi int) {
	if lo >= hi {
		return
	}
	lw, hw := lo>>6, (hi-1)>>6
	lm := ^uint64(0) << (uint(lo) & 63)
	hm := ^uint64(0) >> (63 - (uint(hi-1) & 63))
	if lw == hw {
		b[lw] |= lm & hm
		return
	}
	b[lw] |= lm
	for w := lw + 1; w < hw; w++ {
		b[w] = ^uint64(0)
	}
	b[hw] |= hm
}

func (b bitset) or(o bitset) {
	for i, w := range o {
		b[i] |= w
	}
}
