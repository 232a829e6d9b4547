package store

import (
	"context"
	"fmt"
	"time"

	"homthu/internal/homthu"
)

// Retention: once an item has been closed for longer than the retention
// period, the submitter's identity and the attachments are erased; the
// item's text, status and thread stay for the reports, and the
// transparency log keeps only its commitment. Each erasure is audited.

// ErasedItem is what EraseExpired erased of one item.
type ErasedItem struct {
	ID    string
	Blobs []string // attachment hashes no longer referenced by any item
}

// EraseExpired erases identities and attachments of items closed before
// the time, at most limit items per call (callers loop), and returns them.
func (s *Store) EraseExpired(ctx context.Context, before time.Time, limit int) ([]ErasedItem, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := s.query(ctx, `SELECT i.id FROM items i WHERE i.closed_at IS NOT NULL AND i.closed_at < ?
AND (i.identity IS NOT NULL OR EXISTS (SELECT 1 FROM attachments a WHERE a.item = i.id)) LIMIT ?`, before.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("store.EraseExpired: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store.EraseExpired: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.EraseExpired: %w", err)
	}
	var out []ErasedItem
	for _, id := range ids {
		e := ErasedItem{ID: id}
		err := s.Transact(ctx, func(tx *Tx) error {
			hashes, err := collect(ctx, tx, `SELECT sha256 FROM attachments WHERE item = ?`, id)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE items SET identity = NULL WHERE id = ?`, id); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM attachments WHERE item = ?`, id); err != nil {
				return err
			}
			for _, h := range hashes {
				var n int
				// An agency's written answer, or a message to the editorial
				// board, may be the same file: it stays.
				if err := tx.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM attachments WHERE sha256 = ?) + (SELECT COUNT(*) FROM referrals WHERE answer_sha256 = ?)
    + (SELECT COUNT(*) FROM editorial_messages WHERE att_sha256 = ?) + (SELECT COUNT(*) FROM programmes WHERE file_sha256 = ?)
    + (SELECT COUNT(*) FROM activity_files WHERE sha256 = ?)`, h, h, h, h, h).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					e.Blobs = append(e.Blobs, h)
				}
			}
			var unit string
			if err := tx.QueryRow(ctx, `SELECT unit FROM items WHERE id = ?`, id).Scan(&unit); err != nil {
				return err
			}
			return AppendAudit(ctx, tx, &homthu.AuditRecord{At: s.now(), ActorName: "hệ thống", Unit: unit,
				Action: homthu.AuditRetentionErase, Item: id, Reason: fmt.Sprintf("đóng trước %s", before.In(homthu.VNTime).Format(time.DateOnly))})
		})
		if err != nil {
			return out, fmt.Errorf("store.EraseExpired: %w", err)
		}
		out = append(out, e)
	}
	return out, nil
}

func collect(ctx context.Context, tx *Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
