package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigilmon/vigil/store"
)

const adminToken = "admin-token-0123456789"

// policy knows components app and db and warns acme about every window.
type policy struct{}

func (policy) Components() []string { return []string{"app", "db"} }
func (policy) Warnings(m store.Maintenance) []Warning {
	return []Warning{NewWarning("acme", "notice 1h < 120h")}
}

func newMaintenanceServer(t *testing.T, token string) *httptest.Server {
	t.Helper()
	st, err := store.OpenState(t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(Handler(Options{
		Catalog: staticCatalog{}, Latest: NewLatest(),
		AdminToken: token, Maintenances: st, MaintenancePolicy: policy{},
		Now: func() time.Time { return time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC) },
	}))
	t.Cleanup(srv.Close)
	return srv
}

type staticCatalog struct{}

func (staticCatalog) Checks() []CheckInfo { return nil }

// call sends a request with an optional bearer token and decodes the JSON
// answer into v.
func call(t *testing.T, method, url, token, body string, v any) (int, http.Header) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, b)
		}
	}
	return resp.StatusCode, resp.Header
}

type errorJSON struct {
	Error string `json:"error"`
}

func TestMaintenanceAuth(t *testing.T) {
	off := newMaintenanceServer(t, "")
	var e errorJSON
	if code, _ := call(t, "GET", off.URL+"/api/v1/maintenances", adminToken, "", &e); code != http.StatusNotFound ||
		!strings.Contains(e.Error, "set server.admin_token") {
		t.Errorf("no token configured: %d %q", code, e.Error)
	}
	srv := newMaintenanceServer(t, adminToken)
	for _, tok := range []string{"", "wrong-token-0123456789", adminToken + "x", adminToken[:10]} {
		e = errorJSON{}
		code, h := call(t, "GET", srv.URL+"/api/v1/maintenances", tok, "", &e)
		if code != http.StatusUnauthorized || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") ||
			!strings.Contains(e.Error, "Authorization: Bearer <server.admin_token>") || strings.Contains(e.Error, adminToken) {
			t.Errorf("token %q: %d %q %q", tok, code, h.Get("WWW-Authenticate"), e.Error)
		}
	}
	// The scheme is case-insensitive.
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/maintenances", nil)
	req.Header.Set("Authorization", "bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("lower-case scheme: %d", resp.StatusCode)
	}
}

func TestMaintenanceRoundTrip(t *testing.T) {
	srv := newMaintenanceServer(t, adminToken)
	base := srv.URL + "/api/v1/maintenances"

	var m maintenanceJSON
	code, h := call(t, "POST", base, adminToken,
		`{"title":"Database upgrade","components":["db","app"],"start":"2026-10-01T15:00:00+02:00","end":"2026-10-01T17:00:00+02:00"}`, &m)
	if code != http.StatusCreated || m.ID == "" || h.Get("Location") != "/api/v1/maintenances/"+m.ID {
		t.Fatalf("schedule: %d %+v %q", code, m, h.Get("Location"))
	}
	if !slices.Equal(m.Components, []string{"app", "db"}) || !m.AnnouncedAt.Equal(time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)) ||
		m.Status != StatusScheduled || len(m.Warnings) != 1 ||
		m.Warnings[0].Message != "acme would count this window as unplanned: notice 1h < 120h" {
		t.Errorf("scheduled %+v", m)
	}

	var list struct{ Maintenances []maintenanceJSON }
	if code, _ := call(t, "GET", base, adminToken, "", &list); code != http.StatusOK || len(list.Maintenances) != 1 || list.Maintenances[0].ID != m.ID {
		t.Errorf("list: %d %+v", code, list)
	}
	var got maintenanceJSON
	if code, _ := call(t, "GET", base+"/"+m.ID, adminToken, "", &got); code != http.StatusOK || got.Title != "Database upgrade" {
		t.Errorf("get: %d %+v", code, got)
	}
	var moved maintenanceJSON
	if code, _ := call(t, "POST", base+"/"+m.ID+"/reschedule", adminToken,
		`{"start":"2026-10-01T15:30:00+02:00","end":"2026-10-01T17:00:00+02:00"}`, &moved); code != http.StatusOK ||
		!moved.Start.Equal(time.Date(2026, 10, 1, 13, 30, 0, 0, time.UTC)) || !moved.AnnouncedAt.Equal(m.AnnouncedAt) {
		t.Errorf("reschedule: %d %+v", code, moved)
	}
	var done maintenanceJSON
	if code, _ := call(t, "POST", base+"/"+m.ID+"/complete", adminToken, `{"at":"2026-10-01T16:00:00+02:00"}`, &done); code != http.StatusOK ||
		done.Status != StatusCompleted || done.ActualEnd == nil {
		t.Errorf("complete: %d %+v", code, done)
	}

	// Mistakes, each with the status that says whose fault it is.
	for _, tc := range []struct {
		method, path, body string
		code               int
		want               string
	}{
		{"POST", "/" + m.ID + "/complete", "", http.StatusConflict, ""},
		{"POST", "/" + m.ID + "/cancel", "", http.StatusConflict, ""},
		{"GET", "/mw-nope", "", http.StatusNotFound, "GET /api/v1/maintenances lists the windows"},
		{"POST", "/mw-nope/cancel", "", http.StatusNotFound, ""},
		{"POST", "", `{"title":"x","components":["app"],"start":"2026-10-01T13:00:00Z","end":"2026-10-01T14:00:00Z","extra":1}`, http.StatusBadRequest, `unknown field "extra"`},
		{"POST", "", `{"title":"x","components":["nope"],"start":"2026-10-01T13:00:00Z","end":"2026-10-01T14:00:00Z"}`, http.StatusBadRequest, `unknown component "nope": the config defines app, db`},
		{"POST", "", `{"title":"x","components":["app"],"start":"2026-10-01T15:00:00Z","end":"2026-10-01T14:00:00Z"}`, http.StatusBadRequest, "end"},
		{"POST", "", `{"title":"x","components":["app"],"start":"tomorrow","end":"2026-10-01T14:00:00Z"}`, http.StatusBadRequest, "RFC 3339"},
		{"POST", "", ``, http.StatusBadRequest, "request body is empty"},
		{"POST", "", `{"title":"x"} {"title":"y"}`, http.StatusBadRequest, "more than one JSON value"},
		{"POST", "", `{"title":"` + strings.Repeat("x", MaxBodyBytes) + `"}`, http.StatusBadRequest, "larger than"},
	} {
		var e errorJSON
		code, _ := call(t, tc.method, base+tc.path, adminToken, tc.body, &e)
		if code != tc.code || !strings.Contains(e.Error, tc.want) {
			t.Errorf("%s %s %.60s: %d %q, want %d with %q", tc.method, tc.path, tc.body, code, e.Error, tc.code, tc.want)
		}
	}
}
