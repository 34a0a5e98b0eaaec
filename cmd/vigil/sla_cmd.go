package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/vigilmon/vigil/internal/month"
	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/sla/report"
)

// slaCmd runs "vigil sla": the SLA of one customer and month computed
// offline from files, for audits and re-computation. It is the same
// computation as vigil report, over OBS.csv and MW.yaml instead of the
// store (incidents are not part of the files, so the offline report lists
// none).
func slaCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sla", stderr)
	path := fs.String("config", "", "config file with the SLA terms (default: the embedded demo config)")
	customer := fs.String("customer", "", "the customer whose SLA to compute (slas[].customer)")
	monthArg := fs.String("month", "", "the calendar month in the SLA's time zone, YYYY-MM")
	obsPath := fs.String("observations", "", "OBS.csv: start,check,location,ok,duration_ms,reason,interval_ms")
	mwPath := fs.String("maintenance", "", "MW.yaml: a list of {id, components, start, end, announced_at, actual_end} ([] for none)")
	formatArg := fs.String("format", "json", "json, csv, html or pdf")
	out := fs.String("o", "", "write the report to this file (default: stdout)")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	if err := required(fs, "customer", "month", "observations", "maintenance"); err != nil {
		return err
	}
	year, mon, err := month.Parse(*monthArg)
	if err != nil {
		return usageError{err.Error()}
	}
	format, err := report.ParseFormat(*formatArg)
	if err != nil {
		return usageError{err.Error()}
	}
	cfg, err := loadConfig(*path, stderr)
	if err != nil {
		return err
	}
	terms, err := termsFor(cfg, *customer)
	if err != nil {
		return usageError{err.Error()}
	}
	windows, err := readWindows(*mwPath, cfg)
	if err != nil {
		return err
	}
	calc, err := sla.NewCalculator(terms, year, mon, windows)
	if err != nil {
		return fmt.Errorf("sla calculation for %s: %w", *customer, err)
	}
	checks := map[string]bool{}
	for _, c := range cfg.Checks {
		checks[c.Name] = true
	}
	f, err := os.Open(*obsPath)
	if err != nil {
		return fmt.Errorf("observations file: %w", err)
	}
	defer f.Close()
	if err := feedObservations(ctx, *obsPath, f, checks, calc.Add); err != nil {
		return err
	}
	res, err := calc.Result()
	if err != nil {
		return fmt.Errorf("sla result for %s: %w", *customer, err)
	}
	return writeReport(*out, stdout, format, res)
}
