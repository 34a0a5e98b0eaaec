package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/vigilmon/vigil/agent/wire"
	"github.com/vigilmon/vigil/probe"
)

// IngestSink stores the batches remote agents ship (agent/ingest.Receiver
// behind cmd/vigil's wiring).
type IngestSink interface {
	// Agents lists who may send: each agent's location and token.
	Agents() []AgentToken
	// Ingest stores one batch of the agent at location; every result is
	// of that location. It returns once every result is stored durably,
	// was stored before, or is refused for good (listed in the receipt);
	// on error the agent sends the batch again.
	Ingest(ctx context.Context, location string, id wire.BatchID, results []probe.Result) (wire.Receipt, error)
}

// AgentToken is one agent's location and bearer token.
type AgentToken struct {
	Location string
	Token    string
}

// ingestHandler serves POST /api/v1/ingest.
type ingestHandler struct {
	a *apiHandlers
	// zstd is made on first use and shared: DecodeAll is safe for
	// concurrent use.
	zstd func() (*zstd.Decoder, error)
}

// mountIngest adds POST /api/v1/ingest: the batches of remote agents.
//
// The agent's token ("Authorization: Bearer") names its location; a
// missing or wrong one is 401 and nothing is read. The batch carries its
// id (wire.HeaderBatch), is of wire.ContentType, compressed with zstd or
// gzip (or not at all), at most wire.MaxBodyBytes compressed and
// wire.MaxRawBytes uncompressed (413 beyond). A body that does not decode,
// or does not hold as many results as its id says, is 400; a result of
// another location than the token's is 403 and nothing of the batch is
// stored. Otherwise the answer is 200 with the sink's receipt, or 503
// when the results could not be stored (the agent tries again).
func mountIngest(mux *http.ServeMux, a *apiHandlers) {
	h := &ingestHandler{a: a, zstd: sync.OnceValues(func() (*zstd.Decoder, error) {
		return zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(wire.MaxRawBytes))
	})}
	mux.HandleFunc("POST "+wire.Path, h.serve)
}

func (h *ingestHandler) serve(w http.ResponseWriter, r *http.Request) {
	sink := h.a.o.Ingest
	var agents []AgentToken
	if sink != nil {
		agents = sink.Agents()
	}
	if len(agents) == 0 {
		writeError(w, http.StatusNotFound, "this vigil takes no agents: add agents: [{location: ams, token: ${VIGIL_AGENT_AMS_TOKEN}}] to its config and restart it")
		return
	}
	location, ok := agentFor(r.Header.Get("Authorization"), agents)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="vigil agents"`)
		writeError(w, http.StatusUnauthorized, "missing or wrong bearer token: start the agent with VIGIL_AGENT_TOKEN set to the token of its location under agents in the server's config")
		return
	}
	id, err := wire.ParseBatchID(r.Header.Get(wire.HeaderBatch))
	if err != nil {
		writeError(w, http.StatusBadRequest, "header %s: %v", wire.HeaderBatch, err)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != wire.ContentType {
		writeError(w, http.StatusUnsupportedMediaType, "Content-Type must be %s: send batches with vigil agent", wire.ContentType)
		return
	}
	raw, status, err := h.body(w, r)
	if err != nil {
		writeError(w, status, "%v", err)
		return
	}
	results, err := wire.DecodeBody(raw)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	if len(results) != id.Count {
		writeError(w, http.StatusBadRequest, "batch %s names %d results, the body holds %d", id, id.Count, len(results))
		return
	}
	for i := range results {
		if got := results[i].Location; got != location {
			writeError(w, http.StatusForbidden, "this token sends the results of location %q, and result %d is of %q: nothing stored; "+
				"start the agent with -location %s, or give it the token of %s", location, i, got, location, got)
			return
		}
	}
	receipt, err := sink.Ingest(r.Context(), location, id, results)
	if err != nil {
		h.a.o.Logger.Error("agent batch not stored", "location", location, "batch", id.String(), "err", err)
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, "results not stored (%v); the agent sends them again", err)
		return
	}
	h.a.o.Logger.Debug("agent batch", "location", location, "batch", id.String(), "stored", receipt.Stored,
		"duplicates", receipt.Duplicates, "rejected", len(receipt.Rejected))
	writeJSON(w, http.StatusOK, receipt)
}

// body reads and uncompresses the request body within the limits.
func (h *ingestHandler) body(w http.ResponseWriter, r *http.Request) ([]byte, int, error) {
	compressed, err := io.ReadAll(http.MaxBytesReader(w, r.Body, wire.MaxBodyBytes))
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("the body is larger than %d bytes: send smaller batches", wire.MaxBodyBytes)
	case err != nil:
		return nil, http.StatusBadRequest, fmt.Errorf("reading the body: %w", err)
	}
	tooLarge := fmt.Errorf("the body is larger than %d bytes uncompressed: send smaller batches", wire.MaxRawBytes)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return compressed, 0, nil
	case "zstd":
		dec, err := h.zstd()
		if err != nil {
			return nil, http.StatusInternalServerError, fmt.Errorf("zstd decoder: %w", err)
		}
		raw, err := dec.DecodeAll(compressed, nil)
		switch {
		case errors.Is(err, zstd.ErrDecoderSizeExceeded), errors.Is(err, zstd.ErrWindowSizeExceeded):
			return nil, http.StatusRequestEntityTooLarge, tooLarge
		case err != nil:
			return nil, http.StatusBadRequest, fmt.Errorf("the body is not valid zstd: %w", err)
		}
		return raw, 0, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(compressed))
		if err != nil {
			return nil, http.StatusBadRequest, fmt.Errorf("the body is not valid gzip: %w", err)
		}
		raw, err := io.ReadAll(io.LimitReader(zr, wire.MaxRawBytes+1))
		switch {
		case err != nil:
			return nil, http.StatusBadRequest, fmt.Errorf("the body is not valid gzip: %w", err)
		case len(raw) > wire.MaxRawBytes:
			return nil, http.StatusRequestEntityTooLarge, tooLarge
		}
		return raw, 0, nil
	default:
		return nil, http.StatusUnsupportedMediaType, fmt.Errorf("Content-Encoding %q is not supported: send zstd, gzip or none", enc)
	}
}

// agentFor returns the location of the agent whose token the
// Authorization header carries. Every token is compared, hashed first, in
// constant time.
func agentFor(header string, agents []AgentToken) (string, bool) {
	scheme, got, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	g := sha256.Sum256([]byte(strings.TrimSpace(got)))
	location, found := "", 0
	for _, a := range agents {
		if a.Token == "" {
			continue
		}
		want := sha256.Sum256([]byte(a.Token))
		if subtle.ConstantTimeCompare(g[:], want[:]) == 1 {
			location, found = a.Location, 1
		}
	}
	return location, found == 1
}
