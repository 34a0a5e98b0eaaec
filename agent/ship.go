package agent

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/vigilmon/vigil/agent/wire"
)

// maxReadBytes caps the records read for one batch, before compression
// (which usually brings them far below wire.MaxBodyBytes).
const maxReadBytes = 8 << 20

// shipLoop sends the spooled records in order until ctx ends: one batch at
// a time, retried until the server has it.
func (a *Agent) shipLoop(ctx context.Context) error {
	bo := backoff{min: a.opts.MinBackoff, max: a.opts.MaxBackoff, rand: a.opts.Rand}
	limit := a.opts.MaxBatch
	var downSince time.Time // when the server stopped answering, zero while it answers
	sp := a.opts.Spool
	for ctx.Err() == nil {
		first, recs, err := sp.Read(limit, maxReadBytes)
		if err != nil {
			return fmt.Errorf("read spool: %w", err)
		}
		if len(recs) == 0 {
			select {
			case <-ctx.Done():
			case <-sp.Appended():
			}
			continue
		}
		body := a.compress(recs)
		if len(body) > wire.MaxBodyBytes && len(recs) > 1 {
			// Records compress alike: take the share that fits, with room.
			limit = max(1, min(len(recs)/2, len(recs)*wire.MaxBodyBytes/len(body)*9/10))
			continue
		}
		id := wire.BatchID{Spool: sp.ID(), First: first, Count: len(recs)}
		out := a.post(ctx, id, body)
		switch out.verdict {
		case delivered:
			if err := sp.Ack(id.Last()); err != nil {
				a.logger.Error("spool cursor not written; the batch will be sent again (the server knows it)", "err", err)
				a.wait(ctx, bo.next())
				continue
			}
			a.shipped.Add(uint64(len(recs) - len(out.receipt.Rejected)))
			a.rejected.Add(uint64(len(out.receipt.Rejected)))
			if r := out.receipt.Rejected; len(r) > 0 {
				a.logger.Warn("server refused results", "batch", id.String(), "refused", len(r),
					"first_check", r[0].Check, "first_reason", r[0].Reason)
			}
			if !downSince.IsZero() {
				a.logger.Info("server reachable again; sending the spooled results",
					"down_for", a.opts.Clock.Now().Sub(downSince).Round(time.Second), "pending", sp.Stats().Pending)
				downSince = time.Time{}
			}
			bo.reset()
			// A batch size cut for the server's limit grows back slowly.
			limit = min(a.opts.MaxBatch, 2*limit)
		case tooLarge:
			if len(recs) > 1 {
				a.failures.Add(1)
				limit = max(1, len(recs)/2)
				continue
			}
			// One record over the server's limit: it waits (and is logged)
			// like any batch the server does not take.
			fallthrough
		case retry:
			a.failures.Add(1)
			wait := bo.next()
			if out.retryAfter > 0 {
				wait = min(max(wait, out.retryAfter), a.opts.MaxBackoff)
			}
			if downSince.IsZero() {
				downSince = a.opts.Clock.Now()
			}
			a.logger.Log(ctx, retryLevel(out.status), "server did not take the batch; results stay in the spool and are sent again",
				"batch", id.String(), "status", out.status, "error", out.message, "retry_in", wait.Round(time.Millisecond),
				"pending", sp.Stats().Pending)
			a.wait(ctx, wait)
		}
	}
	return nil
}

// wait sleeps for d on the agent's clock or until ctx ends.
func (a *Agent) wait(ctx context.Context, d time.Duration) {
	t := a.opts.Clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C():
	}
}

// compress builds the zstd-compressed body of a batch.
func (a *Agent) compress(recs [][]byte) []byte {
	return a.enc.EncodeAll(wire.AppendBody(nil, recs), nil)
}

// retryLevel is how loud a failed try is: an error when only an operator
// can mend it (the token, the server's version, agents not configured), a
// warning when waiting may do (the server down or busy).
func retryLevel(status int) slog.Level {
	switch status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
		http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		return slog.LevelError
	}
	return slog.LevelWarn
}
