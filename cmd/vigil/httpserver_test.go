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
	var readErr error
	var n int64
	var body io.ReadCloser
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body = r.Body
		n, readErr = io.Copy(io.Discard, r.Body)
	}), slog.New(slog.DiscardHandler))
	h := srv.Handler

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("x", maxBodyBytes+1))))
	var tooLarge *http.MaxBytesError
	if !errors.As(readErr, &tooLarge) || n != maxBodyBytes {
		t.Errorf("a body over %d bytes: read %d, err %v; want the cap's MaxBytesError", maxBodyBytes, n, readErr)
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("x", maxBodyBytes))))
	if readErr != nil || n != maxBodyBytes {
		t.Errorf("a body of exactly %d bytes: read %d, err %v", maxBodyBytes, n, readErr)
	}
	get := httptest.NewRequest(http.MethodGet, "/", nil)
	get.Body = http.NoBody // as net/http gives a request without a body
	h.ServeHTTP(httptest.NewRecorder(), get)
	if readErr != nil || n != 0 || body != http.NoBody {
		t.Errorf("a GET: read %d, err %v, body %T; want http.NoBody as it came", n, readErr, body)
	}
}
