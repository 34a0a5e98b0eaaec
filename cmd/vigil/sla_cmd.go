package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/vigilmon/vigil/sla"
)

// slaCmd runs "vigil sla": the SLA of one customer and month computed
// offline from files, for audits and re-computation. It is the same
// computation as vigil report, over OBS.csv and MW.yaml instead of the
// store (incidents are not part of the files, so the offline report lists
// none).
func slaCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sla", stderr)
	rf := addReportFlags(fs, "config file with the SLA terms (default: the embedded demo config)")
	obsPath := fs.String("observations", "", "OBS.csv: start,check,location,ok,duration_ms,reason,interval_ms")
	mwPath := fs.String("maintenance", "", "MW.yaml: a list of {id, components, start, end, announced_at, actual_end} ([] for none)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required(fs, "customer", "month", "observations", "maintenance"); err != nil {
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
	return writeReport(*rf.out, stdout, format, res)
}
