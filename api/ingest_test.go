package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/vigilmon/vigil/agent/wire"
	"github.com/vigilmon/vigil/probe"
)

const (
	amsToken = "ams-agent-0123456789abcdef"
	fraToken = "fra-agent-0123456789abcdef"
	spoolID  = "0123456789abcdef"
)

// fakeIngest records the batches it is given.
type fakeIngest struct {
	mu      sync.Mutex
	batches []fakeBatch
	fail    error
}

type fakeBatch struct {
	location string
	id       wire.BatchID
	results  []probe.Result
}

func (f *fakeIngest) Agents() []AgentToken {
	return []AgentToken{{Location: "ams", Token: amsToken}, {Location: "fra", Token: fraToken}}
}

func (f *fakeIngest) Ingest(_ context.Context, location string, id wire.BatchID, results []probe.Result) (wire.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return wire.Receipt{}, f.fail
	}
	f.batches = append(f.batches, fakeBatch{location, id, results})
	return wire.Receipt{Batch: id.String(), Stored: len(results)}, nil
}

func (f *fakeIngest) stored() []fakeBatch {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeBatch(nil), f.batches...)
}

var ingestStart = time.Date(2026, 10, 6, 22, 0, 0, 0, time.UTC)

// rawBody is the uncompressed body of n results of location.
func rawBody(location string, n int) []byte {
	var recs [][]byte
	for i := range n {
		r := probe.Result{Check: "home", Location: location, Start: ingestStart.Add(time.Duration(i) * time.Second), Interval: time.Minute, OK: true}
		recs = append(recs, wire.AppendResult(nil, &r))
	}
	return wire.AppendBody(nil, recs)
}

func zstdBody(t *testing.T, raw []byte) []byte {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	return enc.EncodeAll(raw, nil)
}

type ingestRequest struct {
	token, batch, contentType, encoding string
	body                                []byte
}

func postIngest(t *testing.T, srv *httptest.Server, r ingestRequest) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+wire.Path, bytes.NewReader(r.body))
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	req.Header.Set(wire.HeaderBatch, r.batch)
	req.Header.Set("Content-Type", r.contentType)
	req.Header.Set("Content-Encoding", r.encoding)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestIngest(t *testing.T) {
	sink := &fakeIngest{}
	srv := httptest.NewServer(Handler(Options{Ingest: sink}))
	defer srv.Close()
	good := ingestRequest{token: amsToken, batch: spoolID + ":1+3", contentType: wire.ContentType, encoding: "zstd", body: zstdBody(t, rawBody("ams", 3))}

	code, body := postIngest(t, srv, good)
	if code != http.StatusOK {
		t.Fatalf("good batch: %d %s", code, body)
	}
	var receipt wire.Receipt
	if err := json.Unmarshal([]byte(body), &receipt); err != nil || receipt.Stored != 3 || receipt.Batch != spoolID+":1+3" {
		t.Fatalf("receipt %s (%v)", body, err)
	}
	got := sink.stored()
	if len(got) != 1 || got[0].location != "ams" || got[0].id.First != 1 || len(got[0].results) != 3 || !got[0].results[2].Start.Equal(ingestStart.Add(2*time.Second)) {
		t.Fatalf("sink got %+v", got)
	}

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(rawBody("fra", 2))
	zw.Close()
	if code, body := postIngest(t, srv, ingestRequest{token: fraToken, batch: spoolID + ":1+2", contentType: wire.ContentType, encoding: "gzip", body: gz.Bytes()}); code != http.StatusOK {
		t.Fatalf("gzip: %d %s", code, body)
	}
	if code, body := postIngest(t, srv, ingestRequest{token: fraToken, batch: spoolID + ":3+2", contentType: wire.ContentType, body: rawBody("fra", 2)}); code != http.StatusOK {
		t.Fatalf("uncompressed: %d %s", code, body)
	}
	before := len(sink.stored())

	// Everything below is refused, and stores nothing.
	bomb := make([]byte, wire.MaxRawBytes+1)
	for _, c := range []struct {
		name string
		edit func(*ingestRequest)
		code int
		want string
	}{
		{"no token", func(r *ingestRequest) { r.token = "" }, 401, "missing or wrong bearer token"},
		{"wrong token", func(r *ingestRequest) { r.token = "ams-agent-0123456789abcdeX" }, 401, "VIGIL_AGENT_TOKEN"},
		{"another location's token", func(r *ingestRequest) { r.token = fraToken }, 403, "start the agent with -location fra, or give it the token of ams"},
		{"no batch id", func(r *ingestRequest) { r.batch = "" }, 400, "Vigil-Batch-Id"},
		{"count differs", func(r *ingestRequest) { r.batch = spoolID + ":1+4" }, 400, "names 4 results, the body holds 3"},
		{"content type", func(r *ingestRequest) { r.contentType = "application/json" }, 415, wire.ContentType},
		{"encoding", func(r *ingestRequest) { r.encoding = "br" }, 415, "zstd, gzip or none"},
		{"not zstd", func(r *ingestRequest) { r.body = rawBody("ams", 3) }, 400, "not valid zstd"},
		{"not a batch", func(r *ingestRequest) { r.encoding, r.body = "", []byte("hello") }, 400, "invalid batch body"},
		{"compressed too large", func(r *ingestRequest) { r.encoding, r.body = "", make([]byte, wire.MaxBodyBytes+1) }, 413, "send smaller batches"},
		{"zstd bomb", func(r *ingestRequest) { r.body = zstdBody(t, bomb) }, 413, "uncompressed"},
	} {
		r := good
		c.edit(&r)
		code, body := postIngest(t, srv, r)
		if code != c.code || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %s, want %d with %q", c.name, code, body, c.code, c.want)
		}
		if strings.Contains(body, amsToken) || strings.Contains(body, fraToken) {
			t.Errorf("%s: the answer shows a token: %s", c.name, body)
		}
	}
	if n := len(sink.stored()); n != before {
		t.Fatalf("refused requests stored %d batches", n-before)
	}

	sink.fail = errors.New("disk full")
	code, body = postIngest(t, srv, good)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "sends them again") {
		t.Errorf("sink failure: %d %s", code, body)
	}
}

func TestIngestOffWithoutAgents(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{}))
	defer srv.Close()
	code, body := postIngest(t, srv, ingestRequest{token: amsToken, batch: spoolID + ":1+1", contentType: wire.ContentType, body: rawBody("ams", 1)})
	if code != http.StatusNotFound || !strings.Contains(body, "agents:") {
		t.Fatalf("no agents: %d %s", code, body)
	}
}
