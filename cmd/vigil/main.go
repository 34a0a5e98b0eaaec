// Command vigil is the monitoring daemon and its command-line tools. It is
// the only place that wires vigil's packages together.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// errFailed says the command ran and found failures it already printed
// (a failed probe, an invalid config): exit 1 without another message.
var errFailed = errors.New("failed")

// usageError is a mistake on the command line: exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errFailed):
		return 1
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "vigil:", ue.msg)
		return 2
	default:
		fmt.Fprintln(stderr, "vigil:", err)
		return 1
	}
}

const usage = `vigil watches a SaaS application the way its customers experience it.

Usage:
  vigil serve    [-config FILE] [-listen ADDR] [-data-dir DIR]   run the daemon
  vigil probe    [-config FILE] [-check NAME]                    run checks once, print each phase
  vigil agent    -config FILE -server URL -location NAME         probe from a remote location, ship results to the server
                 [-spool DIR] [-spool-max SIZE]                 (token from $VIGIL_AGENT_TOKEN)
  vigil validate -config FILE                                    check a config file
  vigil maintenance schedule|list|complete|cancel|reschedule ...  change the maintenance schedule
                 [-config FILE] [-data-dir DIR]                 (vigil maintenance help shows each)
  vigil incident list|show|update|resolve|ack ...                 incidents of the running daemon
                 [-server URL] [-config FILE]                   (vigil incident help shows each)
  vigil report   -customer NAME -month YYYY-MM [-format json|csv|html|pdf] [-o FILE]
                 [-config FILE] [-data-dir DIR] [-source local|remote]
                                                                a customer's monthly SLA report from the store
  vigil sla      -customer NAME -month YYYY-MM -observations OBS.csv -maintenance MW.yaml
                 [-format json|csv|html|pdf] [-o FILE] [-config FILE]
                                                                the same report computed from files (audits)
  vigil healthcheck [-url URL]                                   exit 0 when a running vigil answers /healthz
  vigil version

Without -config, vigil uses its embedded default, which probes a built-in demo application.`

// run executes one vigil command. A command's -h has printed its usage:
// that is success.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := runCommand(ctx, args, stdout, stderr); !errors.Is(err, errHelp) {
		return err
	}
	return nil
}

func runCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, stdout, stderr)
	case "probe":
		return probeOnce(ctx, rest, stdout, stderr)
	case "agent":
		return agentCmd(ctx, rest, stdout, stderr)
	case "validate":
		return validate(rest, stdout, stderr)
	case "maintenance":
		return maintenance(ctx, rest, stdout, stderr)
	case "incident":
		return incident(ctx, rest, stdout, stderr)
	case "report":
		return reportCmd(ctx, rest, stdout, stderr)
	case "sla":
		return slaCmd(ctx, rest, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "vigil", version)
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}
