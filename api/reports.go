package api

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vigilmon/vigil/internal/month"
	"github.com/vigilmon/vigil/sla"
	"github.com/vigilmon/vigil/sla/report"
)

// Reports computes customers' monthly SLA reports from the live store.
type Reports interface {
	// Customers lists the customers with an SLA, sorted.
	Customers() []string
	// Report computes customer's SLA for the calendar month.
	Report(ctx context.Context, customer string, year int, month time.Month) (*sla.Result, error)
}

// mountReports adds GET /api/v1/reports/{customer}/{month}.{ext}, behind
// the report token.
func mountReports(mux *http.ServeMux, a *apiHandlers) {
	auth := bearer{token: a.o.ReportToken, name: "report API", setting: "server.report_token", env: "VIGIL_REPORT_TOKEN"}
	if a.o.Reports == nil {
		auth.token = ""
	}
	mux.HandleFunc("GET /api/v1/reports/{customer}/{file}", auth.wrap(a.report))
}

// report answers one customer's monthly report in the format its file
// extension names: 2026-10.pdf, .csv, .json or .html.
func (a *apiHandlers) report(w http.ResponseWriter, r *http.Request) {
	customer, file := r.PathValue("customer"), r.PathValue("file")
	m, ext, ok := strings.Cut(file, ".")
	if !ok {
		writeError(w, http.StatusNotFound, "%q has no format: ask for /api/v1/reports/%s/%s.pdf (or .csv, .json, .html)", file, customer, m)
		return
	}
	format, err := report.ParseFormat(ext)
	if err != nil {
		writeError(w, http.StatusNotFound, "%v", err)
		return
	}
	year, mon, err := month.Parse(m)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	known := a.o.Reports.Customers()
	if !slices.Contains(known, customer) {
		writeError(w, http.StatusNotFound, "no SLA for customer %q: the config has %s", customer, strings.Join(known, ", "))
		return
	}
	res, err := a.o.Reports.Report(r.Context(), customer, year, mon)
	if err != nil {
		a.o.Logger.Error("build report", "customer", customer, "month", m, "err", err)
		writeError(w, http.StatusInternalServerError, "the report could not be computed: %v", err)
		return
	}
	// Rendered in full first, so that a failure is still a proper error
	// status instead of a truncated document.
	var buf bytes.Buffer
	if err := report.Write(&buf, format, res); err != nil {
		a.o.Logger.Error("render report", "customer", customer, "month", m, "format", format, "err", err)
		writeError(w, http.StatusInternalServerError, "the %s report could not be rendered: %v", format, err)
		return
	}
	w.Header().Set("Content-Type", format.ContentType())
	w.Header().Set("Content-Disposition", `inline; filename="`+customer+"-"+month.Format(year, mon)+"."+string(format)+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}
