package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"homthu/internal/homthu"
)

// The audit log records every look at an item and every decryption of a
// submitter's identity: who, when, what and why. It is append-only in fact:
// each record carries the SHA-256 of the previous record's hash and its own
// fields, so a record changed or removed breaks the chain (VerifyAudit finds
// it), and triggers on both engines refuse UPDATE and DELETE outright.

// AppendAudit adds a record in tx. Scope is the path of the unit whose
// leaders may read the record (the item's addressee, else the actor's unit).
func AppendAudit(ctx context.Context, tx *Tx, r *homthu.AuditRecord) error {
	if l := tx.d.lockAudit(); l != "" {
		if _, err := tx.Exec(ctx, l); err != nil {
			return fmt.Errorf("store.AppendAudit: %w", err)
		}
	}
	var scope string
	err := tx.QueryRow(ctx, `SELECT scope FROM items WHERE id = ?`, r.Item).Scan(&scope)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRow(ctx, `SELECT path FROM units WHERE code = ?`, r.Unit).Scan(&scope)
	}
	if err != nil {
		return fmt.Errorf("store.AppendAudit: scope: %w", err)
	}
	prev := make([]byte, sha256.Size)
	err = tx.QueryRow(ctx, `SELECT hash FROM audit ORDER BY id DESC LIMIT 1`).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store.AppendAudit: %w", err)
	}
	if r.At.IsZero() {
		r.At = time.Now()
	}
	r.At = time.UnixMilli(r.At.UnixMilli())
	h := auditHash(prev, r)
	var actor any
	if r.Actor != 0 {
		actor = r.Actor
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit (at, actor, actor_name, unit, scope, action, item, reason, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.At.UnixMilli(), actor, r.ActorName, r.Unit, scope, r.Action, r.Item, r.Reason, prev, h); err != nil {
		return fmt.Errorf("store.AppendAudit: %w", err)
	}
	return nil
}

// auditHash is SHA-256 over the previous hash and the record's fields, each
// length-prefixed so that no two records serialise alike.
func auditHash(prev []byte, r *homthu.AuditRecord) []byte {
	h := sha256.New()
	h.Write([]byte("homthu audit v1\x00"))
	h.Write(prev)
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(r.At.UnixMilli()))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(r.Actor))
	h.Write(n[:])
	for _, f := range []string{r.ActorName, r.Unit, r.Action, r.Item, r.Reason} {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return h.Sum(nil)
}

// Audit appends one record in its own transaction.
func (s *Store) Audit(ctx context.Context, r *homthu.AuditRecord) error {
	return s.Transact(ctx, func(tx *Tx) error { return AppendAudit(ctx, tx, r) })
}

// ListAudit returns the newest records readable at a unit (its subtree),
// optionally of one item, newest first.
func (s *Store) ListAudit(ctx context.Context, unit, item string, limit int) ([]*homthu.AuditRecord, error) {
	lo, hi, err := s.scopeRange(ctx, unit)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := s.query(ctx, `SELECT id, at, COALESCE(actor, 0), actor_name, unit, action, item, reason FROM audit
WHERE scope >= ? AND scope < ? AND (? = '' OR item = ?) ORDER BY id DESC LIMIT ?`, lo, hi, item, item, limit)
	if err != nil {
		return nil, fmt.Errorf("store.ListAudit: %w", err)
	}
	defer rows.Close()
	var out []*homthu.AuditRecord
	for rows.Next() {
		var r homthu.AuditRecord
		var at int64
		if err := rows.Scan(&r.ID, &at, &r.Actor, &r.ActorName, &r.Unit, &r.Action, &r.Item, &r.Reason); err != nil {
			return nil, fmt.Errorf("store.ListAudit: %w", err)
		}
		r.At = time.UnixMilli(at)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// VerifyAudit walks the whole chain and returns the number of records, or
// an error naming the first record whose hash does not follow.
func (s *Store) VerifyAudit(ctx context.Context) (int, error) {
	rows, err := s.query(ctx, `SELECT id, at, COALESCE(actor, 0), actor_name, unit, action, item, reason, prev, hash FROM audit ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("store.VerifyAudit: %w", err)
	}
	defer rows.Close()
	prev := make([]byte, sha256.Size)
	n := 0
	for rows.Next() {
		var r homthu.AuditRecord
		var at int64
		var p, h []byte
		if err := rows.Scan(&r.ID, &at, &r.Actor, &r.ActorName, &r.Unit, &r.Action, &r.Item, &r.Reason, &p, &h); err != nil {
			return n, fmt.Errorf("store.VerifyAudit: %w", err)
		}
		r.At = time.UnixMilli(at)
		if !bytes.Equal(p, prev) || !bytes.Equal(h, auditHash(prev, &r)) {
			return n, fmt.Errorf("nhật ký truy cập bị sửa hoặc mất bản ghi tại bản ghi số %d", r.ID)
		}
		prev = h
		n++
	}
	return n, rows.Err()
}
