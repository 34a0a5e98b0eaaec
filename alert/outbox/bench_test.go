package outbox_test

import (
	"testing"
	"time"

	"github.com/vigilmon/vigil/alert/notify/twiliofake"
)

// BenchmarkFanout10k sends one update to 10,000 subscribers through the
// fake Twilio with a rate that allows it (5,000/s, burst 100) and reports
// messages per second, enqueue included.
func BenchmarkFanout10k(b *testing.B) {
	const n = 10000
	for b.Loop() {
		b.StopTimer()
		fake := twiliofake.New(twiliofake.Options{})
		st := openState(b, b.TempDir())
		w := newWorker(b, st, newTwilio(b, fake, ""), 5000, 100, nil)
		start(b, w)
		b.StartTimer()
		began := time.Now()
		enqueue(b, st, 0, n)
		w.Wake("")
		waitDrained(b, st, 5*time.Minute)
		elapsed := time.Since(began)
		b.StopTimer()
		if got := len(fake.Messages()); got != n {
			b.Fatalf("%d delivered, want %d", got, n)
		}
		b.ReportMetric(float64(n)/elapsed.Seconds(), "msgs/s")
		fake.Close()
		b.StartTimer()
	}
}
