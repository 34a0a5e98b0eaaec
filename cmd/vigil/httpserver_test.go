package main

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Every body a vigil server reads is capped, whichever handler reads it;
// requests without one pass untouched.
func TestHTTPServerCapsBodies(t *testing.T) {
	var got error
	var n int64
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, got = io.Copy(io.Discard, r.Body)
	}), slog.New(slog.DiscardHandler))
	h := srv.Handler

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("x", maxBodyBytes+1))))
	var tooLarge *http.MaxBytesError
	if !errors.As(got, &tooLarge) || n != maxBodyBytes {
		t.Errorf("a body over %d bytes: read %d, err %v; want the cap's MaxBytesError", maxBodyBytes, n, got)
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("x", maxBodyBytes))))
	if got != nil || n != maxBodyBytes {
		t.Errorf("a body of exactly %d bytes: read %d, err %v", maxBodyBytes, n, got)
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if got != nil || n != 0 {
		t.Errorf("a GET: read %d, err %v", n, got)
	}
}
