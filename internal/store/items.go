package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// NewItem is an item ready to be stored: validated, with its secrets already
// derived by the caller (the store never sees a receipt or an identity in
// plain text).
type NewItem struct {
	ID          string
	Sub         homthu.Submission
	Unit        string // the addressee unit (commune or province)
	ReceivedOn  string
	ReceivedAt  time.Time // zero for anonymous items
	ReceiptHash []byte    // keyed hash of the receipt; nil for items without one
	Identity    []byte    // the submitter's identity, sealed; nil when anonymous
	CommitSalt  []byte
	TextHash    []byte
	Leaf        []byte    // the transparency-log leaf, appended through log_pending
	LeafDue     time.Time // when the leaf may be appended (zero: at once)
	// Search is the folded search key of the text (SearchKey); computed by
	// CreateItem when empty. Callers compute it before the transaction, off
	// the single writer's path.
	Search string
}

// SearchKey is the folded text an item is found by: its content and the
// person concerned.
func SearchKey(sub *homthu.Submission) string {
	return vntext.Fold(sub.Content + " " + sub.Subject.Name + " " + sub.Subject.Position + " " + sub.Subject.Workplace)
}

const (
	insertItemSQL = `
INSERT INTO items (id, area, unit, scope, channel, status, content, subject_name, subject_position, subject_workplace,
    search, received_on, received_at, anonymous, identity, receipt_hash, commit_salt, text_hash)
SELECT ?, ?, ?, u.path, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM units u
WHERE u.code = ? AND EXISTS (SELECT 1 FROM units a WHERE a.code = ? AND a.valid_to IS NULL)`
	insertAttachmentSQL = `INSERT INTO attachments (item, pos, sha256, name, type, size) VALUES (?, ?, ?, ?, ?, ?)`
	insertPendingSQL    = `INSERT INTO log_pending (leaf, ref, due) VALUES (?, ?, ?)`
)

// CreateItem stores a new item with its attachments and its log leaf in tx.
// The area and the addressee unit must exist (one statement checks both:
// this runs on the single writer, where every statement counts).
func CreateItem(ctx context.Context, tx *Tx, it *NewItem) error {
	search := it.Search
	if search == "" {
		search = SearchKey(&it.Sub)
	}
	res, err := tx.Exec(ctx, insertItemSQL, it.ID, it.Sub.Area, it.Unit, string(it.Sub.Channel), string(homthu.StatusReceived),
		it.Sub.Content, it.Sub.Subject.Name, it.Sub.Subject.Position, it.Sub.Subject.Workplace, search,
		it.ReceivedOn, ms(it.ReceivedAt), it.Sub.Anonymous, it.Identity, it.ReceiptHash, it.CommitSalt, it.TextHash, it.Unit, it.Sub.Area)
	if err != nil {
		return fmt.Errorf("store.CreateItem: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return homthu.Errorf(homthu.EINVALID, "Không có khu dân cư hoặc xã, phường có mã %q (hoặc đơn vị nhận %q).", it.Sub.Area, it.Unit)
	}
	for i, a := range it.Sub.Attachments {
		if _, err := tx.Exec(ctx, insertAttachmentSQL, it.ID, i, a.SHA256, a.Name, a.Type, a.Size); err != nil {
			return fmt.Errorf("store.CreateItem: attachment: %w", err)
		}
	}
	if it.Leaf != nil {
		var due int64
		if !it.LeafDue.IsZero() {
			due = it.LeafDue.UnixMilli()
		}
		if _, err := tx.Exec(ctx, insertPendingSQL, it.Leaf, "item:"+it.ID, due); err != nil {
			return fmt.Errorf("store.CreateItem: log: %w", err)
		}
	}
	return nil
}

const itemCols = `i.id, i.area, i.unit, i.channel, i.status, i.content, i.subject_name, i.subject_position, i.subject_workplace,
    i.received_on, i.received_at, i.anonymous, u.has_staff, u.full_name, a.full_name`

const itemFrom = ` FROM items i JOIN units u ON u.code = i.unit JOIN units a ON a.code = i.area `

func scanItem(sc interface{ Scan(...any) error }) (*homthu.Item, error) {
	var it homthu.Item
	var at sql.NullInt64
	var staffed bool
	if err := sc.Scan(&it.ID, &it.Area, &it.Unit, &it.Channel, &it.Status, &it.Content, &it.Subject.Name, &it.Subject.Position,
		&it.Subject.Workplace, &it.ReceivedOn, &at, &it.Anonymous, &staffed, &it.UnitName, &it.AreaName); err != nil {
		return nil, err
	}
	it.ReceivedAt = fromMS(at)
	it.Unattended = !staffed
	return &it, nil
}

// scopeRange returns the path range of a unit's subtree.
func (s *Store) scopeRange(ctx context.Context, code string) (string, string, error) {
	var path string
	err := s.queryRow(ctx, `SELECT path FROM units WHERE code = ?`, code).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy đơn vị có mã %q.", code)
	} else if err != nil {
		return "", "", fmt.Errorf("store.scopeRange: %w", err)
	}
	return path, prefixEnd(path), nil
}

// FindItem returns the item with the id if it is addressed to scope or a unit
// below it. An item outside the scope is ENOTFOUND, exactly as one that does
// not exist: no one learns that it exists.
func (s *Store) FindItem(ctx context.Context, scope, id string) (*homthu.Item, error) {
	lo, hi, err := s.scopeRange(ctx, scope)
	if err != nil {
		return nil, err
	}
	it, err := scanItem(s.queryRow(ctx, `SELECT `+itemCols+itemFrom+`WHERE i.id = ? AND i.scope >= ? AND i.scope < ?`, id, lo, hi))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindItem: %w", err)
	}
	rows, err := s.query(ctx, `SELECT sha256, name, type, size FROM attachments WHERE item = ? ORDER BY pos`, id)
	if err != nil {
		return nil, fmt.Errorf("store.FindItem: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a homthu.Attachment
		if err := rows.Scan(&a.SHA256, &a.Name, &a.Type, &a.Size); err != nil {
			return nil, fmt.Errorf("store.FindItem: %w", err)
		}
		it.Attachments = append(it.Attachments, a)
	}
	return it, rows.Err()
}

// ListItems returns a page of items in the filter's scope, newest day first
// (and within a day in the random order of their ids), and the cursor of the
// next page ("" at the end).
func (s *Store) ListItems(ctx context.Context, f homthu.ItemFilter) ([]*homthu.Item, string, error) {
	if f.Scope == "" {
		return nil, "", errors.New("store.ListItems: no scope")
	}
	lo, hi, err := s.scopeRange(ctx, f.Scope)
	if err != nil {
		return nil, "", err
	}
	if f.Unit != "" && f.Unit != f.Scope {
		ulo, uhi, err := s.scopeRange(ctx, f.Unit)
		if err != nil {
			return nil, "", err
		}
		if !strings.HasPrefix(ulo, lo) {
			return nil, "", homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy đơn vị có mã %q trong phạm vi của bạn.", f.Unit)
		}
		lo, hi = ulo, uhi
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 50
	}
	var where []string
	args := []any{lo, hi}
	where = append(where, "i.scope >= ? AND i.scope < ?")
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, "", homthu.Errorf(homthu.EINVALID, "Trạng thái %q không hợp lệ.", f.Status)
		}
		where, args = append(where, "i.status = ?"), append(args, string(f.Status))
	}
	if f.Channel != "" {
		if !f.Channel.Valid() {
			return nil, "", homthu.Errorf(homthu.EINVALID, "Kênh tiếp nhận %q không hợp lệ.", f.Channel)
		}
		where, args = append(where, "i.channel = ?"), append(args, string(f.Channel))
	}
	if f.Area != "" {
		where, args = append(where, "i.area = ?"), append(args, f.Area)
	}
	for _, d := range []struct {
		v, op string
	}{{f.From, ">="}, {f.To, "<="}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			return nil, "", homthu.Errorf(homthu.EINVALID, "Ngày %q không hợp lệ: viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2026-11-28.", d.v)
		}
		where, args = append(where, "i.received_on "+d.op+" ?"), append(args, d.v)
	}
	for _, w := range vntext.Words(f.Query) {
		where, args = append(where, "i.search LIKE ?"), append(args, "%"+escapeLike(w)+"%")
	}
	if f.Cursor != "" {
		day, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "(i.received_on < ? OR (i.received_on = ? AND i.id < ?))"), append(args, day, day, id)
	}
	args = append(args, f.Limit+1)
	q := `SELECT ` + itemCols + itemFrom + `WHERE ` + strings.Join(where, " AND ") + ` ORDER BY i.received_on DESC, i.id DESC LIMIT ?`
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("store.ListItems: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, "", fmt.Errorf("store.ListItems: %w", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("store.ListItems: %w", err)
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		last := out[len(out)-1]
		next = encodeCursor(last.ReceivedOn, last.ID)
	}
	return out, next, nil
}

func encodeCursor(day, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(day + "|" + id))
}

func decodeCursor(c string) (string, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	day, id, ok := strings.Cut(string(b), "|")
	if err != nil || !ok {
		return "", "", homthu.Errorf(homthu.EINVALID, "Con trỏ phân trang (cursor) không hợp lệ.")
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return "", "", homthu.Errorf(homthu.EINVALID, "Con trỏ phân trang (cursor) không hợp lệ.")
	}
	return day, id, nil
}

// ItemByReceipt returns the id of the item whose receipt has the keyed hash,
// or ENOTFOUND.
func (s *Store) ItemByReceipt(ctx context.Context, receiptHash []byte) (string, error) {
	var id string
	err := s.queryRow(ctx, `SELECT id FROM items WHERE receipt_hash = ?`, receiptHash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư nào với mã tra cứu này. Xin kiểm tra lại từng ký tự.")
	} else if err != nil {
		return "", fmt.Errorf("store.ItemByReceipt: %w", err)
	}
	return id, nil
}

// Track returns what the receipt of item id shows: status and messages.
func (s *Store) Track(ctx context.Context, id string) (*homthu.TrackView, error) {
	v := &homthu.TrackView{ItemID: id}
	var at sql.NullInt64
	err := s.queryRow(ctx, `SELECT status, received_on, received_at, anonymous FROM items WHERE id = ?`, id).
		Scan(&v.Status, &v.ReceivedOn, &at, &v.Anonymous)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.Track: %w", err)
	}
	v.ReceivedAt = fromMS(at)
	v.Messages, err = s.Messages(ctx, id)
	return v, err
}

// Messages returns the thread of an item, oldest first (bounded).
func (s *Store) Messages(ctx context.Context, id string) ([]homthu.Message, error) {
	rows, err := s.query(ctx, `SELECT sender, body, at, date_only FROM messages WHERE item = ? ORDER BY id LIMIT 500`, id)
	if err != nil {
		return nil, fmt.Errorf("store.Messages: %w", err)
	}
	defer rows.Close()
	var out []homthu.Message
	for rows.Next() {
		var m homthu.Message
		var at int64
		if err := rows.Scan(&m.From, &m.Body, &at, &m.DateOnly); err != nil {
			return nil, fmt.Errorf("store.Messages: %w", err)
		}
		m.At = time.UnixMilli(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddMessage appends a message to an item's thread. A citizen's message on
// an anonymous item keeps only its day.
func (s *Store) AddMessage(ctx context.Context, id string, m homthu.Message, author int64) error {
	err := s.Batch(ctx, func(tx *Tx) error {
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
		var authorArg any
		if author != 0 {
			authorArg = author
		}
		_, err := tx.Exec(ctx, `INSERT INTO messages (item, sender, author, body, at, date_only) VALUES (?, ?, ?, ?, ?, ?)`,
			id, m.From, authorArg, m.Body, at.UnixMilli(), dateOnly)
		return err
	})
	if err != nil && homthu.ErrorCode(err) == homthu.EINTERNAL {
		return fmt.Errorf("store.AddMessage: %w", err)
	}
	return err
}

// CountItemsByStatus counts the items in a scope by status.
func (s *Store) CountItemsByStatus(ctx context.Context, scope string) (map[homthu.Status]int, error) {
	lo, hi, err := s.scopeRange(ctx, scope)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT status, COUNT(*) FROM items WHERE scope >= ? AND scope < ? GROUP BY status`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store.CountItemsByStatus: %w", err)
	}
	defer rows.Close()
	out := map[homthu.Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store.CountItemsByStatus: %w", err)
		}
		out[homthu.Status(st)] = n
	}
	return out, rows.Err()
}

// SetStatus changes an item's status (used by the demo and, later, by processing).
func (s *Store) SetStatus(ctx context.Context, id string, st homthu.Status) error {
	if !st.Valid() {
		return homthu.Errorf(homthu.EINVALID, "Trạng thái %q không hợp lệ.", st)
	}
	var closed any
	if !st.Open() {
		closed = s.now().UnixMilli()
	}
	_, err := s.exec(ctx, `UPDATE items SET status = ?, closed_at = ? WHERE id = ?`, string(st), closed, id)
	if err != nil {
		return fmt.Errorf("store.SetStatus: %w", err)
	}
	return nil
}

// ItemCommitment returns the salt and text hash an item's log leaf commits
// to, for its proof bundle.
func (s *Store) ItemCommitment(ctx context.Context, id string) (salt, textHash []byte, err error) {
	err = s.queryRow(ctx, `SELECT commit_salt, text_hash FROM items WHERE id = ?`, id).Scan(&salt, &textHash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
	} else if err != nil {
		return nil, nil, fmt.Errorf("store.ItemCommitment: %w", err)
	}
	return salt, textHash, nil
}
