package outbox

import (
	"context"
	"time"

	"github.com/vigilmon/vigil/store"
)

// recordBatch is the most outcomes written in one transaction.
const recordBatch = 512

// record writes outcomes in batches until outcomes is closed. A batch
// that fails to write is retried (the database may be busy or full);
// meanwhile its rows stay 'sending', which a restart would reconcile.
func (w *Worker) record(outcomes <-chan store.OutboxOutcome) {
	batch := make([]store.OutboxOutcome, 0, recordBatch)
	for o := range outcomes {
		batch = append(batch[:0], o)
	drain:
		for len(batch) < recordBatch {
			select {
			case o, ok := <-outcomes:
				if !ok {
					break drain
				}
				batch = append(batch, o)
			default:
				break drain
			}
		}
		for wait := 50 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
			err := w.cfg.Store.FinishOutbox(context.Background(), batch)
			if err == nil {
				break
			}
			w.logger.Error("record notification outcomes, retrying", "count", len(batch), "err", err)
			time.Sleep(wait)
		}
	}
}
