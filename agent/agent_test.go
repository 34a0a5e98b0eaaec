package agent_test

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/agent"
	"github.com/vigilmon/vigil/agent/wire"
)

func TestShipsEverythingInOrder(t *testing.T) {
	srv := newServer(t, t.TempDir())
	a, sp, stop := runAgent(t, srv.URL, t.TempDir(), func(o *agent.Options) { o.MaxBatch = 37 })
	const n = 1000
	for i := range n {
		a.Emit(result(i))
	}
	waitFor(t, "every result shipped", 20*time.Second, func() bool { return a.Stats().Shipped == n })
	checkExactlyInOrder(t, srv.store.all(), n)
	if st := sp.Stats(); st.Pending != 0 || st.Segments != 1 {
		t.Errorf("spool after shipping: %+v", st)
	}
	stop()
	if st := a.Stats(); st.Spooled != n || st.Dropped != 0 || st.Rejected != 0 || st.Failures != 0 {
		t.Errorf("agent stats %+v", st)
	}
}

func TestSpoolsWhileTheServerIsDownAndCatchesUpInOrder(t *testing.T) {
	srv := newServer(t, t.TempDir())
	srv.down.Store(true)
	a, sp, _ := runAgent(t, srv.URL, t.TempDir(), func(o *agent.Options) { o.MaxBatch = 100 })
	const n = 2500
	for i := range n {
		a.Emit(result(i))
	}
	waitFor(t, "results spooled", 10*time.Second, func() bool { return a.Stats().Spooled == n })
	waitFor(t, "tries while down", 10*time.Second, func() bool { return a.Stats().Failures >= 3 })
	if got := len(srv.store.all()); got != 0 {
		t.Fatalf("%d results stored while the server was down", got)
	}
	if st := sp.Stats(); st.Pending != n {
		t.Fatalf("spool holds %d pending, want %d", st.Pending, n)
	}
	srv.down.Store(false)
	waitFor(t, "catch-up", 20*time.Second, func() bool { return a.Stats().Shipped == n })
	checkExactlyInOrder(t, srv.store.all(), n)
}

// A wrong token keeps everything in the spool until it is mended.
func TestWrongTokenStoresNothingAndLosesNothing(t *testing.T) {
	srv := newServer(t, t.TempDir())
	srv.token.Store("another-token-0123456789abcdef")
	a, _, _ := runAgent(t, srv.URL, t.TempDir(), nil)
	for i := range 50 {
		a.Emit(result(i))
	}
	waitFor(t, "refused tries", 10*time.Second, func() bool { return a.Stats().Failures >= 3 })
	if got := len(srv.store.all()); got != 0 {
		t.Fatalf("%d results stored with a wrong token", got)
	}
	srv.token.Store(testToken)
	waitFor(t, "shipping with the right token", 10*time.Second, func() bool { return a.Stats().Shipped == 50 })
	checkExactlyInOrder(t, srv.store.all(), 50)
}

// A server that cannot read the agent's records (older than the agent)
// answers 400: the agent keeps the records until the server is upgraded.
func TestUnreadableBatchWaitsForTheServer(t *testing.T) {
	srv := newServer(t, t.TempDir())
	srv.badRequest.Store(true)
	a, sp, _ := runAgent(t, srv.URL, t.TempDir(), nil)
	for i := range 20 {
		a.Emit(result(i))
	}
	waitFor(t, "refused tries", 10*time.Second, func() bool { return a.Stats().Failures >= 3 })
	if st := sp.Stats(); st.Pending != 20 || a.Stats().Rejected != 0 {
		t.Fatalf("after 400s: spool %+v, agent %+v; nothing may be dropped", st, a.Stats())
	}
	srv.badRequest.Store(false)
	waitFor(t, "shipping after the upgrade", 10*time.Second, func() bool { return a.Stats().Shipped == 20 })
	checkExactlyInOrder(t, srv.store.all(), 20)
}

// Batches whose body would be over the server's limit are split before
// they are sent; a lower limit on the way (413) splits them too.
func TestLargeBatchesAreSplit(t *testing.T) {
	for _, c := range []struct {
		name    string
		maxBody int64
		failing bool // 413s expected
	}{{"over wire.MaxBodyBytes", 0, false}, {"a proxy's lower limit", 500 << 10, true}} {
		t.Run(c.name, func(t *testing.T) {
			srv := newServer(t, t.TempDir())
			srv.down.Store(true)
			srv.maxBody.Store(c.maxBody)
			a, _, _ := runAgent(t, srv.URL, t.TempDir(), func(o *agent.Options) { o.MaxBatch = 5000 })
			const n = 4000
			for i := range n {
				r := result(i)
				b := make([]byte, wire.MaxMessageBytes/2)
				rand.Read(b)
				r.OK, r.Reason, r.Message = false, "status", hex.EncodeToString(b) // compresses to half at best
				a.Emit(r)
			}
			// Everything waits in the spool, so the first batch would be
			// all 4000 results: over 1 MiB compressed.
			waitFor(t, "results spooled", 10*time.Second, func() bool { return a.Stats().Spooled == n })
			failures := a.Stats().Failures
			srv.down.Store(false)
			waitFor(t, "every result shipped", 30*time.Second, func() bool { return a.Stats().Shipped == n })
			got := srv.store.all()
			if len(got) != n {
				t.Fatalf("stored %d, want %d", len(got), n)
			}
			for i, r := range got {
				if index(r) != i || len(r.Message) != wire.MaxMessageBytes {
					t.Fatalf("result %d: index %d, message of %d bytes", i, index(r), len(r.Message))
				}
			}
			if st := srv.rc.Stats(); st.Batches < 2 {
				t.Errorf("%d batches: want the first one split", st.Batches)
			}
			if refused := a.Stats().Failures - failures; (refused > 0) != c.failing {
				t.Errorf("%d tries refused as too large", refused)
			}
		})
	}
}

func TestRefusesOtherLocationsAndBadSettings(t *testing.T) {
	srv := newServer(t, t.TempDir())
	a, sp, stop := runAgent(t, srv.URL, t.TempDir(), nil)
	r := result(0)
	r.Location = "fra"
	a.Emit(r)
	stop()
	if st := a.Stats(); st.Dropped != 1 || sp.Stats().Next != 1 {
		t.Errorf("a result of another location: %+v; want it dropped before the spool", st)
	}
	for _, c := range []struct {
		name string
		opts agent.Options
		want string
	}{
		{"scheme", agent.Options{Server: "ftp://x", Token: "t", Location: "ams", Spool: sp}, "not an http(s) URL"},
		{"credentials", agent.Options{Server: "https://u:p@x", Token: "t", Location: "ams", Spool: sp}, "credentials"},
		{"token", agent.Options{Server: "https://x", Location: "ams", Spool: sp}, "VIGIL_AGENT_TOKEN"},
		{"location", agent.Options{Server: "https://x", Token: "t", Spool: sp}, "no location"},
	} {
		if _, err := agent.New(c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error about %q", c.name, err, c.want)
		}
	}
}
