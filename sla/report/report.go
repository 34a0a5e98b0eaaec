// Package report owns the renderings of an SLA result for people and
// machines: JSON (the reference form, schema vigil.sla.v1), CSV, HTML and
// PDF. Every format renders the same sla.Result: the numbers are computed
// once, in package sla, and never recomputed here.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vigilmon/vigil/sla"
)

// Format is an output format.
type Format string

// The formats.
const (
	JSON Format = "json"
	CSV  Format = "csv"
	HTML Format = "html"
	PDF  Format = "pdf"
)

// Formats lists every format, in the order help texts show them.
var Formats = []Format{JSON, CSV, HTML, PDF}

// ParseFormat reads a format name such as "pdf".
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(s, string(f)) {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown report format %q: use one of json, csv, html, pdf", s)
}

// ContentType is the MIME type of a format.
func (f Format) ContentType() string {
	switch f {
	case CSV:
		return "text/csv; charset=utf-8"
	case HTML:
		return "text/html; charset=utf-8"
	case PDF:
		return "application/pdf"
	}
	return "application/json"
}

// Write renders res in format f.
func Write(w io.Writer, f Format, res *sla.Result) error {
	switch f {
	case JSON:
		return writeJSON(w, res)
	case CSV:
		return writeCSV(w, res)
	case HTML:
		return writeHTML(w, res)
	case PDF:
		return writePDF(w, res)
	}
	return fmt.Errorf("unknown report format %q", f)
}

func writeJSON(w io.Writer, res *sla.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
