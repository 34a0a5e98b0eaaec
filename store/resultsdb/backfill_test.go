package resultsdb

import (
	"context"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

// TestBackfill: backfilled results are read back like written ones, in
// blocks of the range asked for; a result out of time order in its open
// block is rejected and counted, a late one makes a new block; an invalid one stops the backfill.
func TestBackfill(t *testing.T) {
	dir := t.TempDir()
	var rs []probe.Result
	for i := range 300 { // 5 hours: three 2h blocks
		res := probe.Result{Check: "c", Location: "x", Start: t0.Add(time.Duration(i) * time.Minute),
			Interval: time.Minute, Duration: time.Duration(i) * time.Millisecond, OK: i%7 != 0}
		if !res.OK {
			res.Reason = probe.ReasonTimeout
		}
		rs = append(rs, res)
	}
	// rs[5] again while its block is open: out of order, rejected; rs[10]
	// again once its block is written: a new block over the same range,
	// merged on reads.
	input := append(append(append(append([]probe.Result{}, rs[:20]...), rs[5]), rs[20:]...), rs[10])
	seq := func(yield func(probe.Result) bool) {
		for _, res := range input {
			if !yield(res) {
				return
			}
		}
	}
	st, err := Backfill(context.Background(), dir, seq, BackfillOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Written != 301 || st.Rejected != 1 || st.Blocks != 4 {
		t.Errorf("stats %+v, want 301 written, 1 rejected, 4 blocks", st)
	}
	r := openTest(t, dir, testOptions())
	assertResults(t, queryAll(t, r, Query{}), rs)

	bad := func(yield func(probe.Result) bool) { yield(probe.Result{Check: "c", Start: t0}) }
	if _, err := Backfill(context.Background(), t.TempDir(), bad, BackfillOptions{}); err == nil {
		t.Error("invalid result backfilled")
	}
}
