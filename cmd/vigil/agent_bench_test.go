package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

// BenchmarkAgentCatchUp measures an agent's catch-up after an outage, end
// to end: results spooled on disk while the server is unreachable, then
// read from the spool, compressed, POSTed to a running vigil serve,
// decoded, checked, committed to the TSDB and entered in the ledger. It
// reports the results per second of the catch-up and the spool's bytes
// per million results (HTTP checks with phases, one in eight failing with
// a message). "late" spreads the results over the last 200 minutes (1,000
// checks a minute: most are older than the TSDB's default out-of-order
// window and take its out-of-order path); "recent" puts them all within
// the last 50 minutes (4,000 checks a minute).
func BenchmarkAgentCatchUp(b *testing.B) {
	const n = 200_000
	for _, c := range []struct {
		name   string
		checks int
	}{{"late", 1000}, {"recent", 4000}} {
		b.Run(c.name, func(b *testing.B) {
			d := startServe(b, catchUpConfig, freeAddr(b))
			var spoolBytes, seconds float64
			for i := range b.N {
				now := time.Now().UTC().Truncate(time.Minute)
				minutes := n / c.checks
				rs := make([]probe.Result, 0, n)
				for m := range minutes {
					start := now.Add(time.Duration(m-minutes) * time.Minute)
					for k := range c.checks {
						r := probe.Result{Check: fmt.Sprintf("bench%d-%s-%04d", i, c.name, k), Location: "ams",
							Start: start.Add(time.Duration(k*59_000/c.checks) * time.Millisecond), Interval: time.Minute,
							Duration: time.Duration(20+(m+k)%300) * time.Millisecond, OK: true, Status: 200,
							Phases: &probe.Phases{DNS: time.Millisecond, Connect: 2 * time.Millisecond, TLS: 5 * time.Millisecond,
								TTFB: time.Duration(10+(m+k)%250) * time.Millisecond, Transfer: 3 * time.Millisecond}}
						if (m+k)%8 == 0 {
							r.OK, r.Reason, r.Status, r.Message = false, probe.ReasonStatus, 503, "status 503, expected 200"
						}
						rs = append(rs, r)
					}
				}
				g := newGate(b, d.base)
				a := shippingAgent(b, g.URL, "ams", "ams-agent-0123456789abcdef", 5000)
				for _, r := range rs {
					a.Emit(r)
				}
				waitTB(b, "spooled", time.Minute, func() bool { return a.Stats().Spooled == n })
				spoolBytes += float64(a.Stats().Spool.Bytes)
				began := time.Now()
				g.open.Store(true)
				waitTB(b, "caught up", 5*time.Minute, func() bool { return a.Stats().Shipped == n })
				seconds += time.Since(began).Seconds()
				if st := a.Stats(); st.Rejected != 0 {
					b.Fatalf("%d results rejected", st.Rejected)
				}
			}
			b.ReportMetric(float64(b.N*n)/seconds, "results/s")
			b.ReportMetric(spoolBytes/float64(b.N*n)*1e6, "spool-bytes/Mresult")
			b.ReportMetric(0, "ns/op")
		})
	}
}
