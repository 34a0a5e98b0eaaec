package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"golang.org/x/sync/errgroup"

	"github.com/vigilmon/vigil/agent"
	"github.com/vigilmon/vigil/agent/spool"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/probe"
)

// agentTokenEnv holds the agent's token: never a flag, flags show in ps.
const agentTokenEnv = "VIGIL_AGENT_TOKEN"

// agentSetup is what `vigil agent` runs with.
type agentSetup struct {
	configPath string
	server     string
	location   string
	spoolDir   string
	spoolMax   int64
	token      string
}

// agentCmd runs `vigil agent`: the checks meant for this location, their
// results spooled on disk and shipped to the server.
func agentCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("agent", stderr)
	path := fs.String("config", "", "the server's config file (required)")
	server := fs.String("server", "", "the vigil server's URL, e.g. https://vigil.example.com (required)")
	location := fs.String("location", "", "this agent's location, as under agents in the config (required)")
	spoolDir := fs.String("spool", "", "spool directory, kept across restarts (default ./spool-<location>)")
	spoolMax := fs.String("spool-max", "1GiB", "spool size beyond which the oldest results are dropped")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	for _, req := range []struct{ name, value string }{{"-config", *path}, {"-server", *server}, {"-location", *location}} {
		if req.value == "" {
			return usageError{"vigil agent needs " + req.name + ": vigil agent -config FILE -server URL -location NAME"}
		}
	}
	max, err := configs.ParseByteSize(*spoolMax)
	if err != nil || max < 16<<20 {
		return usageError{fmt.Sprintf("-spool-max %q: write a size of at least 16MiB, e.g. 1GiB", *spoolMax)}
	}
	if *spoolDir == "" {
		*spoolDir = "spool-" + *location
	}
	probe.UserAgent = "vigil/" + version
	return runAgent(ctx, agentSetup{
		configPath: *path, server: *server, location: *location,
		spoolDir: *spoolDir, spoolMax: int64(max), token: os.Getenv(agentTokenEnv),
	}, stderr)
}

// runAgent runs the agent until ctx ends; SIGHUP reloads the checks.
func runAgent(ctx context.Context, s agentSetup, stderr io.Writer) error {
	cfg, err := loadAgentConfig(s.configPath, s.location, stderr)
	if err != nil {
		return err
	}
	if s.token == "" {
		return fmt.Errorf("%s is not set: export the token of location %s (the server's agents[].token for it)", agentTokenEnv, s.location)
	}
	logger := newLogger(cfg.Log, stderr).With("location", s.location)
	warnCleartext(s.server, logger)
	// Screenshots of failed browser runs stay on the agent, beside its spool.
	browsers := newBrowsers(s.spoolDir, logger)
	defer func() {
		if err := browsers.Close(); err != nil {
			logger.Error("close browser", "err", err)
		}
	}()
	jobs, err := buildJobs(cfg, browsers)
	if err != nil {
		return err
	}
	sp, err := spool.Open(s.spoolDir, spool.Options{MaxBytes: s.spoolMax})
	if err != nil {
		return err
	}
	defer func() {
		if err := sp.Close(); err != nil {
			logger.Error("close spool", "err", err)
		}
	}()
	ag, err := agent.New(agent.Options{Server: s.server, Token: s.token, Location: s.location, Spool: sp, Logger: logger})
	if err != nil {
		return err
	}
	sched := probe.NewScheduler(probe.SchedulerOptions{
		Location: s.location,
		Logger:   logger.With("component", "scheduler"),
		Emit:     ag.Emit,
	})
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { sched.Run(gctx, jobs); return nil })
	g.Go(func() error { return ag.Run(gctx) })
	g.Go(func() error {
		reloadAgentOnHangup(gctx, s, sched, browsers, logger)
		return nil
	})
	st := sp.Stats()
	logger.Info("vigil agent running", "version", version, "server", s.server, "checks", len(jobs),
		"spool", sp.Dir(), "spooled_pending", st.Pending)
	if len(jobs) == 0 {
		logger.Warn("no check runs at this location: give checks locations that include it, or none (every location)")
	}
	err = g.Wait()
	// The scheduler has stopped: what it emitted last goes to the spool.
	err = errors.Join(err, ag.Close())
	as := ag.Stats()
	logger.Info("vigil agent stopped", "spooled", as.Spooled, "shipped", as.Shipped, "rejected", as.Rejected,
		"dropped", as.Dropped, "pending", as.Spool.Pending)
	return err
}

// loadAgentConfig reads the server's config as an agent (see
// configs.ParseAgent) and makes location its own. Problems are printed;
// the caller exits 1.
func loadAgentConfig(path, location string, stderr io.Writer) (*configs.Config, error) {
	cfg, err := configs.LoadAgent(path)
	if err != nil {
		var probs configs.Problems
		if errors.As(err, &probs) {
			fmt.Fprintln(stderr, probs.Error())
			return nil, errFailed
		}
		return nil, err
	}
	if !slices.Contains(cfg.AgentLocations(), location) {
		known := "none"
		if len(cfg.Agents) > 0 {
			known = strings.Join(cfg.AgentLocations(), ", ")
		}
		return nil, usageError{fmt.Sprintf("location %q is not under agents in %s (agents: %s): give the agent the server's config file and one of its agents' locations", location, path, known)}
	}
	cfg.Location = location
	return cfg, nil
}

// reloadAgentOnHangup re-reads the checks on SIGHUP; an invalid file keeps
// the running checks. Unchanged checks keep their rhythm.
func reloadAgentOnHangup(ctx context.Context, s agentSetup, sched *probe.Scheduler, b *browsers, logger *slog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		}
		var problems strings.Builder
		cfg, err := loadAgentConfig(s.configPath, s.location, &problems)
		var jobs []probe.Job
		if err == nil {
			jobs, err = buildJobs(cfg, b)
		}
		if err != nil {
			logger.Error("reload: config rejected, keeping the running checks", "err", err, "problems", problems.String())
			continue
		}
		started, stopped, kept := sched.Reload(jobs)
		logger.Info("config reloaded", "started", started, "stopped", stopped, "kept", kept)
	}
}

// warnCleartext warns when the token would cross a network unencrypted.
func warnCleartext(server string, logger *slog.Logger) {
	u, err := url.Parse(server)
	if err != nil || u.Scheme != "http" {
		return
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return
	}
	logger.Warn("the server URL is http: the agent's token and results cross the network unencrypted; use https")
}
