package sla

import "math/bits"

// Class is the classification of one minute for the SLA (section 4).
type Class uint8

// The classes, in the order they are tried: down > excluded > no data > up.
const (
	ClassUp       Class = iota
	ClassDown           // an in-scope component not under planned maintenance is down
	ClassExcluded       // some in-scope component is under planned maintenance
	ClassNoData         // every in-scope component has no data ("unmonitored")
)

// String names the class as the report does.
func (c Class) String() string {
	switch c {
	case ClassUp:
		return "up"
	case ClassDown:
		return "down"
	case ClassExcluded:
		return "excluded"
	case ClassNoData:
		return "unmonitored"
	}
	return "unknown"
}

// counters is scratch space for checks with three or more locations.
type counters struct{ fail, data []uint32 }

// checkState aggregates the location series of one check: the check is down
// in a minute when a strict majority of the locations with data are failing,
// and has data when any location has.
func checkState(ss []*series, n int, scratch *counters) (down, data bitset) {
	down, data = newBitset(n), newBitset(n)
	switch len(ss) {
	case 1: // that location decides
		copy(down, ss[0].fail)
		copy(data, ss[0].data)
		return down, data
	case 2: // both must fail, or the only one with data
		a, b := ss[0], ss[1]
		for w := range down {
			fa, fb, da, db := a.fail[w], b.fail[w], a.data[w], b.data[w]
			down[w] = fa&fb | fa&^db | fb&^da
			data[w] = da | db
		}
		return down, data
	}
	if len(scratch.fail) != n {
		scratch.fail, scratch.data = make([]uint32, n), make([]uint32, n)
	}
	failN, dataN := scratch.fail, scratch.data
	clear(failN)
	clear(dataN)
	for _, s := range ss {
		for w, word := range s.data {
			for word != 0 {
				b := bits.TrailingZeros64(word)
				word &= word - 1
				i := w<<6 | b
				dataN[i]++
				if s.fail[w]&(1<<uint(b)) != 0 {
					failN[i]++
				}
			}
		}
	}
	for i := range n {
		if dataN[i] > 0 {
			data.set(i)
			if failN[i]*2 > dataN[i] {
				down.set(i)
			}
		}
	}
	return down, data
}

// classify returns the class of every minute, given per in-scope component
// the minutes it is down and those it is excluded, and the minutes any
// in-scope check has data.
func classify(compDown, compEx []bitset, anyEx, anyData bitset, n int) []Class {
	down := newBitset(n)
	for c := range compDown {
		for w := range down {
			down[w] |= compDown[c][w] &^ compEx[c][w]
		}
	}
	class := make([]Class, n)
	for i := range class {
		switch {
		case down.has(i):
			class[i] = ClassDown
		case anyEx.has(i):
			class[i] = ClassExcluded
		case !anyData.has(i):
			class[i] = ClassNoData
		default:
			class[i] = ClassUp
		}
	}
	return class
}
