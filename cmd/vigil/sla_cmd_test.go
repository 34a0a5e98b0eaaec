package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/sla"
)

// testResults are probe results of home and screen, from ams and fra, one
// per minute and location over [from, to): home is down at
// both locations 2026-10-01 10:00-10:30 UTC, at fra alone 12:00-12:10 (not
// a majority) and at both 19:30-20:30 (inside a maintenance window);
// screen (from ams and fra) takes 1500.5 ms, every tenth 2500 ms, and
// every 50th times out at fra (slow, but not a majority: not down).
func testResults(from, to time.Time) []probe.Result {
	in := func(t time.Time, a, b string) bool {
		ta, _ := time.Parse(time.RFC3339, a)
		tb, _ := time.Parse(time.RFC3339, b)
		return !t.Before(ta) && t.Before(tb)
	}
	var out []probe.Result
	for i, m := 0, from; m.Before(to); i, m = i+1, m.Add(time.Minute) {
		for _, loc := range []string{"ams", "fra"} {
			r := probe.Result{Check: "home", Location: loc, Start: m.Add(7 * time.Second), Duration: 120 * time.Millisecond, Interval: time.Minute, OK: true}
			if in(m, "2026-10-01T10:00:00Z", "2026-10-01T10:30:00Z") || in(m, "2026-10-01T19:30:00Z", "2026-10-01T20:30:00Z") ||
				loc == "fra" && in(m, "2026-10-01T12:00:00Z", "2026-10-01T12:10:00Z") {
				r.OK, r.Reason, r.Status = false, probe.ReasonStatus, 503
			}
			out = append(out, r)
		}
		for _, loc := range []string{"ams", "fra"} {
			r := probe.Result{Check: "screen", Location: loc, Start: m.Add(11 * time.Second), Duration: 1500*time.Millisecond + 500*time.Microsecond, Interval: time.Minute, OK: true}
			switch {
			case i%50 == 0 && loc == "fra":
				r.OK, r.Reason, r.Duration = false, probe.ReasonTimeout, 5*time.Second
			case i%10 == 0:
				r.Duration = 2500 * time.Millisecond
			}
			out = append(out, r)
		}
	}
	return out
}

// obsCSV renders observations as OBS.csv.
func obsCSV(obs []sla.Observation) string {
	var b strings.Builder
	b.WriteString(strings.Join(obsHeader, ",") + "\n")
	for i, o := range obs {
		start := time.UnixMilli(o.StartMS).UTC().Format("2006-01-02T15:04:05.000Z")
		if i%2 == 1 {
			start = strconv.FormatInt(o.StartMS, 10) // both forms are accepted
		}
		fmt.Fprintf(&b, "%s,%s,%s,%t,%d,%s,%d\n", start, o.Check, o.Location, o.OK, o.DurationMS, o.Reason, o.IntervalMS)
	}
	return b.String()
}

// observationsOf converts results to observations, as the store does.
func observationsOf(rs []probe.Result) []sla.Observation {
	out := make([]sla.Observation, 0, len(rs))
	for _, r := range rs {
		out = append(out, sla.Observation{StartMS: r.Start.UnixMilli(), Check: r.Check, Location: r.Location, OK: r.OK,
			DurationMS: sla.MillisFromDuration(r.Duration), Reason: string(r.Reason), IntervalMS: r.Interval.Milliseconds()})
	}
	return out
}

const testWindowsYAML = `# acme: Thursday night, a week's notice, closed half an hour early.
- id: mw-planned
  title: Database upgrade
  components: [app]
  start: 2026-10-01T21:00:00+02:00
  end: 2026-10-01T23:00:00+02:00
  announced_at: 2026-09-20T12:00:00Z
  actual_end: 2026-10-01T22:30:00+02:00
# A day's notice only: counts.
- id: mw-short
  components: [app]
  start: 2026-10-01T12:00:00+02:00
  end: 2026-10-01T12:30:00+02:00
  announced_at: 2026-09-30T12:00:00Z
`

func TestSLAOffline(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "c.yaml", slaConfig)
	obs := observationsOf(testResults(time.Date(2026, 9, 30, 21, 0, 0, 0, time.UTC), time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC)))
	obsPath := writeFile(t, dir, "obs.csv", obsCSV(obs))
	mw := writeFile(t, dir, "mw.yaml", testWindowsYAML)
	args := []string{"sla", "-config", cfg, "-customer", "acme", "-month", "2026-10", "-observations", obsPath, "-maintenance", mw, "-format", "json"}

	code, out, errOut := vigil(t, args...)
	if code != 0 {
		t.Fatalf("vigil sla: exit %d\n%s", code, errOut)
	}
	var res sla.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	// 30 minutes down at both locations, plus 60 in the planned window of
	// which 19:30-20:30 UTC lie in its exclusion span 19:00-20:30 UTC: the
	// unplanned window excludes nothing, fra alone is never a majority.
	want := sla.Minutes{Total: 44700, Down: 30, Excluded: 90}
	// Monitored from 2026-09-30T22:00Z to 2026-10-03T00:01Z: the last
	// results cover the minute after them.
	want.Up = 2*1440 + 121 - want.Down - want.Excluded
	want.Unmonitored = want.Total - want.Up - want.Down - want.Excluded
	if res.Schema != sla.Schema || res.Customer != "acme" || res.Month != "2026-10" || res.Minutes != want {
		t.Errorf("result %s %s %s %+v, want minutes %+v", res.Schema, res.Customer, res.Month, res.Minutes, want)
	}
	if len(res.Maintenance) != 2 || !res.Maintenance[1].Planned || res.Maintenance[0].Planned ||
		res.Maintenance[0].Reason != "notice 22h < 120h; outside allowed hours: Thu 12:00" {
		t.Errorf("maintenance %+v", res.Maintenance)
	}
	if len(res.Screens) != 1 || res.Screens[0].Total == 0 || res.Screens[0].P50MS == nil || *res.Screens[0].P50MS != 1501 {
		t.Errorf("screens %+v", res.Screens)
	}

	// Series out of time order are sorted in memory: the same answer.
	shuffled := slices.Clone(obs)
	slices.Reverse(shuffled)
	writeFile(t, dir, "obs.csv", obsCSV(shuffled))
	if code, out2, errOut := vigil(t, args...); code != 0 || out2 != out {
		t.Errorf("reversed file: exit %d, same output %v\n%s", code, out2 == out, errOut)
	}

	// -o writes the file.
	outFile := filepath.Join(dir, "acme.json")
	if code, _, errOut := vigil(t, append(args, "-o", outFile)...); code != 0 {
		t.Fatalf("-o: exit %d %s", code, errOut)
	}
	if b, err := os.ReadFile(outFile); err != nil || string(b) != out {
		t.Errorf("-o file differs from stdout (%v)", err)
	}
}

func TestSLAOfflineBadInput(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "c.yaml", slaConfig)
	mw := writeFile(t, dir, "mw.yaml", "[]\n")
	good := "2026-10-01T00:00:00Z,home,ams,true,120,,60000\n"
	for _, tc := range []struct {
		name, csv, month, mw string
		code                 int
		want                 string
	}{
		{"bad ok", "start,check,location,ok,duration_ms,reason,interval_ms\n" + good + good + "2026-10-01T00:01:00Z,home,ams,yes,120,,60000\n",
			"2026-10", "", 1, `obs.csv line 4: ok is "yes": write true or false`},
		{"bad start", "start,check,location,ok,duration_ms,reason,interval_ms\n2026-10-01 00:00,home,ams,true,120,,60000\n",
			"2026-10", "", 1, `obs.csv line 2: start "2026-10-01 00:00": write RFC 3339 UTC`},
		{"unknown check", "start,check,location,ok,duration_ms,reason,interval_ms\n" + good + "2026-10-01T00:00:00Z,hoem,ams,true,120,,60000\n",
			"2026-10", "", 1, `obs.csv line 3: check "hoem" is not in the config`},
		{"missing field", "start,check,location,ok,duration_ms,reason,interval_ms\n" + good + "2026-10-01T00:00:00Z,home,ams,true,120,60000\n",
			"2026-10", "", 1, "line 3"},
		{"ok with reason", "start,check,location,ok,duration_ms,reason,interval_ms\n2026-10-01T00:00:00Z,home,ams,true,120,status,60000\n",
			"2026-10", "", 1, "obs.csv line 2: ok is true but reason is \"status\""},
		{"zero interval", "start,check,location,ok,duration_ms,reason,interval_ms\n2026-10-01T00:00:00Z,home,ams,true,120,,0\n",
			"2026-10", "", 1, `obs.csv line 2: interval_ms is "0"`},
		{"header", "start,check,location,ok,duration,reason,interval_ms\n" + good,
			"2026-10", "", 1, "obs.csv line 1: header is"},
		{"bad month", "start,check,location,ok,duration_ms,reason,interval_ms\n" + good,
			"2026-1", "", 2, `month "2026-1" is not YYYY-MM: write it as YYYY-MM, e.g. 2026-10`},
		{"month 13", "start,check,location,ok,duration_ms,reason,interval_ms\n" + good,
			"2026-13", "", 2, `has no month 13`},
		{"unknown key in MW.yaml", "start,check,location,ok,duration_ms,reason,interval_ms\n" + good,
			"2026-10", "- {id: a, components: [app], start: 2026-10-01T00:00:00Z, end: 2026-10-01T01:00:00Z, announced_at: 2026-09-01T00:00:00Z, ends: x}\n", 1, "field ends not found"},
		{"loose time in MW.yaml", "start,check,location,ok,duration_ms,reason,interval_ms\n" + good,
			"2026-10", "- {id: a, components: [app], start: 2026-10-01, end: 2026-10-01T01:00:00Z, announced_at: 2026-09-01T00:00:00Z}\n", 1, `line 1: "2026-10-01" is not an RFC 3339 time`},
		{"window end before start", "start,check,location,ok,duration_ms,reason,interval_ms\n" + good,
			"2026-10", "- {id: a, components: [app], start: 2026-10-01T02:00:00Z, end: 2026-10-01T01:00:00Z, announced_at: 2026-09-01T00:00:00Z}\n", 1, "must be after start"},
		{"unknown component in MW.yaml", "start,check,location,ok,duration_ms,reason,interval_ms\n" + good,
			"2026-10", "- {id: a, components: [ap], start: 2026-10-01T00:00:00Z, end: 2026-10-01T01:00:00Z, announced_at: 2026-09-01T00:00:00Z}\n", 1, `unknown component "ap"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			obs := writeFile(t, dir, "obs.csv", tc.csv)
			mwPath := mw
			if tc.mw != "" {
				mwPath = writeFile(t, dir, "mw2.yaml", tc.mw)
			}
			code, out, errOut := vigil(t, "sla", "-config", cfg, "-customer", "acme", "-month", tc.month,
				"-observations", obs, "-maintenance", mwPath)
			if code != tc.code || !strings.Contains(errOut, tc.want) || out != "" {
				t.Errorf("exit %d (want %d), stderr %q, want %q; stdout %q", code, tc.code, errOut, tc.want, out)
			}
		})
	}
	code, _, errOut := vigil(t, "sla", "-config", cfg, "-customer", "nobody", "-month", "2026-10", "-observations", "x", "-maintenance", mw)
	if code != 2 || !strings.Contains(errOut, `unknown customer "nobody": the config knows acme, globex`) {
		t.Errorf("unknown customer: exit %d %s", code, errOut)
	}
}
