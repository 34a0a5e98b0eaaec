package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/selfmetrics"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store/remoteread"
	"github.com/vigilmon/vigil/store/remotewrite"
)

// remoteWriters sends every result to the config's remote_write
// endpoints, each with a queue of its own; none configured, it does
// nothing. The section is read at start: a change needs a restart.
type remoteWriters []*remotewrite.Writer

// newRemoteWriters builds a writer per remote_write endpoint and
// registers its counters in m.
func newRemoteWriters(cfg *configs.Config, m *selfmetrics.Metrics, logger *slog.Logger) (remoteWriters, error) {
	ws := make(remoteWriters, 0, len(cfg.RemoteWrite))
	for _, rw := range cfg.RemoteWrite {
		q := rw.Queue
		w, err := remotewrite.New(remotewrite.Config{
			URL:     rw.URL,
			Name:    rw.Name,
			Auth:    remoteAuth(rw.Headers, rw.BasicAuth, rw.BearerToken),
			Timeout: rw.Timeout.D(),
			Queue: remotewrite.QueueConfig{
				Capacity:          q.Capacity,
				MaxSamplesPerSend: q.MaxSamplesPerSend,
				BatchSendDeadline: q.BatchSendDeadline.D(),
				MinBackoff:        q.MinBackoff.D(),
				MaxBackoff:        q.MaxBackoff.D(),
				RetryFor:          q.RetryFor.D(),
			},
			UserAgent: "vigil/" + version,
		}, remotewrite.Options{Logger: logger.With("component", "remote_write")})
		if err != nil {
			return nil, fmt.Errorf("remote_write %s: %w", rw.Name, err)
		}
		m.RegisterRemoteWrite(w.Name(), func() selfmetrics.RemoteWriteStats {
			s := w.Stats()
			return selfmetrics.RemoteWriteStats{
				SamplesSent: s.SamplesSent, SamplesFailed: s.SamplesFailed,
				SamplesDropped: s.SamplesDropped, SamplesRetried: s.SamplesRetried,
				QueueSamples: s.QueueSamples, QueueCapacity: s.QueueCapacity,
				LastSuccess: s.LastSuccess,
			}
		})
		ws = append(ws, w)
	}
	return ws, nil
}

// Observe queues r for every endpoint; it never blocks.
func (ws remoteWriters) Observe(r probe.Result) {
	for _, w := range ws {
		w.Observe(r)
	}
}

// Run sends until ctx ends, then flushes each queue briefly (see
// remotewrite.Writer.Run). The error is for errgroup; it is always nil.
func (ws remoteWriters) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Go(func() { w.Run(ctx) })
	}
	wg.Wait()
	return nil
}

// newRemoteReader returns the reader of the config's remote_read, or an
// error saying how to configure it.
func newRemoteReader(cfg *configs.Config) (*remoteread.Reader, error) {
	r := cfg.RemoteRead
	if r.URL == "" {
		return nil, usageError{"-source remote needs remote_read.url in the config: the base of the backend's Prometheus API, e.g. http://victoria:8428"}
	}
	return remoteread.New(remoteread.Config{
		URL:       r.URL,
		Auth:      remoteAuth(r.Headers, r.BasicAuth, r.BearerToken),
		Timeout:   r.Timeout.D(),
		Chunk:     r.Chunk.D(),
		UserAgent: "vigil/" + version,
	}, remoteread.Options{})
}

// remoteAuth converts an endpoint's headers and credentials.
func remoteAuth(headers map[string]string, basic *configs.BasicAuth, bearer string) remotewrite.Auth {
	a := remotewrite.Auth{Headers: headers, BearerToken: bearer}
	if basic != nil {
		a.Username, a.Password = basic.Username, basic.Password
	}
	return a
}
