package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vigilmon/vigil/probe"
)

// The request that carries a batch.
const (
	// Path is where agents POST batches.
	Path = "/api/v1/ingest"
	// HeaderBatch names the batch (see BatchID).
	HeaderBatch = "Vigil-Batch-Id"
	// ContentType is the media type of a batch body.
	ContentType = "application/vnd.vigil.results.v1"
	// MaxBodyBytes caps a compressed body: every request body vigil's
	// listener reads is capped at 1 MiB, so an agent splits larger batches.
	MaxBodyBytes = 1 << 20
	// MaxRawBytes caps a body once uncompressed (a compression bomb is
	// refused before it costs memory).
	MaxRawBytes = 32 << 20
	// MaxResults caps the results in one batch.
	MaxResults = 20_000
)

// bodyMagic starts every uncompressed body, so that a wrong body (or a
// wrong Content-Encoding) is told apart from a damaged one.
const bodyMagic = "VGB1"

// ErrBody is wrapped by every error of DecodeBody.
var ErrBody = errors.New("invalid batch body")

// AppendBody appends the uncompressed body of a batch of records (each
// made by AppendResult) to dst.
func AppendBody(dst []byte, records [][]byte) []byte {
	dst = append(dst, bodyMagic...)
	for _, rec := range records {
		dst = binary.AppendUvarint(dst, uint64(len(rec)))
		dst = append(dst, rec...)
	}
	return dst
}

// DecodeBody decodes an uncompressed body into its results, in order.
func DecodeBody(body []byte) ([]probe.Result, error) {
	if !bytes.HasPrefix(body, []byte(bodyMagic)) {
		return nil, fmt.Errorf("%w: it does not start with %q: send records encoded by this vigil version", ErrBody, bodyMagic)
	}
	b := body[len(bodyMagic):]
	var out []probe.Result
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, fmt.Errorf("%w: record %d is cut short", ErrBody, len(out))
		}
		if len(out) == MaxResults {
			return nil, fmt.Errorf("%w: more than %d results: send smaller batches", ErrBody, MaxResults)
		}
		r, err := DecodeResult(b[k : k+int(n)])
		if err != nil {
			return nil, fmt.Errorf("%w: record %d: %w", ErrBody, len(out), err)
		}
		out = append(out, r)
		b = b[k+int(n):]
	}
	return out, nil
}

// BatchID names a batch: the agent's spool, the sequence number of its
// first record there and how many consecutive records it holds. Sequence
// numbers never repeat within a spool, so the server stores each record
// once however often a batch is retried or cut differently.
type BatchID struct {
	Spool string // 16 to 64 lowercase hex digits, random per spool
	First uint64 // at least 1
	Count int    // at least 1
}

// Last is the sequence number of the batch's last record.
func (b BatchID) Last() uint64 { return b.First + uint64(b.Count) - 1 }

// String formats the id as the header carries it: "spool:first+count".
func (b BatchID) String() string {
	return b.Spool + ":" + strconv.FormatUint(b.First, 10) + "+" + strconv.Itoa(b.Count)
}

// ParseBatchID reads the header value written by BatchID.String.
func ParseBatchID(s string) (BatchID, error) {
	bad := func(why string) (BatchID, error) {
		return BatchID{}, fmt.Errorf("batch id %q %s: write <spool id>:<first sequence>+<count>, e.g. 0123456789abcdef:1+500", cut(s, 100), why)
	}
	spool, rest, ok := strings.Cut(s, ":")
	if !ok {
		return bad("has no ':'")
	}
	if !ValidSpoolID(spool) {
		return bad("has a spool id that is not 16 to 64 lowercase hex digits")
	}
	first, count, ok := strings.Cut(rest, "+")
	if !ok {
		return bad("has no '+'")
	}
	f, err := strconv.ParseUint(first, 10, 64)
	if err != nil || f == 0 {
		return bad("has no first sequence number of 1 or more")
	}
	n, err := strconv.Atoi(count)
	if err != nil || n < 1 || n > MaxResults {
		return bad(fmt.Sprintf("has no count from 1 to %d", MaxResults))
	}
	if f+uint64(n)-1 < f {
		return bad("runs past the largest sequence number")
	}
	return BatchID{Spool: spool, First: f, Count: n}, nil
}

// ValidSpoolID reports whether s is 16 to 64 lowercase hex digits.
func ValidSpoolID(s string) bool {
	if len(s) < 16 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Receipt is the server's answer to a batch it has dealt with: every
// result is stored (now or by an earlier try of the same records) or
// refused for good. The agent forgets the batch on receiving it.
type Receipt struct {
	Batch string `json:"batch"`
	// Stored counts the results stored by this request.
	Stored int `json:"stored"`
	// Duplicates counts results stored by an earlier try.
	Duplicates int `json:"duplicates"`
	// Rejected lists the results refused, with why.
	Rejected []Rejection `json:"rejected,omitempty"`
}

// Rejection is one result the server refused; retrying cannot help.
type Rejection struct {
	Index  int    `json:"index"` // its place in the batch, from 0
	Check  string `json:"check"`
	Reason string `json:"reason"`
}
