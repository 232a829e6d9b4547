package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Idempotency keeps, for 24 hours, the answer given to a request that carried
// an Idempotency-Key, so that a retry — on any instance sharing the database
// — gets the same answer instead of a second item. Keys are stored as keyed
// hashes and answers encrypted by the caller.

// IdempotencyTTL is how long an answer is kept.
const IdempotencyTTL = 24 * time.Hour

// ErrIdempotencyTaken is returned by PutIdempotency when the key already has
// an answer: the caller reads it with GetIdempotency.
var ErrIdempotencyTaken = errors.New("store: idempotency key already used")

// GetIdempotency returns the body hash and the sealed answer kept for the
// key, or ok == false.
func (s *Store) GetIdempotency(ctx context.Context, keyHash []byte) (bodyHash, response []byte, ok bool, err error) {
	err = s.queryRow(ctx, `SELECT body_hash, response FROM idempotency WHERE key_hash = ? AND created > ?`,
		keyHash, s.now().Add(-IdempotencyTTL).UnixMilli()).Scan(&bodyHash, &response)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, false, nil
	} else if err != nil {
		return nil, nil, false, fmt.Errorf("store.GetIdempotency: %w", err)
	}
	return bodyHash, response, true, nil
}

// PutIdempotency records the answer for a key in tx, or returns
// ErrIdempotencyTaken if another request recorded one first. An expired
// answer is replaced.
const (
	expireIdempotencySQL = `DELETE FROM idempotency WHERE key_hash = ? AND created <= ?`
	putIdempotencySQL    = `INSERT INTO idempotency (key_hash, body_hash, response, created) VALUES (?, ?, ?, ?) ON CONFLICT (key_hash) DO NOTHING`
)

func PutIdempotency(ctx context.Context, tx *Tx, keyHash, bodyHash, response []byte, now time.Time) error {
	if _, err := tx.Exec(ctx, expireIdempotencySQL, keyHash, now.Add(-IdempotencyTTL).UnixMilli()); err != nil {
		return fmt.Errorf("store.PutIdempotency: %w", err)
	}
	res, err := tx.Exec(ctx, putIdempotencySQL, keyHash, bodyHash, response, now.UnixMilli())
	if err != nil {
		return fmt.Errorf("store.PutIdempotency: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrIdempotencyTaken
	}
	return nil
}

// PurgeIdempotency deletes expired answers.
func (s *Store) PurgeIdempotency(ctx context.Context) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM idempotency WHERE created <= ?`, s.now().Add(-IdempotencyTTL).UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store.PurgeIdempotency: %w", err)
	}
	return res.RowsAffected()
}
