package resultsdb

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

// agentResults are one result a minute of check home at ams in [from, to).
func agentResults(from, to time.Time) []probe.Result {
	var out []probe.Result
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		out = append(out, probe.Result{Check: "home", Location: "ams", Start: t, Interval: time.Minute,
			Duration: 80 * time.Millisecond, OK: t.Minute()%5 != 0, Status: 200})
	}
	for i := range out {
		if !out[i].OK {
			out[i].Reason, out[i].Status = probe.ReasonStatus, 503
		}
	}
	return out
}

func TestIngesterCommitsBeforeReturning(t *testing.T) {
	r := openTest(t, t.TempDir(), Options{CommitInterval: time.Hour}) // Write alone would not commit during the test
	in := r.NewIngester()
	want := agentResults(t0.Add(-10*time.Minute), t0)
	out, err := in.Append(context.Background(), want)
	if err != nil || len(out.TooOld) != 0 || len(out.Refused) != 0 {
		t.Fatalf("Append = %+v, %v", out, err)
	}
	assertResults(t, queryAll(t, r, Query{Location: "ams"}), want)
}

// Late results go through the out-of-order path when the window covers
// them, and survive a restart beside the server's own results.
func TestIngesterLateResults(t *testing.T) {
	dir := t.TempDir()
	local := func(from, to time.Time) []probe.Result {
		var out []probe.Result
		for t := from; t.Before(to); t = t.Add(time.Minute) {
			out = append(out, probe.Result{Check: "home", Location: "hq", Start: t, Interval: time.Minute, OK: true})
		}
		return out
	}
	r := openTest(t, dir, testOptions())
	writeAll(t, r, local(t0.Add(-3*time.Hour), t0)...)
	late := agentResults(t0.Add(-3*time.Hour), t0.Add(-70*time.Minute))
	out, err := r.NewIngester().Append(context.Background(), late)
	if err != nil || len(out.TooOld) != len(late) {
		t.Fatalf("with the default 1h window: %d of %d too old, %v", len(out.TooOld), len(late), err)
	}
	r.Close()

	wide := testOptions()
	wide.OutOfOrder = 400 * 24 * time.Hour
	r = openTest(t, dir, wide)
	if out, err := r.NewIngester().Append(context.Background(), late); err != nil || len(out.TooOld)+len(out.Refused) != 0 {
		t.Fatalf("with a wide window: %+v, %v", out, err)
	}
	r.Close()
	r = openTest(t, dir, testOptions())
	assertResults(t, queryAll(t, r, Query{Location: "ams"}), late)
	if got := queryAll(t, r, Query{Location: "hq"}); len(got) != 180 {
		t.Errorf("the server's own results: %d after the restart, want 180", len(got))
	}
}

func TestIngesterRefusesAConflictingResult(t *testing.T) {
	r := openTest(t, t.TempDir(), testOptions())
	in := r.NewIngester()
	first := agentResults(t0, t0.Add(2*time.Minute))
	if _, err := in.Append(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	again := agentResults(t0, t0.Add(3*time.Minute))
	again[1].OK, again[1].Reason = !again[1].OK, probe.ReasonTimeout
	out, err := in.Append(context.Background(), again)
	if err != nil || len(out.Refused) != 1 || out.Refused[1] == nil {
		t.Fatalf("Append = %+v, %v: want result 1 refused (another result at the same millisecond)", out, err)
	}
	// The same result again is no conflict: a retry stores nothing twice.
	assertResults(t, queryAll(t, r, Query{Location: "ams"}), agentResults(t0, t0.Add(3*time.Minute)))
	r.Close()
	if _, err := in.Append(context.Background(), first); !errors.Is(err, ErrResultsClosed) {
		t.Errorf("Append after Close = %v", err)
	}
	if _, err := in.Append(context.Background(), []probe.Result{{Check: "x", Start: t0}}); err == nil {
		t.Error("a result without a location was taken")
	}
}
