package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/vigilmon/vigil/demo"
	"github.com/vigilmon/vigil/internal/fairconn"
)

// maxBodyBytes caps every request body vigil's own servers read.
const maxBodyBytes = 1 << 20

// newHTTPServer returns a server with the timeouts and limits every
// listener of vigil's needs: no slowloris client can hold it open.
func newHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != http.NoBody { // most requests: a GET has none, nothing to wrap
				r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
			}
			h.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// listen binds addr with a clear message when it is taken.
func listen(ctx context.Context, addr, what string) (net.Listener, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for %s on %s: %w (is another process using it? choose another address)", what, addr, err)
	}
	return ln, nil
}

// serveUntil serves on ln until ctx ends, then shuts down gracefully. Each
// connection yields after a response (internal/fairconn): a client quick
// with its next request cannot keep the scheduler from the others.
func serveUntil(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(fairconn.Listener(ln)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// startDemo serves the built-in demo application in the background and
// returns the function that stops it.
func startDemo(ctx context.Context, addr string, logger *slog.Logger) (stop func(), err error) {
	ln, err := listen(ctx, addr, "the demo application")
	if err != nil {
		return nil, err
	}
	dctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := serveUntil(dctx, newHTTPServer(demo.New().Handler(), logger), ln); err != nil {
			logger.Error("demo application stopped", "err", err)
		}
	}()
	return func() { cancel(); <-done }, nil
}
