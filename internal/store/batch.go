package store

import (
	"context"
	"errors"
	"fmt"
)

// Group commit. A durable commit costs an fsync (SQLite with
// synchronous=FULL, PostgreSQL with its WAL flush); at many submissions a
// second, one fsync per request is the bottleneck. Batch hands fn to a single
// writer goroutine that runs every request waiting at that moment in one
// transaction, each inside its own savepoint, and commits once: a request
// that fails rolls back only its savepoint, and no request returns before the
// commit that made it durable.

const maxBatch = 256

type batchReq struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error
}

// Batch runs fn in a transaction shared with other concurrent Batch calls and
// returns once that transaction committed (nil) or fn or the commit failed.
// fn must not keep state across calls: if the shared commit fails, every fn
// in it is reported failed and nothing of it is stored.
func (s *Store) Batch(ctx context.Context, fn func(tx *Tx) error) error {
	s.batchOnce.Do(func() {
		s.batches = make(chan *batchReq, maxBatch)
		go s.batchLoop()
	})
	r := &batchReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.batches <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.stop:
		return errors.New("store.Batch: store closed")
	}
	// Once queued, wait for the outcome even if ctx ends: the request may
	// already be committed, and the caller must learn which.
	return <-r.done
}

func (s *Store) batchLoop() {
	defer close(s.done)
	for {
		var first *batchReq
		select {
		case first = <-s.batches:
		case <-s.stop:
			// Drain what is queued so that no caller waits forever.
			for {
				select {
				case r := <-s.batches:
					r.done <- s.runBatch([]*batchReq{r})[0]
				default:
					return
				}
			}
		}
		reqs := []*batchReq{first}
	fill:
		for len(reqs) < maxBatch {
			select {
			case r := <-s.batches:
				reqs = append(reqs, r)
			default:
				break fill
			}
		}
		for i, err := range s.runBatch(reqs) {
			reqs[i].done <- err
		}
	}
}

// runBatch runs reqs in one transaction and returns each one's outcome.
// A batch of several is first run optimistically, without savepoints (each
// costs statements on the one writer, and on PostgreSQL round trips);
// requests were validated before and rarely fail, but if one does, the
// whole transaction is rolled back and run again with a savepoint around
// each request, so that only the failing one is refused. Batch requires fn
// to be repeatable, which this relies on.
func (s *Store) runBatch(reqs []*batchReq) []error {
	if len(reqs) > 1 {
		if errs, ok := s.tryBatch(reqs, false); ok {
			return errs
		}
	}
	errs, _ := s.tryBatch(reqs, len(reqs) > 1)
	return errs
}

// tryBatch runs the batch once. Without savepoints it gives up (ok ==
// false, nothing committed) as soon as a request fails.
func (s *Store) tryBatch(reqs []*batchReq, savepoints bool) (errs []error, ok bool) {
	errs = make([]error, len(reqs))
	ctx := context.Background()
	tx, err := s.begin(ctx)
	if err != nil {
		for i := range errs {
			errs[i] = fmt.Errorf("store.Batch: begin: %w", err)
		}
		return errs, true
	}
	t := tx.tx
	succeeded := 0
	for i, r := range reqs {
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if savepoints {
			errs[i] = s.savepoint(ctx, tx, r.fn)
		} else {
			errs[i] = r.fn(tx)
		}
		if errs[i] != nil && !savepoints && len(reqs) > 1 {
			t.Rollback()
			return nil, false
		}
		if errs[i] == nil {
			succeeded++
		}
	}
	if succeeded == 0 {
		t.Rollback()
		return errs, true
	}
	if err := s.commit(tx); err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = fmt.Errorf("store.Batch: commit: %w", err)
			}
		}
	}
	return errs, true
}

func (s *Store) savepoint(ctx context.Context, tx *Tx, fn func(tx *Tx) error) error {
	if _, err := tx.Exec(ctx, "SAVEPOINT b"); err != nil {
		return fmt.Errorf("store.Batch: savepoint: %w", err)
	}
	if err := fn(tx); err != nil {
		if _, rerr := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT b"); rerr != nil {
			return errors.Join(err, fmt.Errorf("store.Batch: rollback to savepoint: %w", rerr))
		}
		tx.Exec(ctx, "RELEASE SAVEPOINT b")
		return err
	}
	if _, err := tx.Exec(ctx, "RELEASE SAVEPOINT b"); err != nil {
		return fmt.Errorf("store.Batch: release: %w", err)
	}
	return nil
}
