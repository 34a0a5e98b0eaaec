package main

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/gcfloor"
	"github.com/vigilmon/vigil/internal/selfmetrics"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// serve runs the daemon until ctx ends: probes on schedule, results into
// the store and to the alerting, the API on the configured address, reload
// on SIGHUP.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	path := fs.String("config", "", "config file (default: the embedded demo config)")
	listenAddr := fs.String("listen", "", "HTTP address, overrides server.listen")
	dataDir := fs.String("data-dir", "", "data directory, overrides server.data_dir")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	load := func() (*configs.Config, error) {
		cfg, err := loadConfig(*path, stderr)
		if err != nil {
			return nil, err
		}
		if *listenAddr != "" {
			cfg.Server.Listen = *listenAddr
		}
		if *dataDir != "" {
			cfg.Server.DataDir = *dataDir
		}
		return cfg, nil
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	logger := newLogger(cfg.Log, stderr)
	probe.UserAgent = "vigil/" + version

	results, err := resultsdb.Open(cfg.Server.DataDir, resultsdb.Options{Retention: cfg.Server.Retention.D(), OutOfOrder: agentLateWindow(cfg)}, logger)
	if err != nil {
		return err
	}
	defer gcfloor.Start(gcfloor.DefaultFloor).Stop() // once this daemon holds its data dir
	defer func() {
		if err := results.Close(); err != nil {
			logger.Error("close results", "err", err)
		}
	}()

	state, err := store.Open(ctx, cfg.Server.StateDSN(), logger)
	if err != nil {
		return err
	}
	defer func() {
		if err := state.Close(); err != nil {
			logger.Error("close state", "err", err)
		}
	}()
	live := &liveConfig{}
	live.set(cfg)

	m := selfmetrics.New()
	m.SetObjectives(objectives(cfg))
	remote, err := newRemoteWriters(cfg, m, logger)
	if err != nil {
		return err
	}
	registerStoreMetrics(m, results)
	latest := api.NewLatest()
	cat := &catalog{}
	cat.set(cfg)
	browsers := newBrowsers(cfg.Server.DataDir, logger)
	defer func() {
		if err := browsers.Close(); err != nil {
			logger.Error("close browser", "err", err)
		}
	}()
	jobs, err := buildJobs(cfg, browsers)
	if err != nil {
		return err
	}
	alerts, err := newAlerting(ctx, cfg, state, m, logger)
	if err != nil {
		return err
	}

	g, gctx := errgroup.WithContext(ctx)
	// observe passes a stored result to the live views: the latest-result
	// view, the metrics and the incident evaluator (never blocking).
	// Agents' results, which the ingest stores itself, join here while
	// they are fresh.
	observe := func(r probe.Result) {
		latest.Set(r)
		m.ObserveResult(r)
		alerts.Observe(r)
	}
	// Results leave the scheduler and the heartbeat monitor here: into
	// the store (which blocks when its queue is full, so nothing accepted
	// is dropped), the remote-write queues, and the live views.
	emit := func(r probe.Result) {
		if err := results.Write(gctx, r); err != nil {
			logger.Warn("result not stored", "check", r.Check, "err", err)
		}
		remote.Observe(r) // never blocks: a full queue drops its oldest
		observe(r)
	}
	ingest, err := newAgentIngest(cfg, results, ingestHooks{stored: remote.Observe, live: observe}, m, logger)
	if err != nil {
		return err
	}
	heartbeats := probe.NewHeartbeatMonitor(probe.HeartbeatOptions{
		Location: cfg.Location,
		Emit:     emit,
	}, probe.HeartbeatsFromConfig(cfg.Checks, cfg.Server.HeartbeatToken))
	if cfg.Demo.Enabled {
		stopDemo, err := startDemo(gctx, cfg.Demo.Listen, logger.With("component", "demo"))
		if err != nil {
			return err
		}
		defer stopDemo()
		logger.Info("demo application listening", "url", "http://"+cfg.Demo.Listen+"/")
	}

	subscribe, err := newSubscribe(cfg, state, alerts, logger)
	if err != nil {
		return err
	}
	page, err := newStatusPage(cfg, live, results, state, latest, subscribe, logger)
	if err != nil {
		return err
	}
	m.Gauge("vigil_status_page_renders_total", func() float64 { return float64(page.Renders()) })
	extra := map[string]http.Handler{}
	maps.Copy(extra, alerts.Handlers())
	extra["GET /api/v1/screenshots/{name}"] = browsers.screenshots()
	if cfg.StatusPage.Listen == "" {
		extra["/"] = page.Handler() // the public page beside the API
	} else {
		pln, err := listen(gctx, cfg.StatusPage.Listen, "the status page")
		if err != nil {
			return err
		}
		g.Go(func() error { return serveUntil(gctx, newHTTPServer(page.Handler(), logger), pln) })
		logger.Info("status page listening", "url", "http://"+pln.Addr().String()+"/")
	}
	g.Go(func() error { return page.Run(gctx) })
	g.Go(func() error { return remote.Run(gctx) })

	ln, err := listen(gctx, cfg.Server.Listen, "the API")
	if err != nil {
		return err
	}
	instanceRole := &role{}
	m.Gauge(`vigil_leader`, func() float64 {
		if instanceRole.String() == roleStandby {
			return 0
		}
		return 1
	})
	handler := api.Handler(api.Options{
		Role:    instanceRole.String,
		Catalog: cat,
		Latest:  latest,
		Results: resultsQuery{results},
		Metrics: func(w http.ResponseWriter) { m.WritePrometheus(w) },
		Logger:  logger.With("component", "api"),
		// Tokens are read at start; a reload does not change them.
		AdminToken:        cfg.Server.AdminToken,
		Maintenances:      alerts.Maintenances(),
		MaintenancePolicy: live,
		ReportToken:       cfg.Server.ReportToken,
		Reports:           liveReports{live: live, results: results, state: state},
		Incidents:         alerts.Incidents(),
		Subscribers:       state,
		Heartbeats:        heartbeats,
		Ingest:            ingest,
		Extra:             extra,
	})
	g.Go(func() error {
		return serveUntil(gctx, newHTTPServer(handler, logger), ln)
	})

	sched := probe.NewScheduler(probe.SchedulerOptions{
		Location: cfg.Location,
		Logger:   logger.With("component", "scheduler"),
		OnLag:    m.ObserveLag,
		OnSkip:   m.Skipped,
		Emit:     emit,
	})
	g.Go(func() error {
		warmLatest(gctx, results, latest, cfg, logger)
		restoreHeartbeats(gctx, results, heartbeats, latest, cfg, logger)
		heartbeats.Run(gctx)
		return nil
	})
	g.Go(func() error { return runAlerting(gctx, cfg, alerts, instanceRole, logger) })
	g.Go(func() error { sched.Run(gctx, jobs); return nil })
	g.Go(func() error {
		reloadOnHangup(gctx, load, reloadTargets{sched, heartbeats, browsers, m, cat, live, alerts}, logger)
		return nil
	})

	logger.Info("vigil serving", "version", version, "listen", "http://"+ln.Addr().String()+"/",
		"data_dir", cfg.Server.DataDir, "checks", len(jobs), "location", cfg.Location)
	err = g.Wait()
	logger.Info("vigil stopped")
	return err
}

// reloadTargets are the parts of the daemon a reload updates.
type reloadTargets struct {
	sched      *probe.Scheduler
	heartbeats *probe.HeartbeatMonitor
	browsers   *browsers
	metrics    *selfmetrics.Metrics
	cat        *catalog
	live       *liveConfig
	alerts     *alerting
}

// reloadOnHangup re-reads the config on SIGHUP. An invalid file is
// reported and the running config kept; unchanged checks keep their rhythm.
// The alerting learns the new checks before they first run (see
// alerting.Reload for what of its section a reload changes).
func reloadOnHangup(ctx context.Context, load func() (*configs.Config, error), t reloadTargets, logger *slog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		}
		cfg, err := load()
		if err != nil {
			logger.Error("reload: config rejected, keeping the running one", "err", err)
			continue
		}
		jobs, err := buildJobs(cfg, t.browsers)
		if err != nil {
			logger.Error("reload: config rejected, keeping the running one", "err", err)
			continue
		}
		if err := t.alerts.Reload(ctx, cfg); err != nil {
			if ctx.Err() != nil {
				return
			}
			logger.Error("reload: alerting not updated, it goes on with the running config", "err", err)
		}
		t.metrics.SetObjectives(objectives(cfg))
		started, stopped, kept := t.sched.Reload(jobs)
		t.heartbeats.Reload(probe.HeartbeatsFromConfig(cfg.Checks, cfg.Server.HeartbeatToken))
		t.cat.set(cfg)
		t.live.set(cfg)
		logger.Info("config reloaded", "started", started, "stopped", stopped, "kept", kept)
	}
}

// restoreHeartbeats continues each heartbeat's deadline from its last
// stored result (and shows that result as the latest), so a restart neither forgets a missed backup nor grants
// a late one a fresh grace period. Heartbeat results are sparse, so a
// month of one check is a cheap read.
func restoreHeartbeats(ctx context.Context, results *resultsdb.Results, mon *probe.HeartbeatMonitor, latest *api.Latest, cfg *configs.Config, logger *slog.Logger) {
	now := time.Now()
	for _, c := range cfg.Checks {
		if c.Heartbeat == nil {
			continue
		}
		from := now.Add(-max(31*24*time.Hour, 2*(c.Heartbeat.Period.D()+c.Heartbeat.Grace.D())))
		var last probe.Result
		err := results.Query(ctx, resultsdb.Query{Check: c.Name, From: from, To: now, NoDetails: true}, func(r probe.Result) error {
			last = r
			return nil
		})
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Warn("heartbeat deadline not restored", "check", c.Name, "err", err)
		case err == nil && !last.Start.IsZero():
			if mon.Restore(last) {
				latest.Set(last)
			}
		}
	}
}

// warmLatest fills the latest-result view from the store after a restart,
// so the API does not show every check as never run until its next tick.
// It reads back two of the longest intervals: enough to find every check's
// last result without reading history.
func warmLatest(ctx context.Context, results *resultsdb.Results, latest *api.Latest, cfg *configs.Config, logger *slog.Logger) {
	var longest time.Duration
	for _, c := range cfg.Checks {
		longest = max(longest, c.Interval.D())
	}
	now := time.Now()
	err := results.Query(ctx, resultsdb.Query{From: now.Add(-2 * longest), To: now}, func(r probe.Result) error {
		latest.Set(r)
		return nil
	})
	if err != nil && ctx.Err() == nil {
		logger.Warn("latest results not restored", "err", err)
	}
}

// resultsQuery adapts the store to the API's Results interface.
type resultsQuery struct{ r *resultsdb.Results }

func (q resultsQuery) Query(ctx context.Context, check string, from, to time.Time, fn func(probe.Result) error) error {
	return q.r.Query(ctx, resultsdb.Query{Check: check, From: from, To: to}, fn)
}

func registerStoreMetrics(m *selfmetrics.Metrics, r *resultsdb.Results) {
	m.Gauge("vigil_results_written_total", func() float64 { return float64(r.Stats().Written) })
	m.Gauge("vigil_results_pending", func() float64 { return float64(r.Stats().Pending) })
	m.Gauge("vigil_results_commits_total", func() float64 { return float64(r.Stats().Commits) })
	m.Gauge("vigil_results_commit_errors_total", func() float64 { return float64(r.Stats().CommitErrors) })
}

// newLogger builds the slog logger the config asks for.
func newLogger(c configs.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Level)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
