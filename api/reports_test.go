package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/sla"
)

const reportToken = "report-token-0123456789"

// fakeReports computes a real result for acme: a one-minute SLA with no data.
type fakeReports struct{}

func (fakeReports) Customers() []string { return []string{"acme"} }
func (fakeReports) Report(ctx context.Context, customer string, year int, month time.Month) (*sla.Result, error) {
	terms := sla.Terms{Customer: customer, Location: time.UTC, Components: []string{"app"},
		CheckComponents: map[string]string{"home": "app"}, AvailabilityTargetPPM: 999_000}
	c, err := sla.NewCalculator(terms, year, month, nil)
	if err != nil {
		return nil, err
	}
	return c.Result()
}

func TestReports(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{Catalog: staticCatalog{}, Latest: NewLatest(), ReportToken: reportToken, Reports: fakeReports{}}))
	defer srv.Close()
	get := func(path, token string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	resp, body := get("/api/v1/reports/acme/2026-10.json", reportToken)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("json report: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var res sla.Result
	if err := json.Unmarshal([]byte(body), &res); err != nil || res.Schema != sla.Schema || res.Customer != "acme" || res.Month != "2026-10" || res.Minutes.Total != 31*1440 {
		t.Errorf("report %+v (%v)", res, err)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `inline; filename="acme-2026-10.json"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	for _, tc := range []struct {
		path, token string
		code        int
		want        string
	}{
		{"/api/v1/reports/acme/2026-10.json", "", http.StatusUnauthorized, "Authorization: Bearer <server.report_token>"},
		{"/api/v1/reports/acme/2026-10.json", adminToken, http.StatusUnauthorized, "Authorization: Bearer <server.report_token>"},
		{"/api/v1/reports/globex/2026-10.json", reportToken, http.StatusNotFound, `no SLA for customer "globex": the config has acme`},
		{"/api/v1/reports/acme/2026-13.json", reportToken, http.StatusBadRequest, "write it as YYYY-MM"},
		{"/api/v1/reports/acme/2026-10.xls", reportToken, http.StatusNotFound, "use one of json, csv, html, pdf"},
		{"/api/v1/reports/acme/2026-10", reportToken, http.StatusNotFound, "/api/v1/reports/acme/2026-10.pdf"},
	} {
		resp, body := get(tc.path, tc.token)
		var e errorJSON
		_ = json.Unmarshal([]byte(body), &e)
		if resp.StatusCode != tc.code || !strings.Contains(e.Error, tc.want) {
			t.Errorf("%s (token %q): %d %s, want %d with %q", tc.path, tc.token, resp.StatusCode, body, tc.code, tc.want)
		}
	}

	off := httptest.NewServer(Handler(Options{Catalog: staticCatalog{}, Latest: NewLatest(), Reports: fakeReports{}}))
	defer off.Close()
	r, err := http.Get(off.URL + "/api/v1/reports/acme/2026-10.json")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusNotFound || !strings.Contains(string(b), "set server.report_token") {
		t.Errorf("report token unset: %d %s", r.StatusCode, b)
	}
}
