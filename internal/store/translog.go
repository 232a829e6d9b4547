package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"homthu/internal/translog"
)

// TransLog is the transparency log's storage (translog.Store) in this
// database: tables log_leaves, log_hashes, log_checkpoints and
// log_cosignatures (migration 0005), fed from the outbox log_pending that
// CreateItem (and later the openings, referrals and answers) write in the
// record's own transaction.
type TransLog struct{ s *Store }

var _ translog.Store = (*TransLog)(nil)

// TransLog returns the transparency log's storage.
func (s *Store) TransLog() *TransLog { return &TransLog{s} }

// logChunk bounds the rows of one multi-row statement and the placeholders of
// one IN list (SQLite allows 32766 variables, PostgreSQL 65535).
const logChunk = 500

const (
	logSizeSQL     = `SELECT COALESCE(MAX(idx) + 1, 0) FROM log_leaves`
	logPendingSQL  = `SELECT id, leaf, ref FROM log_pending WHERE due <= ? ORDER BY id LIMIT ?`
	logLeavesSQL   = `SELECT idx, leaf FROM log_leaves WHERE idx >= ? AND idx < ? ORDER BY idx`
	logLeafRefSQL  = `SELECT idx FROM log_leaves WHERE ref = ?`
	logSaveCPSQL   = `INSERT INTO log_checkpoints (size, signed, created) VALUES (?, ?, ?) ON CONFLICT (size) DO NOTHING`
	logLatestCPSQL = `SELECT size, signed FROM log_checkpoints ORDER BY size DESC LIMIT 1`
	logCPSQL       = `SELECT size, signed FROM log_checkpoints WHERE size = ?`
	logCosigsSQL   = `SELECT line FROM log_cosignatures WHERE size = ? ORDER BY key`
	logAddCosigSQL = `INSERT INTO log_cosignatures (size, key, line, created) VALUES (?, ?, ?, ?)
ON CONFLICT (size, key) DO UPDATE SET line = excluded.line, created = excluded.created`
)

// querier is what both the pools and a transaction can run.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Sequence implements translog.Store. The transaction takes the log's lock
// first (PostgreSQL: pg_advisory_xact_lock; SQLite: the one writer
// connection, opened with BEGIN IMMEDIATE, already excludes every other
// writer), so that several processes append one after the other, each on
// the tree the previous one left.
func (l *TransLog) Sequence(ctx context.Context, max int, f translog.SequenceFunc) error {
	err := l.s.Transact(ctx, func(tx *Tx) error {
		if q := l.s.d.lockLog(); q != "" {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		var size int64
		if err := tx.QueryRow(ctx, logSizeSQL).Scan(&size); err != nil {
			return err
		}
		pending, err := readPending(ctx, tx, max, l.s.now())
		if err != nil {
			return err
		}
		r := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
			return readHashes(ctx, txQuerier{tx}, l.s.d, indexes)
		})
		b, err := f(pending, size, r)
		if err != nil || b == nil {
			return err
		}
		if err := checkBatch(b, size); err != nil {
			return err
		}
		return writeBatch(ctx, tx, b, size)
	})
	if err != nil {
		return fmt.Errorf("store.TransLog.Sequence: %w", err)
	}
	return nil
}

// readPending reads the outbox rows that are due.
func readPending(ctx context.Context, tx *Tx, max int, now time.Time) ([]translog.Pending, error) {
	if max <= 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, logPendingSQL, now.UnixMilli(), max)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []translog.Pending
	for rows.Next() {
		var p translog.Pending
		if err := rows.Scan(&p.ID, &p.Leaf, &p.Ref); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// checkBatch refuses a batch that would not extend the tree of the given
// size: leaves out of place, or not the stored hashes they need.
func checkBatch(b *translog.Batch, size int64) error {
	for i, e := range b.Leaves {
		if e.Index != size+int64(i) {
			return fmt.Errorf("leaf %d of the batch has index %d, want %d", i, e.Index, size+int64(i))
		}
	}
	want := tlog.StoredHashCount(size+int64(len(b.Leaves))) - tlog.StoredHashCount(size)
	if int64(len(b.Hashes)) != want {
		return fmt.Errorf("batch of %d leaves has %d hashes, want %d", len(b.Leaves), len(b.Hashes), want)
	}
	return nil
}

// writeBatch inserts the batch's leaves and hashes and deletes its pending
// rows, in multi-row statements.
func writeBatch(ctx context.Context, tx *Tx, b *translog.Batch, size int64) error {
	for lo := 0; lo < len(b.Leaves); lo += logChunk {
		part := b.Leaves[lo:min(lo+logChunk, len(b.Leaves))]
		args := make([]any, 0, 3*len(part))
		for _, e := range part {
			args = append(args, e.Index, e.Leaf, e.Ref)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO log_leaves (idx, leaf, ref) VALUES `+logValues(len(part), 3), args...); err != nil {
			return fmt.Errorf("insert leaves: %w", err)
		}
	}
	first := tlog.StoredHashCount(size)
	for lo := 0; lo < len(b.Hashes); lo += logChunk {
		part := b.Hashes[lo:min(lo+logChunk, len(b.Hashes))]
		args := make([]any, 0, 2*len(part))
		for i, h := range part {
			args = append(args, first+int64(lo+i), h[:])
		}
		if _, err := tx.Exec(ctx, `INSERT INTO log_hashes (idx, hash) VALUES `+logValues(len(part), 2), args...); err != nil {
			return fmt.Errorf("insert hashes: %w", err)
		}
	}
	for lo := 0; lo < len(b.Done); lo += logChunk {
		part := b.Done[lo:min(lo+logChunk, len(b.Done))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		res, err := tx.Exec(ctx, `DELETE FROM log_pending WHERE id IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return fmt.Errorf("delete pending: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(len(part)) {
			return fmt.Errorf("delete pending: %d of %d rows (%v)", n, len(part), err)
		}
	}
	return nil
}

// logValues returns "(?, ?), (?, ?)" for n rows of k columns.
func logValues(n, k int) string {
	row := "(" + placeholders(k) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// TreeSize implements translog.Store.
func (l *TransLog) TreeSize(ctx context.Context) (int64, error) {
	var n int64
	if err := l.s.queryRow(ctx, logSizeSQL).Scan(&n); err != nil {
		return 0, fmt.Errorf("store.TransLog.TreeSize: %w", err)
	}
	return n, nil
}

// ReadHashes implements translog.Store.
func (l *TransLog) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	h, err := readHashes(ctx, l.s.read, l.s.d, indexes)
	if err != nil {
		return nil, fmt.Errorf("store.TransLog.ReadHashes: %w", err)
	}
	return h, nil
}

// txQuerier lets readHashes run in a transaction.
type txQuerier struct{ tx *Tx }

func (q txQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.tx.tx.QueryContext(ctx, query, args...)
}

// readHashes reads stored hashes by tlog storage index, in IN lists of at
// most logChunk indexes, and returns them in the order asked.
func readHashes(ctx context.Context, q querier, d dialect, indexes []int64) ([]tlog.Hash, error) {
	got := make(map[int64]tlog.Hash, len(indexes))
	for lo := 0; lo < len(indexes); lo += logChunk {
		part := indexes[lo:min(lo+logChunk, len(indexes))]
		args := make([]any, len(part))
		for i, x := range part {
			args[i] = x
		}
		rows, err := q.QueryContext(ctx, d.rebind(`SELECT idx, hash FROM log_hashes WHERE idx IN (`+placeholders(len(part))+`)`), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var x int64
			var b []byte
			if err := rows.Scan(&x, &b); err != nil {
				rows.Close()
				return nil, err
			}
			if len(b) != tlog.HashSize {
				rows.Close()
				return nil, fmt.Errorf("hash %d has %d bytes", x, len(b))
			}
			got[x] = tlog.Hash(b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := got[x]
		if !ok {
			return nil, fmt.Errorf("hash %d: %w", x, translog.ErrNotFound)
		}
		out[i] = h
	}
	return out, nil
}

// ReadLeaves implements translog.Store.
func (l *TransLog) ReadLeaves(ctx context.Context, start, end int64) ([][]byte, error) {
	if start < 0 || start > end {
		return nil, fmt.Errorf("store.TransLog.ReadLeaves(%d, %d): %w", start, end, translog.ErrNotFound)
	}
	rows, err := l.s.query(ctx, logLeavesSQL, start, end)
	if err != nil {
		return nil, fmt.Errorf("store.TransLog.ReadLeaves: %w", err)
	}
	defer rows.Close()
	out := make([][]byte, 0, end-start)
	for rows.Next() {
		var x int64
		var b []byte
		if err := rows.Scan(&x, &b); err != nil {
			return nil, fmt.Errorf("store.TransLog.ReadLeaves: %w", err)
		}
		if x != start+int64(len(out)) {
			return nil, fmt.Errorf("store.TransLog.ReadLeaves: leaf %d missing", start+int64(len(out)))
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.TransLog.ReadLeaves: %w", err)
	}
	if int64(len(out)) != end-start {
		return nil, fmt.Errorf("store.TransLog.ReadLeaves(%d, %d): the log has %d of them: %w", start, end, len(out), translog.ErrNotFound)
	}
	return out, nil
}

// LeafIndex implements translog.Store.
func (l *TransLog) LeafIndex(ctx context.Context, ref string) (int64, error) {
	if ref == "" {
		return 0, fmt.Errorf("store.TransLog.LeafIndex(%q): %w", ref, translog.ErrNotFound)
	}
	var x int64
	err := l.s.queryRow(ctx, logLeafRefSQL, ref).Scan(&x)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store.TransLog.LeafIndex(%q): %w", ref, translog.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store.TransLog.LeafIndex: %w", err)
	}
	return x, nil
}

// SaveCheckpoint implements translog.Store.
func (l *TransLog) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	if _, err := l.s.exec(ctx, logSaveCPSQL, size, signed, l.s.now().UnixMilli()); err != nil {
		return fmt.Errorf("store.TransLog.SaveCheckpoint: %w", err)
	}
	return nil
}

// LatestCheckpoint implements translog.Store.
func (l *TransLog) LatestCheckpoint(ctx context.Context) (*translog.StoredCheckpoint, error) {
	c, err := l.checkpoint(ctx, logLatestCPSQL)
	if err != nil {
		return nil, fmt.Errorf("store.TransLog.LatestCheckpoint: %w", err)
	}
	return c, nil
}

// Checkpoint implements translog.Store.
func (l *TransLog) Checkpoint(ctx context.Context, size int64) (*translog.StoredCheckpoint, error) {
	c, err := l.checkpoint(ctx, logCPSQL, size)
	if err != nil {
		return nil, fmt.Errorf("store.TransLog.Checkpoint(%d): %w", size, err)
	}
	return c, nil
}

func (l *TransLog) checkpoint(ctx context.Context, q string, args ...any) (*translog.StoredCheckpoint, error) {
	var c translog.StoredCheckpoint
	err := l.s.queryRow(ctx, q, args...).Scan(&c.Size, &c.Signed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, translog.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	rows, err := l.s.query(ctx, logCosigsSQL, c.Size)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var line []byte
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		c.Cosignatures = append(c.Cosignatures, line)
	}
	return &c, rows.Err()
}

// AddCosignature implements translog.Store.
func (l *TransLog) AddCosignature(ctx context.Context, size int64, key string, line []byte) error {
	err := l.s.Transact(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM log_checkpoints WHERE size = ?`, size).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return translog.ErrNotFound
		}
		_, err := tx.Exec(ctx, logAddCosigSQL, size, key, line, l.s.now().UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("store.TransLog.AddCosignature(%d, %s): %w", size, key, err)
	}
	return nil
}

// PendingDue returns when the pending leaf of ref is due to be appended, or
// ok == false if it is not pending (already in the tree, or unknown).
func (l *TransLog) PendingDue(ctx context.Context, ref string) (due time.Time, ok bool, err error) {
	var ms int64
	err = l.s.queryRow(ctx, `SELECT due FROM log_pending WHERE ref = ?`, ref).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	} else if err != nil {
		return time.Time{}, false, fmt.Errorf("store.TransLog.PendingDue: %w", err)
	}
	return time.UnixMilli(ms), true, nil
}
