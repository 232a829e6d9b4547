package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"homthu/internal/homthu"
)

// In-app notifications (table notifications, migration 0011): one row per
// recipient account, so that each reads and marks its own.

// NoticeRecipient is an account a notice was delivered to.
type NoticeRecipient struct {
	User  int64
	Email string // "" when the account set no address for notices
}

// Notify delivers a notice in tx to its recipients — one account, or every
// enabled account of a role at a unit — and returns those it reached (an
// account that already has a notice with the same key is skipped). The
// notice must have been validated (homthu.NewNotice.Validate). No
// recipient is not an error: the caller decides (e.g. escalate when a
// commune has no Front staff).
func Notify(ctx context.Context, tx *Tx, n *homthu.NewNotice) ([]NoticeRecipient, error) {
	var key any
	if n.Key != "" {
		key = n.Key
	}
	now := tx.now().UnixMilli()
	q := `INSERT INTO notifications (user_id, notice_key, text, link, created)
SELECT id, ?, ?, ?, ? FROM users WHERE disabled = FALSE AND `
	args := []any{key, n.Text, n.Link, now}
	if n.To.User != 0 {
		q += `id = ?`
		args = append(args, n.To.User)
	} else {
		q += `role = ? AND unit = ?`
		args = append(args, string(n.To.Role), n.To.Unit)
	}
	q += ` ORDER BY id ON CONFLICT (user_id, notice_key) DO NOTHING RETURNING user_id`
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store.Notify: %w", err)
	}
	var out []NoticeRecipient
	for rows.Next() {
		var r NoticeRecipient
		if err := rows.Scan(&r.User); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store.Notify: %w", err)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.Notify: %w", err)
	}
	for i := range out {
		if err := tx.QueryRow(ctx, `SELECT email FROM users WHERE id = ?`, out[i].User).Scan(&out[i].Email); err != nil {
			return nil, fmt.Errorf("store.Notify: %w", err)
		}
	}
	return out, nil
}

// MaxNoticesPage bounds a page of notices.
const MaxNoticesPage = 100

// ListNotices returns a page of the account's notices, newest first,
// starting below the id before (0: the newest), only unread ones if
// unread; and the before of the next page (0 at the end).
func (s *Store) ListNotices(ctx context.Context, user, before int64, unread bool, limit int) ([]*homthu.Notice, int64, error) {
	if limit <= 0 || limit > MaxNoticesPage {
		limit = 20
	}
	q := `SELECT id, text, link, created, read_at FROM notifications WHERE user_id = ?`
	args := []any{user}
	if unread {
		q += ` AND read_at IS NULL`
	}
	if before > 0 {
		q += ` AND id < ?`
		args = append(args, before)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store.ListNotices: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Notice
	for rows.Next() {
		var n homthu.Notice
		var created int64
		var read sql.NullInt64
		if err := rows.Scan(&n.ID, &n.Text, &n.Link, &created, &read); err != nil {
			return nil, 0, fmt.Errorf("store.ListNotices: %w", err)
		}
		n.Created, n.ReadAt = time.UnixMilli(created), fromMS(read)
		out = append(out, &n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store.ListNotices: %w", err)
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

// MaxUnreadCount is where UnreadNotices stops counting ("99+" on screen).
const MaxUnreadCount = 100

// UnreadNotices counts the account's unread notices, up to MaxUnreadCount:
// the staff menu shows it on every page, so it reads at most that many
// index entries.
func (s *Store) UnreadNotices(ctx context.Context, user int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE user_id = ? AND read_at IS NULL LIMIT ?) AS u`,
		user, MaxUnreadCount).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store.UnreadNotices: %w", err)
	}
	return n, nil
}

// ReadNotice marks one of the account's notices read (again is harmless)
// and returns it. Another account's notice is ENOTFOUND, exactly as one
// that does not exist.
func (s *Store) ReadNotice(ctx context.Context, user, id int64) (*homthu.Notice, error) {
	var n homthu.Notice
	var created, read int64
	err := s.write.QueryRowContext(ctx, s.d.rebind(`UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?
RETURNING id, text, link, created, read_at`), s.now().UnixMilli(), id, user).Scan(&n.ID, &n.Text, &n.Link, &created, &read)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thông báo này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.ReadNotice: %w", err)
	}
	n.Created, n.ReadAt = time.UnixMilli(created), time.UnixMilli(read)
	return &n, nil
}

// ReadAllNotices marks every unread notice of the account read and
// returns how many.
func (s *Store) ReadAllNotices(ctx context.Context, user int64) (int, error) {
	res, err := s.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, s.now().UnixMilli(), user)
	if err != nil {
		return 0, fmt.Errorf("store.ReadAllNotices: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// SetUserEmail sets the address at which an account gets its notices by
// mail ("" for none). The caller checks the address.
func (s *Store) SetUserEmail(ctx context.Context, id int64, email string) error {
	res, err := s.exec(ctx, `UPDATE users SET email = ? WHERE id = ?`, email, id)
	if err != nil {
		return fmt.Errorf("store.SetUserEmail: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy tài khoản này.")
	}
	return nil
}

// HasAccounts reports, in tx, whether an enabled account of role sits at
// unit: a reminder for an area without a committee account goes to its
// commune's staff instead.
func HasAccounts(ctx context.Context, tx *Tx, role homthu.Role, unit string) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM users WHERE role = ? AND unit = ? AND disabled = FALSE LIMIT 1) x`, string(role), unit).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store.HasAccounts: %w", err)
	}
	return n > 0, nil
}
