package selfmetrics

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestRegisterRemoteWrite(t *testing.T) {
	m := New()
	stats := RemoteWriteStats{SamplesSent: 1200, SamplesFailed: 30, SamplesDropped: 9, SamplesRetried: 600, QueueSamples: 42, QueueCapacity: 100000}
	m.RegisterRemoteWrite(`vm:8428`, func() RemoteWriteStats { return stats })
	scrape := func() string {
		var b bytes.Buffer
		m.WritePrometheus(&b)
		return b.String()
	}
	out := scrape()
	for _, want := range []string{
		`vigil_remote_write_samples_sent_total{remote="vm:8428"} 1200`,
		`vigil_remote_write_samples_failed_total{remote="vm:8428"} 30`,
		`vigil_remote_write_samples_dropped_total{remote="vm:8428"} 9`,
		`vigil_remote_write_samples_retried_total{remote="vm:8428"} 600`,
		`vigil_remote_write_queue_samples{remote="vm:8428"} 42`,
		`vigil_remote_write_queue_capacity_samples{remote="vm:8428"} 100000`,
		`vigil_remote_write_last_success_timestamp_seconds{remote="vm:8428"} 0`,
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
	// Values are read at scrape time.
	stats.QueueSamples, stats.LastSuccess = 7, time.UnixMilli(1_790_000_000_250)
	out = scrape()
	for _, want := range []string{
		`vigil_remote_write_queue_samples{remote="vm:8428"} 7`,
		`vigil_remote_write_last_success_timestamp_seconds{remote="vm:8428"} 1.79000000025e+09`,
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
}
