package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/vigilmon/vigil/agent/ingest"
	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/selfmetrics"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// agentLateWindow is the results database's out-of-order window for cfg:
// with agents, as long as the retention, so that an agent cut off for any
// time its spool covers still lands its results (late ones go through the
// head's out-of-order path; see resultsdb.Ingester); without, the
// database's default.
func agentLateWindow(cfg *configs.Config) time.Duration {
	if len(cfg.Agents) == 0 {
		return 0
	}
	return cfg.Server.Retention.D()
}

// ingestHooks pass the agents' results on once stored: stored gets every
// one, late ones included (the remote-write copy); live only the fresh
// ones (the latest view, metrics and incident evaluator; see ingest.Fresh).
// Nil hooks are skipped.
type ingestHooks struct {
	stored, live func(probe.Result)
}

// newAgentIngest wires the ingest API (POST /api/v1/ingest) for the
// config's agents: their batches go into results, exactly once per spool
// record (the ledger under data_dir), then to hooks, as serve does with a
// local result once it is stored. results must be open with the
// agentLateWindow. Without agents it returns nil: the API answers 404.
// Agents and tokens are read at start; a reload does not change them.
func newAgentIngest(cfg *configs.Config, results *resultsdb.Results, hooks ingestHooks,
	m *selfmetrics.Metrics, logger *slog.Logger) (api.IngestSink, error) {
	if len(cfg.Agents) == 0 {
		return nil, nil
	}
	ledger, err := ingest.OpenLedger(cfg.Server.DataDir, nil)
	if err != nil {
		return nil, err
	}
	logger = logger.With("component", "ingest")
	rc := ingest.New(ingest.Options{
		Store:     &ingestStore{results: results, byLocation: map[string]*resultsdb.Ingester{}},
		Ledger:    ledger,
		Stored:    hooks.stored,
		Live:      hooks.live,
		Retention: cfg.Server.Retention.D(),
		Logger:    logger,
	})
	registerIngestMetrics(m, rc)
	sink := &agentIngest{Receiver: rc}
	for _, a := range cfg.Agents {
		sink.agents = append(sink.agents, api.AgentToken{Location: a.Location, Token: a.Token})
	}
	return sink, nil
}

// agentIngest is the daemon's api.IngestSink: the receiver and the
// agents allowed to send.
type agentIngest struct {
	*ingest.Receiver
	agents []api.AgentToken
}

// Agents implements api.IngestSink.
func (a *agentIngest) Agents() []api.AgentToken { return a.agents }

// ingestStore adapts the results database to ingest.Store, with an
// Ingester per location: the batches of several agents catching up at once
// are appended in parallel (each location's one at a time: the receiver
// sees to that).
type ingestStore struct {
	results    *resultsdb.Results
	mu         sync.Mutex
	byLocation map[string]*resultsdb.Ingester
}

// Append implements ingest.Store; a batch holds one location's results.
func (s *ingestStore) Append(ctx context.Context, results []probe.Result) (map[int]string, error) {
	if len(results) == 0 {
		return nil, nil
	}
	s.mu.Lock()
	in, ok := s.byLocation[results[0].Location]
	if !ok {
		in = s.results.NewIngester()
		s.byLocation[results[0].Location] = in
	}
	s.mu.Unlock()
	out, err := in.Append(ctx, results)
	if err != nil {
		return nil, err
	}
	var refused map[int]string
	note := func(i int, why string) {
		if refused == nil {
			refused = map[int]string{}
		}
		refused[i] = why
	}
	for _, i := range out.TooOld {
		note(i, "older than the results database takes (its out-of-order window): restart vigil serve, which widens the window to the retention when agents are configured")
	}
	for i, err := range out.Refused {
		note(i, fmt.Sprintf("the results database refused it (another result of the check at this location at the same millisecond?): %v", err))
	}
	return refused, nil
}

// registerIngestMetrics adds the ingest counters to /metrics.
func registerIngestMetrics(m *selfmetrics.Metrics, rc *ingest.Receiver) {
	m.Gauge("vigil_ingest_batches_total", func() float64 { return float64(rc.Stats().Batches) })
	m.Gauge("vigil_ingest_results_stored_total", func() float64 { return float64(rc.Stats().Stored) })
	m.Gauge("vigil_ingest_results_duplicate_total", func() float64 { return float64(rc.Stats().Duplicates) })
	m.Gauge("vigil_ingest_results_rejected_total", func() float64 { return float64(rc.Stats().Rejected) })
}
