package resultsdb

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// BatchFlow carries observation batches from reader goroutines to the one
// goroutine that consumes them. A fixed set of batches circulates, so that
// memory stays the same whatever the number of results: readers Take a
// free batch, fill it and Send it; the consumer hands it back once done.
// Results.Observations and store/remoteread both read this way.
type BatchFlow struct {
	out  chan *ObservationBatch // filled, to the consumer
	free chan *ObservationBatch // the consumer is done with them
}

// Batching of observations.
const (
	// BatchSize is the most observations in one batch.
	BatchSize = 1024
	// batchesPerReader is how many batches each reader goroutine may have
	// in flight: enough to keep it busy while fn works through others.
	batchesPerReader = 4
)

// ErrFlowStopped ends a reader whose flow was cancelled; RunBatchFlow
// reports the cause instead.
var ErrFlowStopped = errors.New("stopped")

// RunBatchFlow runs read on readers goroutines and hands every batch they
// send to fn, one at a time on the caller's goroutine (fn needs no
// locking; it must not keep the batch, which is reused once fn returns).
// The first error stops the others: fn's is returned as it is, a reader's
// too, and a cancelled ctx as what failed and why.
func RunBatchFlow(ctx context.Context, what string, readers int, read func(context.Context, *BatchFlow) error, fn func(*ObservationBatch) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	n := readers * batchesPerReader
	f := &BatchFlow{out: make(chan *ObservationBatch, n), free: make(chan *ObservationBatch, n)}
	for range n {
		f.free <- &ObservationBatch{Observations: make([]Observation, 0, BatchSize)}
	}
	var wg sync.WaitGroup
	errs := make([]error, readers)
	for i := range readers {
		wg.Go(func() {
			if errs[i] = read(ctx, f); errs[i] != nil && !errors.Is(errs[i], ErrFlowStopped) {
				cancel(errs[i])
			}
		})
	}
	go func() {
		wg.Wait()
		close(f.out)
	}()
	var fnErr error
	for batch := range f.out {
		if fnErr == nil {
			if fnErr = fn(batch); fnErr != nil {
				cancel(fnErr)
			}
		}
		f.free <- batch
	}
	if fnErr != nil {
		return fnErr
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, ErrFlowStopped) {
			return err
		}
	}
	if err := context.Cause(ctx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Take returns a free batch for the (check, location) group, emptied.
func (f *BatchFlow) Take(ctx context.Context, check, location string) (*ObservationBatch, error) {
	select {
	case b := <-f.free:
		b.Check, b.Location, b.Observations = check, location, b.Observations[:0]
		return b, nil
	case <-ctx.Done():
		return nil, ErrFlowStopped
	}
}

// Send hands a filled batch to the consumer.
func (f *BatchFlow) Send(ctx context.Context, b *ObservationBatch) error {
	select {
	case f.out <- b:
		return nil
	case <-ctx.Done():
		f.Discard(b)
		return ErrFlowStopped
	}
}

// Discard returns a batch that will not be sent.
func (f *BatchFlow) Discard(b *ObservationBatch) { f.free <- b }
