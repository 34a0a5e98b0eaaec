package main

import (
	"log/slog"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/sla/report"
)

// Where vigil report reads the results from (its -source flag).
const (
	sourceLocal  = "local"  // the results database in the data dir
	sourceRemote = "remote" // the config's remote_read backend
)

// openReportSource opens the results a report reads and returns how to
// close them.
func openReportSource(source string, cfg *configs.Config, customer, monthArg string, format report.Format, logger *slog.Logger) (observationSource, func() error, error) {
	switch source {
	case sourceLocal:
		results, err := openResultsForReport(cfg.Server.DataDir, cfg.Server.Retention.D(), customer, monthArg, format, logger)
		if err != nil {
			return nil, nil, err
		}
		return results, results.Close, nil
	case sourceRemote:
		reader, err := newRemoteReader(cfg)
		if err != nil {
			return nil, nil, err
		}
		return reader, func() error { return nil }, nil
	}
	return nil, nil, usageError{"-source " + source + " is not supported; use local (the data dir's results) or remote (the config's remote_read)"}
}
