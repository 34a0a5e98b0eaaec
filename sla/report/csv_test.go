package report

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/sla"
)

// parseCSV reads a CSV rendering back into its sections: name to rows, the
// header first.
func parseCSV(t *testing.T, b []byte) (map[string][][]string, []string) {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	sections := map[string][][]string{}
	var order []string
	cur := ""
	for _, rec := range recs {
		if len(rec) == 1 { // a section title
			cur = rec[0]
			order = append(order, cur)
			continue
		}
		if cur == "" {
			t.Fatalf("row before the first section title: %q", rec)
		}
		sections[cur] = append(sections[cur], rec)
	}
	return sections, order
}

// TestCSVRoundTrip reads the CSV back and compares every number with the
// Result's.
func TestCSVRoundTrip(t *testing.T) {
	res := testResult(t)
	b := render(t, CSV)
	if !bytes.Contains(b, []byte("\n\ndaily\n")) {
		t.Error("sections are not separated by a blank row")
	}
	sec, order := parseCSV(t, b)
	if got := strings.Join(order, ","); got != "summary,daily,maintenance,screens,incidents,latency_distribution" {
		t.Fatalf("sections %s", got)
	}

	summary := map[string]string{}
	for _, row := range sec["summary"][1:] {
		summary[row[0]] = row[1]
	}
	m := res.Minutes
	want := map[string]string{
		"schema": sla.Schema, "customer": res.Customer, "month": "2026-10", "timezone": "Europe/Amsterdam",
		"period_start": "2026-10-01T00:00:00+02:00", "period_end": "2026-11-01T00:00:00+01:00",
		"minutes_total": "44700", "minutes_excluded": itoa(m.Excluded), "minutes_down": itoa(m.Down),
		"minutes_unmonitored": itoa(m.Unmonitored), "minutes_up": itoa(m.Up),
		"availability_ppm": itoa(*res.AvailabilityPPM), "availability": *res.Availability,
		"target_ppm": "999000", "met": strconv.FormatBool(*res.Met), "credit_percent": itoa(*res.CreditPercent),
	}
	for k, v := range want {
		if summary[k] != v {
			t.Errorf("summary %s = %q, want %q", k, summary[k], v)
		}
	}

	daily := sec["daily"]
	if len(daily)-1 != len(res.Daily) {
		t.Fatalf("%d daily rows, want %d", len(daily)-1, len(res.Daily))
	}
	var sumUp int64
	for i, d := range res.Daily {
		row := daily[i+1]
		wantRow := []string{d.Date, itoa(d.Up), itoa(d.Down), itoa(d.Excluded), itoa(d.Unmonitored), optInt(d.AvailabilityPPM)}
		if strings.Join(row, ",") != strings.Join(wantRow, ",") {
			t.Errorf("daily row %v, want %v", row, wantRow)
		}
		sumUp += mustInt(t, row[1])
	}
	if sumUp != m.Up {
		t.Errorf("daily up adds to %d, want %d", sumUp, m.Up)
	}

	maint := sec["maintenance"]
	if len(maint)-1 != len(res.Maintenance) {
		t.Fatalf("%d maintenance rows", len(maint)-1)
	}
	for i, w := range res.Maintenance {
		row := maint[i+1]
		start, err := time.Parse(time.RFC3339, row[2])
		if err != nil || !start.Equal(w.Start) {
			t.Errorf("maintenance %s start %q (%v)", w.ID, row[2], err)
		}
		if row[0] != w.ID || row[6] != strconv.FormatFloat(w.NoticeHours, 'f', -1, 64) ||
			row[7] != strconv.FormatBool(w.Planned) || row[8] != w.Reason || mustInt(t, row[9]) != w.ExcludedMinutes {
			t.Errorf("maintenance row %q for %+v", row, w)
		}
	}
	if got := maint[1][4]; got != "2026-10-10T03:40:00+02:00" {
		t.Errorf("actual end %q", got)
	}

	screens := sec["screens"]
	for i, s := range res.Screens {
		row := screens[i+1]
		if row[0] != s.Check || mustInt(t, row[2]) != s.Total || mustInt(t, row[3]) != s.Good ||
			mustInt(t, row[4]) != *s.CompliancePPM || row[5] != *s.Compliance ||
			mustInt(t, row[8]) != *s.P50MS || mustInt(t, row[9]) != *s.P95MS || mustInt(t, row[10]) != *s.P99MS {
			t.Errorf("screen row %q for %+v", row, s)
		}
	}

	incidents := sec["incidents"]
	for i, inc := range res.Incidents {
		row := incidents[i+1]
		if row[0] != inc.ID || row[1] != inc.Title || mustInt(t, row[5]) != inc.DurationSeconds || mustInt(t, row[6]) != inc.CountedMinutes {
			t.Errorf("incident row %q for %+v", row, inc)
		}
	}

	// The distribution rows add up to each screen's ok observations.
	counts := map[string]int64{}
	for _, row := range sec["latency_distribution"][1:] {
		counts[row[0]] += mustInt(t, row[2])
	}
	for _, s := range res.Screens {
		var want int64
		for _, b := range s.Distribution {
			want += b.Count
		}
		if counts[s.Check] != want || want == 0 {
			t.Errorf("distribution of %s adds to %d, want %d", s.Check, counts[s.Check], want)
		}
	}
}

// TestCSVNoData renders a result without data: absent values are empty
// cells, and the overflow bucket has no bound.
func TestCSVNoData(t *testing.T) {
	res := &sla.Result{Schema: sla.Schema, Customer: "=HYPERLINK(\"x\")", Month: "2026-10",
		Screens: []sla.ScreenReport{{Check: "s", Distribution: []sla.LatencyBucket{{UpToMS: math.MaxInt64, Count: 1}}}}}
	var buf bytes.Buffer
	if err := Write(&buf, CSV, res); err != nil {
		t.Fatal(err)
	}
	sec, _ := parseCSV(t, buf.Bytes())
	summary := map[string]string{}
	for _, row := range sec["summary"][1:] {
		summary[row[0]] = row[1]
	}
	for _, k := range []string{"availability_ppm", "availability", "met", "credit_percent"} {
		if v, ok := summary[k]; !ok || v != "" {
			t.Errorf("%s = %q, want an empty cell", k, v)
		}
	}
	if got := summary["customer"]; got != "'=HYPERLINK(\"x\")" {
		t.Errorf("customer %q: a formula must be defused", got)
	}
	if got := sec["latency_distribution"][1]; got[1] != "" || got[2] != "1" {
		t.Errorf("overflow row %q", got)
	}
}

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "login": "login", "=1+1": "'=1+1", "+31 20": "'+31 20", "-x": "'-x", "@sum": "'@sum", "\tx": "'\tx", "a=b": "a=b",
	} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an integer: %q", s)
	}
	return n
}
