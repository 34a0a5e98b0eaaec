package selfmetrics

import (
	"strconv"
	"time"
)

// RemoteWriteStats is what one remote-write endpoint reports, read at
// scrape time.
type RemoteWriteStats struct {
	SamplesSent, SamplesFailed, SamplesDropped, SamplesRetried uint64
	QueueSamples, QueueCapacity                                int
	LastSuccess                                                time.Time // zero: never
}

// RegisterRemoteWrite exposes the counters of the remote-write endpoint
// named remote, each with the label remote="…":
//
//	vigil_remote_write_samples_sent_total          accepted by the backend
//	vigil_remote_write_samples_failed_total        refused (4xx) or not delivered within retry_for
//	vigil_remote_write_samples_dropped_total       pushed out of a full queue, or unsent at shutdown
//	vigil_remote_write_samples_retried_total       samples of every retried request
//	vigil_remote_write_queue_samples               waiting now
//	vigil_remote_write_queue_capacity_samples      the most that may wait
//	vigil_remote_write_last_success_timestamp_seconds  Unix time of the last accepted request, 0 before
//
// Register each name once.
func (m *Metrics) RegisterRemoteWrite(remote string, stats func() RemoteWriteStats) {
	l := "{remote=" + strconv.Quote(remote) + "}"
	for _, g := range []struct {
		name string
		f    func(RemoteWriteStats) float64
	}{
		{"vigil_remote_write_samples_sent_total", func(s RemoteWriteStats) float64 { return float64(s.SamplesSent) }},
		{"vigil_remote_write_samples_failed_total", func(s RemoteWriteStats) float64 { return float64(s.SamplesFailed) }},
		{"vigil_remote_write_samples_dropped_total", func(s RemoteWriteStats) float64 { return float64(s.SamplesDropped) }},
		{"vigil_remote_write_samples_retried_total", func(s RemoteWriteStats) float64 { return float64(s.SamplesRetried) }},
		{"vigil_remote_write_queue_samples", func(s RemoteWriteStats) float64 { return float64(s.QueueSamples) }},
		{"vigil_remote_write_queue_capacity_samples", func(s RemoteWriteStats) float64 { return float64(s.QueueCapacity) }},
		{"vigil_remote_write_last_success_timestamp_seconds", func(s RemoteWriteStats) float64 {
			if s.LastSuccess.IsZero() {
				return 0
			}
			return float64(s.LastSuccess.UnixMilli()) / 1000
		}},
	} {
		m.set.NewGauge(g.name+l, func() float64 { return g.f(stats()) })
	}
}
