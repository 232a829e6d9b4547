package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"homthu/internal/homthu"
)

// Messages to the editorial board ("Gửi ban biên tập"). They belong to no
// unit: the board is the site's, and its inbox is the editors'.

const editorialCols = `id, received, name, contact, subject, body, COALESCE(att_sha256, ''), COALESCE(att_name, ''),
    COALESCE(att_type, ''), COALESCE(att_size, 0), status, reply, replied_at, replied_by, done_at, done_by`

func scanEditorial(sc interface{ Scan(...any) error }) (*homthu.EditorialMessage, error) {
	var m homthu.EditorialMessage
	var received int64
	var repliedAt, doneAt sql.NullInt64
	var a homthu.Attachment
	if err := sc.Scan(&m.ID, &received, &m.Name, &m.Contact, &m.Subject, &m.Text, &a.SHA256, &a.Name, &a.Type, &a.Size,
		&m.Status, &m.Reply, &repliedAt, &m.RepliedBy, &doneAt, &m.DoneBy); err != nil {
		return nil, err
	}
	m.Received, m.RepliedAt, m.DoneAt = time.UnixMilli(received), fromMS(repliedAt), fromMS(doneAt)
	if a.SHA256 != "" {
		m.Attachment = &a
	}
	return &m, nil
}

// CreateEditorialMessage stores a validated message received at the time
// given and returns its id.
func (s *Store) CreateEditorialMessage(ctx context.Context, in *homthu.EditorialInput, received time.Time) (int64, error) {
	var sha, name, typ, size any
	if a := in.Attachment; a != nil {
		sha, name, typ, size = a.SHA256, a.Name, a.Type, a.Size
	}
	var id int64
	err := s.Transact(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO editorial_messages (received, name, contact, subject, body, att_sha256, att_name, att_type, att_size)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, received.UnixMilli(), in.Name, in.Contact, in.Subject, in.Text, sha, name, typ, size).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("store.CreateEditorialMessage: %w", err)
	}
	return id, nil
}

// FindEditorialMessage returns one message, or ENOTFOUND.
func (s *Store) FindEditorialMessage(ctx context.Context, id int64) (*homthu.EditorialMessage, error) {
	m, err := scanEditorial(s.queryRow(ctx, `SELECT `+editorialCols+` FROM editorial_messages WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindEditorialMessage: %w", err)
	}
	return m, nil
}

// EditorialFilter selects messages: of one status ("" for any), older than
// the message Before (0 for the newest), at most Limit (50 by default, 200
// at most).
type EditorialFilter struct {
	Status homthu.EditorialStatus
	Before int64
	Limit  int
}

// EditorialMessages returns a page of messages, newest first, and the id
// to pass as Before for the next page (0 when there is none).
func (s *Store) EditorialMessages(ctx context.Context, f EditorialFilter) ([]*homthu.EditorialMessage, int64, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q, args := `SELECT `+editorialCols+` FROM editorial_messages WHERE 1 = 1`, []any{}
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, 0, homthu.Errorf(homthu.EINVALID, "Tình trạng thư %q không hợp lệ.", f.Status)
		}
		q, args = q+` AND status = ?`, append(args, string(f.Status))
	}
	if f.Before > 0 {
		q, args = q+` AND id < ?`, append(args, f.Before)
	}
	rows, err := s.query(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, f.Limit+1)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store.EditorialMessages: %w", err)
	}
	defer rows.Close()
	var out []*homthu.EditorialMessage
	for rows.Next() {
		m, err := scanEditorial(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store.EditorialMessages: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store.EditorialMessages: %w", err)
	}
	var next int64
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = out[f.Limit-1].ID
	}
	return out, next, nil
}

// ReplyEditorial records in tx that an editor answered the message by
// mail: the text, who and when; the message becomes "replied" unless it
// was done. The mail itself is queued by the caller in the same tx.
func ReplyEditorial(ctx context.Context, tx *Tx, id int64, reply, by string, at time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE editorial_messages SET reply = ?, replied_at = ?, replied_by = ?,
    status = CASE WHEN status = 'done' THEN 'done' ELSE 'replied' END WHERE id = ?`, reply, at.UnixMilli(), by, id)
	if err != nil {
		return fmt.Errorf("store.ReplyEditorial: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư này.")
	}
	return nil
}

// SetEditorialDone marks the message done (by whom, when), or, with done
// false, open again (replied if it was answered, new otherwise).
func (s *Store) SetEditorialDone(ctx context.Context, id int64, done bool, by string, at time.Time) error {
	q, args := `UPDATE editorial_messages SET status = 'done', done_at = ?, done_by = ? WHERE id = ?`, []any{at.UnixMilli(), by, id}
	if !done {
		q, args = `UPDATE editorial_messages SET status = CASE WHEN replied_at IS NULL THEN 'new' ELSE 'replied' END,
    done_at = NULL, done_by = '' WHERE id = ?`, []any{id}
	}
	res, err := s.exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store.SetEditorialDone: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư này.")
	}
	return nil
}

// EditorialCounts returns how many messages are in each state, for the
// inbox's tabs.
func (s *Store) EditorialCounts(ctx context.Context) (map[homthu.EditorialStatus]int, error) {
	rows, err := s.query(ctx, `SELECT status, COUNT(*) FROM editorial_messages GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("store.EditorialCounts: %w", err)
	}
	defer rows.Close()
	out := map[homthu.EditorialStatus]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store.EditorialCounts: %w", err)
		}
		out[homthu.EditorialStatus(st)] = n
	}
	return out, rows.Err()
}
