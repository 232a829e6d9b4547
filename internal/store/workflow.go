package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// The workflow's storage: the application reads an item for a change
// (LockItem), checks the change with homthu.Step, and writes it back with
// its history entry (SaveItem, AppendHistory), all in one transaction.

const lockScopedSQL = `SELECT ` + itemCols + itemFrom + `JOIN units sc ON sc.code = ?
WHERE i.id = ? AND i.scope >= sc.path AND i.scope < substr(sc.path, 1, length(sc.path) - 1) || '0'`

const lockSQL = `SELECT ` + itemCols + itemFrom + `WHERE i.id = ?`

// LockItem reads item id in tx for a change, locked against concurrent
// changes until tx ends. With a scope (a unit code) an item addressed
// outside it is ENOTFOUND, as FindItem; with scope "" the caller has
// authorised the access otherwise (an agency's referral).
func LockItem(ctx context.Context, tx *Tx, scope, id string) (*homthu.Item, error) {
	var row *sql.Row
	if scope != "" {
		row = tx.QueryRow(ctx, lockScopedSQL+tx.d.forUpdate(), scope, id)
	} else {
		row = tx.QueryRow(ctx, lockSQL+tx.d.forUpdate(), id)
	}
	it, err := scanItem(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.LockItem: %w", err)
	}
	rows, err := tx.Query(ctx, itemCategoriesSQL, id)
	if err != nil {
		return nil, fmt.Errorf("store.LockItem: %w", err)
	}
	if it.Categories, err = scanCategories(rows); err != nil {
		return nil, fmt.Errorf("store.LockItem: %w", err)
	}
	return it, nil
}

const saveItemSQL = `UPDATE items SET status = ?, kind = ?, priority = ?, notes = ?,
    subject_name = ?, subject_position = ?, subject_workplace = ?, subject_party = ?, subject_managed = ?, subject_unit = ?,
    subject_fold = ?, search = ?, denunciation_law = ?, inspection = ?, assignee = ?, case_of = ?, agency = ?, due_on = ?,
    unit = ?, scope = (SELECT path FROM units WHERE code = ?), closed_at = ?, rating = ?, rating_comment = ?, rated_on = ?,
    version = version + 1
WHERE id = ? AND version = ?`

// SaveItem writes an item's processing state back after a change made on
// version (the item's Version when it was read), and replaces its
// categories. closedAt is when its processing ended (zero while open).
// The item's Version is incremented. A version that is no longer the
// item's is ECONFLICT: someone changed it in between.
func SaveItem(ctx context.Context, tx *Tx, it *homthu.Item, version int, closedAt time.Time) error {
	s := &it.Subject
	search := vntext.Fold(it.Content + " " + s.Name + " " + s.Position + " " + s.Workplace)
	var rating, ratedOn any = "", nil
	comment := ""
	if it.Rating != nil {
		rating, comment = ratingUnsatisfied, it.Rating.Comment
		if it.Rating.Satisfied {
			rating = ratingSatisfied
		}
		ratedOn = homthu.Today(it.Rating.At)
	}
	res, err := tx.Exec(ctx, saveItemSQL, string(it.Status), string(it.Kind), string(it.Priority), it.Notes,
		s.Name, s.Position, s.Workplace, string(s.PartyMember), string(s.ManagedBy), s.Unit,
		vntext.Fold(s.Name), search, it.DenunciationLaw, it.Inspection, nullInt(it.Assignee), nullString(it.CaseOf), nullInt(it.Agency),
		nullString(it.DueOn), it.Unit, it.Unit, ms(closedAt), rating, comment, ratedOn, it.ID, version)
	if err != nil {
		return fmt.Errorf("store.SaveItem: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return homthu.Errorf(homthu.ECONFLICT, "Thư, đơn này vừa được cập nhật (bởi người khác, hoặc bạn đã bấm hai lần). Xin xem lại thông tin hiện tại rồi làm lại nếu cần.")
	}
	if _, err := tx.Exec(ctx, `DELETE FROM item_categories WHERE item = ?`, it.ID); err != nil {
		return fmt.Errorf("store.SaveItem: %w", err)
	}
	for _, c := range it.Categories {
		if _, err := tx.Exec(ctx, insertCategorySQL, c.Code, c.Version, it.ID); err != nil {
			return fmt.Errorf("store.SaveItem: category: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, updateReferralScopeSQL, it.ID); err != nil {
		return fmt.Errorf("store.SaveItem: referrals: %w", err)
	}
	it.Version = version + 1
	return nil
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// AppendHistory records one change of item in tx.
func AppendHistory(ctx context.Context, tx *Tx, item string, h *homthu.HistoryEntry) error {
	changes, err := json.Marshal(h.Changes)
	if err != nil {
		return fmt.Errorf("store.AppendHistory: %w", err)
	}
	if h.Changes == nil {
		changes = []byte("[]")
	}
	at := h.At
	if h.DateOnly {
		d := at.In(homthu.VNTime)
		at = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, homthu.VNTime)
	}
	_, err = tx.Exec(ctx, `INSERT INTO item_history (item, at, date_only, actor, actor_name, actor_role, event, from_status, to_status, changes, note, public, public_note)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, item, at.UnixMilli(), h.DateOnly, nullInt(h.Actor), h.ActorName, string(h.ActorRole),
		string(h.Event), string(h.From), string(h.To), string(changes), h.Note, h.Public, h.PublicNote)
	if err != nil {
		return fmt.Errorf("store.AppendHistory: %w", err)
	}
	return nil
}

// MaxHistory bounds one item's history as listed.
const MaxHistory = 1000

// History returns an item's history, oldest first; publicOnly keeps the
// steps the submitter reads.
func (s *Store) History(ctx context.Context, item string, publicOnly bool) ([]homthu.HistoryEntry, error) {
	q := `SELECT id, at, date_only, COALESCE(actor, 0), actor_name, actor_role, event, from_status, to_status, changes, note, public, public_note
FROM item_history WHERE item = ?`
	if publicOnly {
		q += ` AND public = TRUE`
	}
	rows, err := s.query(ctx, q+` ORDER BY id LIMIT ?`, item, MaxHistory)
	if err != nil {
		return nil, fmt.Errorf("store.History: %w", err)
	}
	defer rows.Close()
	var out []homthu.HistoryEntry
	for rows.Next() {
		var h homthu.HistoryEntry
		var at int64
		var changes string
		if err := rows.Scan(&h.ID, &at, &h.DateOnly, &h.Actor, &h.ActorName, &h.ActorRole, &h.Event, &h.From, &h.To, &changes,
			&h.Note, &h.Public, &h.PublicNote); err != nil {
			return nil, fmt.Errorf("store.History: %w", err)
		}
		h.At = time.UnixMilli(at)
		if err := json.Unmarshal([]byte(changes), &h.Changes); err != nil {
			return nil, fmt.Errorf("store.History: changes of entry %d: %w", h.ID, err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// InsertMessage appends a message to an item's thread in tx. A citizen's
// message on an anonymous item keeps only its day.
func InsertMessage(ctx context.Context, tx *Tx, id string, m homthu.Message, author int64) error {
	var anon bool
	if err := tx.QueryRow(ctx, `SELECT anonymous FROM items WHERE id = ?`, id).Scan(&anon); errors.Is(err, sql.ErrNoRows) {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
	} else if err != nil {
		return err
	}
	at := m.At
	dateOnly := false
	if anon && m.From == "citizen" {
		d := at.In(homthu.VNTime)
		at = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, homthu.VNTime)
		dateOnly = true
	}
	_, err := tx.Exec(ctx, `INSERT INTO messages (item, sender, author, body, at, date_only) VALUES (?, ?, ?, ?, ?, ?)`,
		id, m.From, nullInt(author), m.Body, at.UnixMilli(), dateOnly)
	return err
}

// SetCaseClosed sets or clears (zero at) the end of processing of the
// duplicates linked to case id: they close and reopen with it.
func SetCaseClosed(ctx context.Context, tx *Tx, id string, at time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE items SET closed_at = ? WHERE case_of = ?`, ms(at), id)
	if err != nil {
		return fmt.Errorf("store.SetCaseClosed: %w", err)
	}
	return nil
}

// ClosedAt returns when an item's processing ended, zero while open.
func ClosedAt(ctx context.Context, tx *Tx, id string) (time.Time, error) {
	var v sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT closed_at FROM items WHERE id = ?`, id).Scan(&v); err != nil {
		return time.Time{}, fmt.Errorf("store.ClosedAt: %w", err)
	}
	return fromMS(v), nil
}

// ExcludedTx is Excluded in tx.
func ExcludedTx(ctx context.Context, tx *Tx, item string, user int64) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM conflicts WHERE item = ? AND user_id = ? AND state <> 'dismissed'`, item, user).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store.ExcludedTx: %w", err)
	}
	return n > 0, nil
}

// AssignedOpen returns the ids of the open items given to an account, at
// most limit.
func AssignedOpen(ctx context.Context, tx *Tx, user int64, limit int) ([]string, error) {
	ids, err := collect(ctx, tx, `SELECT id FROM items WHERE assignee = ? AND status IN ('received', 'considering', 'referred', 'answered', 'reopened')
ORDER BY sort_key LIMIT ?`, user, limit)
	if err != nil {
		return nil, fmt.Errorf("store.AssignedOpen: %w", err)
	}
	return ids, nil
}

// MoveLinked points the duplicates linked to case from at case to.
func MoveLinked(ctx context.Context, tx *Tx, from, to string) error {
	if _, err := tx.Exec(ctx, `UPDATE items SET case_of = ?, version = version + 1 WHERE case_of = ?`, to, from); err != nil {
		return fmt.Errorf("store.MoveLinked: %w", err)
	}
	return nil
}

// LinkedTo returns the duplicates linked to a case, at most 200.
func (s *Store) LinkedTo(ctx context.Context, id string) ([]*homthu.Item, error) {
	rows, err := s.query(ctx, `SELECT `+itemCols+itemFrom+`WHERE i.case_of = ? ORDER BY i.sort_key LIMIT 200`, id)
	if err != nil {
		return nil, fmt.Errorf("store.LinkedTo: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, fmt.Errorf("store.LinkedTo: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// PublishAnswer marks the latest answered referral of an item as passed on
// to the submitter: its written answer (text and file) shows on the
// receipt page.
func PublishAnswer(ctx context.Context, tx *Tx, item string) error {
	res, err := tx.Exec(ctx, `UPDATE referrals SET published = TRUE WHERE id = (SELECT MAX(id) FROM referrals WHERE item = ? AND state = 'answered')`, item)
	if err != nil {
		return fmt.Errorf("store.PublishAnswer: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return homthu.Errorf(homthu.EINVALID, "Chưa có văn bản trả lời của cơ quan có thẩm quyền để gửi kèm.")
	}
	return nil
}

// SetRating records a submitter's rating on an item in tx, outside the
// item's own changes (a linked duplicate rating its case).
func SetRating(ctx context.Context, tx *Tx, id string, r *homthu.Rating) error {
	v := ratingUnsatisfied
	if r.Satisfied {
		v = ratingSatisfied
	}
	if _, err := tx.Exec(ctx, `UPDATE items SET rating = ?, rating_comment = ?, rated_on = ?, version = version + 1 WHERE id = ?`,
		v, r.Comment, homthu.Today(r.At), id); err != nil {
		return fmt.Errorf("store.SetRating: %w", err)
	}
	return nil
}
