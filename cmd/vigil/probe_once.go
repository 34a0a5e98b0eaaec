package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/probe"
)

// probeOnce runs the checks once and prints each phase: the engineer's
// "curl -w". It exits 1 if any check failed.
func probeOnce(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("probe", stderr)
	path := fs.String("config", "", "config file (default: the embedded demo config)")
	only := fs.String("check", "", "run only this check")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path, stderr)
	if err != nil {
		return err
	}
	if *only != "" {
		var kept []configs.Check
		for _, c := range cfg.Checks {
			if c.Name == *only {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			return usageError{fmt.Sprintf("no check named %q in the config", *only)}
		}
		cfg.Checks = kept
	}
	browsers := newBrowsers(cfg.Server.DataDir, slog.New(slog.DiscardHandler))
	defer browsers.Close()
	jobs, err := buildJobs(cfg, browsers)
	if err != nil {
		return err
	}
	if cfg.Demo.Enabled {
		stopDemo, err := startDemo(ctx, cfg.Demo.Listen, slog.New(slog.DiscardHandler))
		if err != nil {
			return err
		}
		defer stopDemo()
	}

	results := make([]probe.Result, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() {
			pctx, cancel := context.WithTimeout(ctx, j.Timeout)
			defer cancel()
			r := j.Prober.Probe(pctx)
			r.Check, r.Location, r.Interval = j.Name, cfg.Location, j.Interval
			results[i] = r
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	failed := printResults(stdout, cfg, results)
	if failed > 0 {
		fmt.Fprintf(stderr, "%d of %d checks failed\n", failed, len(results))
		return errFailed
	}
	return nil
}

func printResults(w io.Writer, cfg *configs.Config, results []probe.Result) (failed int) {
	kinds := map[string]string{}
	for _, c := range cfg.Checks {
		kinds[c.Name] = c.Kind()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tKIND\tRESULT\tSTATUS\tDNS\tCONNECT\tTLS\tTTFB\tTRANSFER\tTOTAL\tMESSAGE\t")
	for _, r := range results {
		outcome := "ok"
		if !r.OK {
			outcome = string(r.Reason)
			failed++
		}
		status := "-"
		if r.Status != 0 {
			status = fmt.Sprint(r.Status)
		}
		phases := []string{"-", "-", "-", "-", "-"}
		if r.Phases != nil {
			for i, p := range probe.PhaseNames {
				phases[i] = fmtMS(r.Phases.Get(p))
			}
		}
		msg := r.Message
		if r.Screenshot != "" {
			msg += " (screenshot " + filepath.Join(cfg.Server.DataDir, "screenshots", r.Screenshot) + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
			r.Check, kinds[r.Check], outcome, status,
			phases[0], phases[1], phases[2], phases[3], phases[4], fmtMS(r.Duration), msg)
		printSteps(tw, r.Steps)
	}
	tw.Flush()
	return failed
}

// printSteps adds one row per step of a screen or browser run under its
// check, marking the steps whose time makes up the check's TOTAL.
func printSteps(tw io.Writer, steps []probe.Step) {
	for _, st := range steps {
		outcome, status := "ok", "-"
		if !st.OK {
			outcome = "failed"
		}
		if st.Status != 0 {
			status = fmt.Sprint(st.Status)
		}
		note := "not measured"
		if st.Measured {
			note = "measured"
		}
		if st.Message != "" {
			note += ": " + st.Message
		}
		fmt.Fprintf(tw, "  %s\t\t%s\t%s\t\t\t\t\t\t%s\t%s\t\n", st.Name, outcome, status, fmtMS(st.Duration), note)
	}
}

// fmtMS shows d in milliseconds, with hundredths below 1 ms: a loopback or
// LAN connect (the kernel's handshake round trip) is tens of microseconds.
func fmtMS(d time.Duration) string {
	ms := float64(d.Microseconds()) / 1000
	switch {
	case d == 0:
		return "0ms" // the phase did not happen (no DNS for an address, no TLS), or took no time
	case d < time.Millisecond:
		return fmt.Sprintf("%.2fms", ms)
	}
	return fmt.Sprintf("%.1fms", ms)
}
