package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

const incidentUsage = `Usage:
  vigil incident list    [-from TIME] [-to TIME]
  vigil incident show    ID
  vigil incident update  ID -status identified|monitoring|investigating|resolved -message TEXT [-notify]
  vigil incident resolve ID [-message TEXT]
  vigil incident ack     ID [-by NAME]

The incident commands talk to the running daemon (its evaluator holds the
incidents' state): every subcommand takes -server URL (default: http://
and server.listen of the config), -config FILE for the address and the admin
token (server.admin_token, else $VIGIL_ADMIN_TOKEN). -notify sends the update
to the customer subscribers too; the on-call engineers always get it.`

// incident runs "vigil incident SUBCOMMAND".
func incident(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, incidentUsage)
		return usageError{"incident: no subcommand given: use list, show, update, resolve or ack"}
	}
	c := &incidentCmd{stdout: stdout, stderr: stderr}
	sub, rest := args[0], args[1:]
	switch sub {
	case "list":
		return c.list(ctx, rest)
	case "show":
		return c.show(ctx, rest)
	case "update":
		return c.update(ctx, rest)
	case "resolve":
		return c.resolve(ctx, rest)
	case "ack":
		return c.ack(ctx, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, incidentUsage)
		return nil
	}
	fmt.Fprintln(stderr, incidentUsage)
	return usageError{fmt.Sprintf("incident: unknown subcommand %q", sub)}
}

// incidentCmd carries what every incident subcommand shares.
type incidentCmd struct {
	stdout, stderr io.Writer

	configPath, server *string
}

// flags returns the subcommand's flag set with -config and -server.
func (c *incidentCmd) flags(sub string) *flag.FlagSet {
	fs := newFlags("incident "+sub, c.stderr)
	c.configPath = fs.String("config", "", "config file (default: the embedded demo config)")
	c.server = fs.String("server", "", "the daemon's URL (default: http:// and server.listen)")
	return fs
}

// parseIncidentID parses args holding one incident id, before or after the
// flags.
func parseIncidentID(fs *flag.FlagSet, args []string) (string, error) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], parseFlags(fs, args[1:])
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", errHelp
		}
		return "", usageError{err.Error()}
	}
	switch fs.NArg() {
	case 0:
		return "", usageError{"give the incident id, e.g. vigil " + strings.TrimPrefix(fs.Name(), "vigil ") + " inc-abcd2345"}
	case 1:
		return fs.Arg(0), nil
	}
	return "", usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(1))}
}

// call sends one admin API request to the daemon and decodes the answer
// into out.
func (c *incidentCmd) call(ctx context.Context, method, path string, body, out any) error {
	cfg, err := loadConfig(*c.configPath, c.stderr)
	if err != nil {
		return err
	}
	base := *c.server
	if base == "" {
		base = "http://" + cfg.Server.Listen
	}
	token := cfg.Server.AdminToken
	if token == "" {
		token = os.Getenv("VIGIL_ADMIN_TOKEN")
	}
	if token == "" {
		return errors.New("no admin token: set server.admin_token in the config (e.g. ${VIGIL_ADMIN_TOKEN}) or export VIGIL_ADMIN_TOKEN")
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(base, "/")+path, rd)
	if err != nil {
		return fmt.Errorf("-server %s: %w", base, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("reach vigil serve at %s: %w (is it running? give its address with -server)", base, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("read the answer of %s: %w", base, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Error string }
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			return fmt.Errorf("%s", e.Error)
		}
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	return json.Unmarshal(b, out)
}

// incidentView is an incident as the admin API returns it.
type incidentView struct {
	ID            string
	Title         string
	Components    []string
	Status        string
	OpenedAt      time.Time  `json:"opened_at"`
	ResolvedAt    *time.Time `json:"resolved_at"`
	AckedAt       *time.Time `json:"acked_at"`
	AckedBy       string     `json:"acked_by"`
	InMaintenance bool       `json:"in_maintenance"`
	Reopens       int
	Updates       []struct {
		Seq     int
		At      time.Time
		Status  string
		Message string
		Notify  bool
	}
}

func (c *incidentCmd) list(ctx context.Context, args []string) error {
	fs := c.flags("list")
	from := timeFlag(fs, "from", "list incidents from this time (RFC 3339; default 31 days ago)")
	to := timeFlag(fs, "to", "until this time (RFC 3339; default now)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	q := url.Values{}
	if from.set {
		q.Set("from", from.t.Format(time.RFC3339))
	}
	if to.set {
		q.Set("to", to.t.Format(time.RFC3339))
	}
	var out struct{ Incidents []incidentView }
	path := "/api/v1/incidents"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	if err := c.call(ctx, http.MethodGet, path, nil, &out); err != nil {
		return err
	}
	if len(out.Incidents) == 0 {
		fmt.Fprintln(c.stdout, "no incidents")
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tOPENED\tRESOLVED\tACKED BY\tTITLE")
	for _, inc := range out.Incidents {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", inc.ID, inc.Status, inc.OpenedAt.Format(time.RFC3339),
			optTime(inc.ResolvedAt), cmp.Or(inc.AckedBy, "-"), inc.Title)
	}
	return tw.Flush()
}

func (c *incidentCmd) show(ctx context.Context, args []string) error {
	fs := c.flags("show")
	id, err := parseIncidentID(fs, args)
	if err != nil {
		return err
	}
	var inc incidentView
	if err := c.call(ctx, http.MethodGet, "/api/v1/incidents/"+url.PathEscape(id), nil, &inc); err != nil {
		return err
	}
	c.print(inc)
	return nil
}

func (c *incidentCmd) update(ctx context.Context, args []string) error {
	fs := c.flags("update")
	status := fs.String("status", "", "investigating, identified, monitoring or resolved")
	message := fs.String("message", "", "what people are told")
	notify := fs.Bool("notify", false, "send the update to the customer subscribers too")
	id, err := parseIncidentID(fs, args)
	if err != nil {
		return err
	}
	if err := required(fs, "status", "message"); err != nil {
		return err
	}
	var inc incidentView
	body := map[string]any{"status": *status, "message": *message, "notify": *notify}
	if err := c.call(ctx, http.MethodPost, "/api/v1/incidents/"+url.PathEscape(id)+"/update", body, &inc); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "updated", inc.ID)
	c.print(inc)
	return nil
}

func (c *incidentCmd) resolve(ctx context.Context, args []string) error {
	fs := c.flags("resolve")
	message := fs.String("message", "", "what people are told (default: a standard text)")
	id, err := parseIncidentID(fs, args)
	if err != nil {
		return err
	}
	var inc incidentView
	if err := c.call(ctx, http.MethodPost, "/api/v1/incidents/"+url.PathEscape(id)+"/resolve", map[string]any{"message": *message}, &inc); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "resolved", inc.ID)
	c.print(inc)
	return nil
}

func (c *incidentCmd) ack(ctx context.Context, args []string) error {
	fs := c.flags("ack")
	by := fs.String("by", "", "who takes the incident on (default: $USER)")
	id, err := parseIncidentID(fs, args)
	if err != nil {
		return err
	}
	name := cmp.Or(*by, os.Getenv("USER"))
	var inc incidentView
	if err := c.call(ctx, http.MethodPost, "/api/v1/incidents/"+url.PathEscape(id)+"/ack", map[string]any{"by": name}, &inc); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "acknowledged", inc.ID, "by", inc.AckedBy)
	return nil
}

// print shows one incident with its timeline.
func (c *incidentCmd) print(inc incidentView) {
	w := c.stdout
	fmt.Fprintf(w, "%s  %s\n", inc.ID, inc.Title)
	fmt.Fprintf(w, "  status:      %s\n", inc.Status)
	fmt.Fprintf(w, "  components:  %s\n", strings.Join(inc.Components, ", "))
	fmt.Fprintf(w, "  opened:      %s\n", inc.OpenedAt.Format(time.RFC3339))
	fmt.Fprintf(w, "  resolved:    %s\n", optTime(inc.ResolvedAt))
	if inc.AckedAt != nil {
		fmt.Fprintf(w, "  acked:       %s by %s\n", inc.AckedAt.Format(time.RFC3339), inc.AckedBy)
	}
	if inc.InMaintenance {
		fmt.Fprintln(w, "  opened during planned maintenance: nobody paged")
	}
	for _, u := range inc.Updates {
		n := ""
		if u.Notify {
			n = " (subscribers notified)"
		}
		fmt.Fprintf(w, "  #%d %s %s%s: %s\n", u.Seq, u.At.Format(time.RFC3339), u.Status, n, u.Message)
	}
}

// optTime formats an optional time, "-" when unset.
func optTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.RFC3339)
}
