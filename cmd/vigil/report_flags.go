package main

import (
	"flag"
	"time"

	"github.com/vigilmon/vigil/internal/month"
	"github.com/vigilmon/vigil/sla/report"
)

// reportFlags are the flags vigil report and vigil sla share: the same
// report, from the store or from files.
type reportFlags struct {
	config, customer, month, format, out *string
}

func addReportFlags(fs *flag.FlagSet, configHelp string) reportFlags {
	return reportFlags{
		config:   fs.String("config", "", configHelp),
		customer: fs.String("customer", "", "the customer whose SLA to report (slas[].customer)"),
		month:    fs.String("month", "", "the calendar month in the SLA's time zone, YYYY-MM"),
		format:   fs.String("format", "json", "json, csv, html or pdf"),
		out:      fs.String("o", "", "write the report to this file (default: stdout)"),
	}
}

// parse reads the month and the format, as usage errors.
func (f reportFlags) parse() (int, time.Month, report.Format, error) {
	year, mon, err := month.Parse(*f.month)
	if err != nil {
		return 0, 0, "", usageError{err.Error()}
	}
	format, err := report.ParseFormat(*f.format)
	if err != nil {
		return 0, 0, "", usageError{err.Error()}
	}
	return year, mon, format, nil
}
