package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vigilmon/vigil/sla/report"
	"github.com/vigilmon/vigil/store"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// reportCmd runs "vigil report": one customer's monthly SLA report from
// the live store in the data dir.
func reportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", stderr)
	rf := addReportFlags(fs, "config file (default: the embedded demo config)")
	dataDir := fs.String("data-dir", "", "data directory, overrides server.data_dir")
	source := fs.String("source", sourceLocal, "where the results are read: local (the data dir's results database) or remote (the config's remote_read)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required(fs, "customer", "month"); err != nil {
		return err
	}
	year, mon, format, err := rf.parse()
	if err != nil {
		return err
	}
	customer := rf.customer
	cfg, err := loadConfig(*rf.config, stderr)
	if err != nil {
		return err
	}
	if *dataDir != "" {
		cfg.Server.DataDir = *dataDir
	}
	if _, err := findSLA(cfg, *customer); err != nil {
		return usageError{err.Error()}
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	results, closeResults, err := openReportSource(*source, cfg, *customer, *rf.month, format, logger)
	if err != nil {
		return err
	}
	defer closeResults()
	state, err := store.Open(ctx, cfg.Server.StateDSN(), logger)
	if err != nil {
		return err
	}
	defer state.Close()
	res, err := buildReport(ctx, cfg, results, state, *customer, year, mon)
	if err != nil {
		return err
	}
	return writeReport(*rf.out, stdout, format, res)
}

// openResultsForReport opens the results in dataDir for reading a report.
// It keeps the daemon's retention (a shorter one would delete history),
// refuses a data dir without results rather than creating an empty
// one, and explains what to do when vigil serve holds the TSDB lock.
func openResultsForReport(dataDir string, retention time.Duration, customer, monthArg string, format report.Format, logger *slog.Logger) (*resultsdb.Results, error) {
	tsdbDir := filepath.Join(dataDir, "tsdb")
	if _, err := os.Stat(tsdbDir); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no results in data dir %s (%s does not exist): point -data-dir (or server.data_dir) at the data dir vigil serve writes to", dataDir, tsdbDir)
	}
	results, err := resultsdb.Open(dataDir, resultsdb.Options{Retention: retention}, logger)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, fmt.Errorf("vigil serve is running on data dir %s: fetch the report from GET /api/v1/reports/%s/%s.%s instead (with Authorization: Bearer <server.report_token>)",
			dataDir, customer, monthArg, format)
	}
	return results, err
}
