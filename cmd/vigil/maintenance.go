package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/store"
)

const maintenanceUsage = `Usage:
  vigil maintenance schedule   -title T -components a,b -start TIME -end TIME
  vigil maintenance list       [-from TIME] [-to TIME]
  vigil maintenance complete   [-at TIME] ID
  vigil maintenance cancel     [-at TIME] ID
  vigil maintenance reschedule -start TIME -end TIME ID

Every subcommand takes -config FILE and -data-dir DIR and works on the state
database in the data dir directly (also while vigil serve runs). TIME is
RFC 3339, e.g. 2026-10-06T22:00:00+02:00; start and end are whole minutes.`

// maintenance runs "vigil maintenance SUBCOMMAND".
func maintenance(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, maintenanceUsage)
		return usageError{"maintenance: no subcommand given: use schedule, list, complete, cancel or reschedule"}
	}
	sub, rest := args[0], args[1:]
	m := &maintenanceCmd{stdout: stdout, stderr: stderr, now: time.Now}
	switch sub {
	case "schedule":
		return m.schedule(ctx, rest)
	case "list":
		return m.list(ctx, rest)
	case "complete", "cancel":
		return m.close(ctx, sub, rest)
	case "reschedule":
		return m.reschedule(ctx, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, maintenanceUsage)
		return nil
	}
	fmt.Fprintln(stderr, maintenanceUsage)
	return usageError{fmt.Sprintf("maintenance: unknown subcommand %q", sub)}
}

// maintenanceCmd carries what every maintenance subcommand shares.
type maintenanceCmd struct {
	stdout, stderr io.Writer
	now            func() time.Time

	configPath, dataDir *string
}

// flags returns the subcommand's flag set with -config and -data-dir.
func (m *maintenanceCmd) flags(sub string) *flag.FlagSet {
	fs := newFlags("maintenance "+sub, m.stderr)
	m.configPath = fs.String("config", "", "config file (default: the embedded demo config)")
	m.dataDir = fs.String("data-dir", "", "data directory, overrides server.data_dir")
	return fs
}

// open loads the config and opens the state database.
func (m *maintenanceCmd) open(ctx context.Context) (*configs.Config, *store.State, error) {
	cfg, err := loadConfig(*m.configPath, m.stderr)
	if err != nil {
		return nil, nil, err
	}
	if *m.dataDir != "" {
		cfg.Server.DataDir = *m.dataDir
	}
	st, err := store.Open(ctx, cfg.Server.StateDSN(), slog.New(slog.NewTextHandler(m.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}

func (m *maintenanceCmd) schedule(ctx context.Context, args []string) error {
	fs := m.flags("schedule")
	title := fs.String("title", "", "what people will see, e.g. \"Database upgrade\"")
	comps := fs.String("components", "", "comma-separated component ids, e.g. profit,insite")
	start := timeFlag(fs, "start", "when the window starts (RFC 3339, whole minutes)")
	end := timeFlag(fs, "end", "when the window ends (RFC 3339, whole minutes)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required(fs, "title", "components", "start", "end"); err != nil {
		return err
	}
	cfg, st, err := m.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	ids := splitList(*comps)
	if err := checkComponents(cfg, ids); err != nil {
		return err
	}
	w, err := st.ScheduleMaintenance(ctx, store.Maintenance{Title: *title, Components: ids, Start: start.t, End: end.t}, m.now())
	if err != nil {
		return err
	}
	fmt.Fprintln(m.stdout, "scheduled", w.ID)
	m.show(cfg, w)
	return m.announce(ctx, cfg, st, w)
}

func (m *maintenanceCmd) reschedule(ctx context.Context, args []string) error {
	fs := m.flags("reschedule")
	start := timeFlag(fs, "start", "the new start (RFC 3339, whole minutes)")
	end := timeFlag(fs, "end", "the new end (RFC 3339, whole minutes)")
	id, err := parseWithID(fs, args)
	if err != nil {
		return err
	}
	if err := required(fs, "start", "end"); err != nil {
		return err
	}
	cfg, st, err := m.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	w, err := st.RescheduleMaintenance(ctx, id, start.t, end.t, m.now())
	if err != nil {
		return withListHint(err)
	}
	fmt.Fprintln(m.stdout, "rescheduled", w.ID)
	m.show(cfg, w)
	return nil
}

// close completes or cancels a window.
func (m *maintenanceCmd) close(ctx context.Context, sub string, args []string) error {
	fs := m.flags(sub)
	at := timeFlag(fs, "at", "when it happened (RFC 3339; default now)")
	id, err := parseWithID(fs, args)
	if err != nil {
		return err
	}
	cfg, st, err := m.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	when := m.now()
	if at.set {
		when = at.t
	}
	op, verb := st.CompleteMaintenance, "completed"
	if sub == "cancel" {
		op, verb = st.CancelMaintenance, "cancelled"
	}
	w, err := op(ctx, id, when)
	if err != nil {
		return withListHint(err)
	}
	fmt.Fprintln(m.stdout, verb, w.ID)
	m.show(cfg, w)
	return nil
}

func (m *maintenanceCmd) list(ctx context.Context, args []string) error {
	fs := m.flags("list")
	now := m.now()
	from := timeFlag(fs, "from", "list windows overlapping this time or later (default: 31 days ago)")
	to := timeFlag(fs, "to", "and before this time (default: no end)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !from.set {
		from.t = now.AddDate(0, 0, -31)
	}
	if !to.set {
		to.t = now.AddDate(100, 0, 0)
	}
	_, st, err := m.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	ws, err := st.ListMaintenance(ctx, from.t, to.t, true)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tCOMPONENTS\tSTART\tEND\tANNOUNCED\tSTATUS")
	for _, w := range ws {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", w.ID, w.Title, strings.Join(w.Components, ","),
			fmtTime(w.Start), fmtTime(w.End), fmtTime(w.AnnouncedAt), api.MaintenanceStatus(w, now))
	}
	return tw.Flush()
}

// show prints a window and, on stderr, the customers that would count it
// as unplanned.
func (m *maintenanceCmd) show(cfg *configs.Config, w store.Maintenance) {
	fmt.Fprintf(m.stdout, "  title       %s\n", w.Title)
	fmt.Fprintf(m.stdout, "  components  %s\n", strings.Join(w.Components, ", "))
	fmt.Fprintf(m.stdout, "  start       %s\n", fmtTime(w.Start))
	fmt.Fprintf(m.stdout, "  end         %s\n", fmtTime(w.End))
	fmt.Fprintf(m.stdout, "  announced   %s\n", fmtTime(w.AnnouncedAt))
	if w.ActualEnd != nil {
		fmt.Fprintf(m.stdout, "  actual end  %s\n", fmtTime(*w.ActualEnd))
	}
	if w.CancelledAt != nil {
		fmt.Fprintf(m.stdout, "  cancelled   %s\n", fmtTime(*w.CancelledAt))
		return // a cancelled window excludes nothing: nothing to warn about
	}
	fmt.Fprintf(m.stdout, "  status      %s\n", api.MaintenanceStatus(w, m.now()))
	for _, warn := range unplannedWarnings(cfg, w) {
		fmt.Fprintln(m.stderr, "warning:", warn.Message)
	}
}

func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// checkComponents rejects component ids the config does not define.
func checkComponents(cfg *configs.Config, ids []string) error {
	known := componentIDs(cfg)
	for _, id := range ids {
		if !slices.Contains(known, id) {
			return usageError{fmt.Sprintf("unknown component %q: the config defines %s", id, strings.Join(known, ", "))}
		}
	}
	return nil
}

// splitList reads "a, b,c" as [a b c].
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// timeValue is an RFC 3339 flag that remembers whether it was given.
type timeValue struct {
	t   time.Time
	set bool
}

func (v *timeValue) String() string {
	if v == nil || !v.set {
		return ""
	}
	return v.t.Format(time.RFC3339)
}

func (v *timeValue) Set(s string) error {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("%q is not an RFC 3339 time: write e.g. 2026-10-06T22:00:00+02:00", s)
	}
	v.t, v.set = t, true
	return nil
}

func timeFlag(fs *flag.FlagSet, name, help string) *timeValue {
	v := &timeValue{}
	fs.Var(v, name, help)
	return v
}

// required fails when one of the named flags was not given.
func required(fs *flag.FlagSet, names ...string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var missing []string
	for _, n := range names {
		if !given[n] {
			missing = append(missing, "-"+n)
		}
	}
	if len(missing) > 0 {
		return usageError{fmt.Sprintf("%s: missing %s", fs.Name(), strings.Join(missing, ", "))}
	}
	return nil
}

// parseWithID parses flags and exactly one window id, which may come
// before, between or after the flags.
func parseWithID(fs *flag.FlagSet, args []string) (string, error) {
	var ids []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", errHelp
			}
			return "", usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		ids = append(ids, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch len(ids) {
	case 0:
		return "", usageError{fs.Name() + ": no window id given: vigil maintenance list shows them"}
	case 1:
		return ids[0], nil
	}
	return "", usageError{fmt.Sprintf("%s: one window id at a time, got %s", fs.Name(), strings.Join(ids, " "))}
}

// withListHint points at vigil maintenance list when a window id is
// unknown.
func withListHint(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: vigil maintenance list shows the windows", err)
	}
	return err
}
