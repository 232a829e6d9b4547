package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
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
	// SortKey orders the inbox and is the full-text index's rowid
	// (NewSortKey); drawn by CreateItem when zero.
	SortKey int64
	// DueOn is the Front's own deadline to consider the item (YYYY-MM-DD),
	// "" for none.
	DueOn string
	// Categories are standards the submitter chose (validated by
	// Store.ClassifyStandards); triage confirms or replaces them.
	Categories []homthu.StandardRef
}

// NewSortKey returns a sort key for an item received on day (YYYY-MM-DD):
// the days since 2000-01-01 in the high 16 bits and 47 random bits below.
// Sorting by it is sorting by day, and within a day in an order that says
// nothing of arrival (the reason items have random ids).
func NewSortKey(day string) (int64, error) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return 0, fmt.Errorf("store.NewSortKey: %w", err)
	}
	var b [8]byte
	rand.Read(b[:])
	k := dayKey(d)
	if k == 0 && !d.Equal(epoch2000) || k == math.MaxInt64 {
		return 0, fmt.Errorf("store.NewSortKey: day %s outside 2000–2179", day)
	}
	return k | int64(binary.BigEndian.Uint64(b[:])&(1<<sortRandBits-1)), nil
}

const sortRandBits = 47

// IsSortKeyTaken reports whether err is the refusal of an item whose sort
// key another item has (the unique index items_sort); the caller draws
// another key and tries again.
func IsSortKeyTaken(err error) bool {
	if err == nil {
		return false
	}
	m := err.Error()
	return strings.Contains(m, "items.sort_key") || strings.Contains(m, `"items_sort"`)
}

var epoch2000 = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// dayKey is the smallest sort key of a day; days before 2000 and after
// the 16 bits of days (the year 2179) are clamped, for filters.
func dayKey(d time.Time) int64 {
	days := int64(d.Sub(epoch2000).Hours()+12) / 24
	switch {
	case days < 0:
		return 0
	case days >= 1<<(63-sortRandBits):
		return math.MaxInt64
	}
	return days << sortRandBits
}

// SearchKey is the folded text an item is found by: its content and the
// person concerned.
func SearchKey(sub *homthu.Submission) string {
	return vntext.Fold(sub.Content + " " + sub.Subject.Name + " " + sub.Subject.Position + " " + sub.Subject.Workplace)
}

const (
	insertItemSQL = `
INSERT INTO items (id, area, unit, scope, channel, status, content, subject_name, subject_position, subject_workplace,
    search, received_on, received_at, anonymous, identity, receipt_hash, commit_salt, text_hash,
    sort_key, due_on, subject_fold, subject_party, subject_managed, subject_unit, consent_notice, consent_at)
SELECT ?, ?, ?, u.path, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM units u
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
	if it.SortKey == 0 {
		k, err := NewSortKey(it.ReceivedOn)
		if err != nil {
			return err
		}
		it.SortKey = k
	}
	var due any
	if it.DueOn != "" {
		due = it.DueOn
	}
	sub := &it.Sub.Subject
	var consentAt any
	if !it.Sub.Anonymous {
		consentAt = ms(it.Sub.Consent.At)
	}
	res, err := tx.Exec(ctx, insertItemSQL, it.ID, it.Sub.Area, it.Unit, string(it.Sub.Channel), string(homthu.StatusReceived),
		it.Sub.Content, sub.Name, sub.Position, sub.Workplace, search,
		it.ReceivedOn, ms(it.ReceivedAt), it.Sub.Anonymous, it.Identity, it.ReceiptHash, it.CommitSalt, it.TextHash,
		it.SortKey, due, vntext.Fold(sub.Name), string(sub.PartyMember), string(sub.ManagedBy), sub.Unit,
		consentNotice(&it.Sub), consentAt, it.Unit, it.Sub.Area)
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
	for _, c := range it.Categories {
		if _, err := tx.Exec(ctx, insertCategorySQL, c.Code, c.Version, it.ID); err != nil {
			return fmt.Errorf("store.CreateItem: category: %w", err)
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

// consentNotice is the notice version stored with a named item.
func consentNotice(sub *homthu.Submission) string {
	if sub.Anonymous {
		return ""
	}
	return sub.Consent.Notice
}

const itemCols = `i.id, i.area, i.unit, i.channel, i.status, i.content, i.subject_name, i.subject_position, i.subject_workplace,
    i.received_on, i.received_at, i.anonymous, u.has_staff, u.full_name, a.full_name,
    i.sort_key, i.kind, i.priority, i.notes, i.subject_party, i.subject_managed, i.subject_unit, i.denunciation_law, i.inspection,
    i.assignee, COALESCE(us.username, ''), COALESCE(i.case_of, ''), i.agency, COALESCE(ag.name, ''), COALESCE(i.due_on, ''), i.version,
    i.consent_notice, i.consent_at, i.rating, i.rating_comment, COALESCE(i.rated_on, '')`

const itemFrom = ` FROM items i JOIN units u ON u.code = i.unit JOIN units a ON a.code = i.area
    LEFT JOIN users us ON us.id = i.assignee LEFT JOIN agencies ag ON ag.id = i.agency `

func scanItem(sc interface{ Scan(...any) error }) (*homthu.Item, error) {
	var it homthu.Item
	var at, consentAt, assignee, agency sql.NullInt64
	var staffed bool
	var rating, ratingComment, ratedOn string
	if err := sc.Scan(&it.ID, &it.Area, &it.Unit, &it.Channel, &it.Status, &it.Content, &it.Subject.Name, &it.Subject.Position,
		&it.Subject.Workplace, &it.ReceivedOn, &at, &it.Anonymous, &staffed, &it.UnitName, &it.AreaName,
		&it.SortKey, &it.Kind, &it.Priority, &it.Notes, &it.Subject.PartyMember, &it.Subject.ManagedBy, &it.Subject.Unit,
		&it.DenunciationLaw, &it.Inspection, &assignee, &it.AssigneeName, &it.CaseOf, &agency, &it.AgencyName, &it.DueOn, &it.Version,
		&it.Consent.Notice, &consentAt, &rating, &ratingComment, &ratedOn); err != nil {
		return nil, err
	}
	it.ReceivedAt = fromMS(at)
	it.Unattended = !staffed
	it.Assignee, it.Agency = assignee.Int64, agency.Int64
	it.Consent.At = fromMS(consentAt)
	if rating != "" {
		it.Rating = &homthu.Rating{Satisfied: rating == ratingSatisfied, Comment: ratingComment}
		if d, err := time.ParseInLocation(time.DateOnly, ratedOn, homthu.VNTime); err == nil {
			it.Rating.At = d
		}
	}
	return &it, nil
}

// The stored ratings.
const (
	ratingSatisfied   = "satisfied"
	ratingUnsatisfied = "unsatisfied"
)

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
	if err := s.itemDetails(ctx, it); err != nil {
		return nil, fmt.Errorf("store.FindItem: %w", err)
	}
	return it, nil
}

// itemDetails fills an item's attachments and categories.
func (s *Store) itemDetails(ctx context.Context, it *homthu.Item) error {
	rows, err := s.query(ctx, `SELECT sha256, name, type, size FROM attachments WHERE item = ? ORDER BY pos`, it.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a homthu.Attachment
		if err := rows.Scan(&a.SHA256, &a.Name, &a.Type, &a.Size); err != nil {
			return err
		}
		it.Attachments = append(it.Attachments, a)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows2, err := s.query(ctx, itemCategoriesSQL, it.ID)
	if err != nil {
		return err
	}
	it.Categories, err = scanCategories(rows2)
	return err
}

const itemCategoriesSQL = `SELECT code, version FROM item_categories WHERE item = ? ORDER BY code`

func scanCategories(rows *sql.Rows) ([]homthu.StandardRef, error) {
	defer rows.Close()
	var out []homthu.StandardRef
	for rows.Next() {
		var r homthu.StandardRef
		if err := rows.Scan(&r.Code, &r.Version); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindItemUnscoped returns an item by id whatever its unit, for callers
// that authorised the access otherwise (an agency handler's referral, the
// submitter's receipt); staff pages use FindItem.
func (s *Store) FindItemUnscoped(ctx context.Context, id string) (*homthu.Item, error) {
	it, err := scanItem(s.queryRow(ctx, `SELECT `+itemCols+itemFrom+`WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindItemUnscoped: %w", err)
	}
	if err := s.itemDetails(ctx, it); err != nil {
		return nil, fmt.Errorf("store.FindItemUnscoped: %w", err)
	}
	return it, nil
}

// ListItems returns a page of items in the filter's scope, newest day first
// (and within a day in the random order of their sort keys) or oldest
// first, and the cursor of the next page ("" at the end). Pagination is by
// keyset on the sort key: a page costs the same on page 1 and page 1000.
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
	where, args, err := s.itemWhere(f, lo, hi)
	if err != nil {
		return nil, "", err
	}
	order := "DESC"
	if f.Oldest {
		order = "ASC"
	}
	args = append(args, f.Limit+1)
	q := `SELECT ` + itemCols + itemFrom + `WHERE ` + strings.Join(where, " AND ") + ` ORDER BY i.sort_key ` + order + ` LIMIT ?`
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
		next = encodeCursor(out[len(out)-1].SortKey)
	}
	return out, next, nil
}

// itemWhere turns a filter into the conditions of an inbox query. Every
// condition is on a column of items led by an index that ends in sort_key,
// so that the engine can walk the index in order and stop at the page.
func (s *Store) itemWhere(f homthu.ItemFilter, lo, hi string) ([]string, []any, error) {
	where := []string{"i.scope >= ? AND i.scope < ?"}
	args := []any{lo, hi}
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	switch {
	case f.Status == "":
		for _, st := range homthu.Statuses {
			if st.Hidden() {
				add("i.status <> ?", string(st))
			}
		}
	case !f.Status.Valid():
		return nil, nil, homthu.Errorf(homthu.EINVALID, "Trạng thái %q không hợp lệ.", f.Status)
	default:
		add("i.status = ?", string(f.Status))
	}
	if f.Channel != "" {
		if !f.Channel.Valid() {
			return nil, nil, homthu.Errorf(homthu.EINVALID, "Kênh tiếp nhận %q không hợp lệ.", f.Channel)
		}
		add("i.channel = ?", string(f.Channel))
	}
	if f.Area != "" {
		add("i.area = ?", f.Area)
	}
	if f.Kind != "" {
		if !f.Kind.Valid() {
			return nil, nil, homthu.Errorf(homthu.EINVALID, "Loại thư, đơn %q không hợp lệ.", f.Kind)
		}
		add("i.kind = ?", string(f.Kind))
	}
	if f.Category != "" {
		add("i.sort_key IN (SELECT c.sort_key FROM item_categories c WHERE c.code = ?)", f.Category)
	}
	if f.Agency != 0 {
		add("i.agency = ?", f.Agency)
	}
	if f.Assignee != 0 {
		add("i.assignee = ?", f.Assignee)
	}
	if f.Overdue {
		if _, err := time.Parse(time.DateOnly, f.Today); err != nil {
			return nil, nil, fmt.Errorf("store.ListItems: overdue needs Today")
		}
		add("i.due_on < ?", f.Today)
	}
	if f.Viewer != 0 {
		add("NOT EXISTS (SELECT 1 FROM conflicts cf WHERE cf.user_id = ? AND cf.item = i.id AND cf.state <> 'dismissed')", f.Viewer)
	}
	for _, d := range []struct {
		v    string
		from bool
	}{{f.From, true}, {f.To, false}} {
		if d.v == "" {
			continue
		}
		day, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			return nil, nil, homthu.Errorf(homthu.EINVALID, "Ngày %q không hợp lệ: viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2026-11-28.", d.v)
		}
		if d.from {
			add("i.sort_key >= ?", dayKey(day))
		} else {
			add("i.sort_key < ?", dayKey(day.AddDate(0, 0, 1)))
		}
	}
	if words := vntext.Words(f.Query); len(words) > 0 {
		if len(words) > maxQueryWords {
			words = words[:maxQueryWords]
		}
		cond, arg := s.d.textMatch(words)
		add(cond, arg)
	}
	if f.Cursor != "" {
		k, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, nil, err
		}
		if f.Oldest {
			add("i.sort_key > ?", k)
		} else {
			add("i.sort_key < ?", k)
		}
	}
	return where, args, nil
}

// maxQueryWords bounds the words of a search.
const maxQueryWords = 12

func encodeCursor(k int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k" + strconv.FormatInt(k, 36)))
}

func decodeCursor(c string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	bad := homthu.Errorf(homthu.EINVALID, "Con trỏ phân trang (cursor) không hợp lệ.")
	if err != nil || len(b) < 2 || b[0] != 'k' {
		return 0, bad
	}
	k, err := strconv.ParseInt(string(b[1:]), 36, 64)
	if err != nil || k <= 0 {
		return 0, bad
	}
	return k, nil
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

// Track returns what the receipt of item id shows: the status, the public
// steps, the answer passed on, the rating and the messages. A linked
// duplicate shows its case's steps and answer after its own.
func (s *Store) Track(ctx context.Context, id string) (*homthu.TrackView, error) {
	v := &homthu.TrackView{ItemID: id}
	var at sql.NullInt64
	var caseOf, rating, comment, ratedOn string
	err := s.queryRow(ctx, `SELECT status, received_on, received_at, anonymous, COALESCE(case_of, ''), rating, rating_comment, COALESCE(rated_on, '')
FROM items WHERE id = ?`, id).Scan(&v.Status, &v.ReceivedOn, &at, &v.Anonymous, &caseOf, &rating, &comment, &ratedOn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.Track: %w", err)
	}
	v.ReceivedAt = fromMS(at)
	if rating != "" {
		v.Rating = &homthu.Rating{Satisfied: rating == ratingSatisfied, Comment: comment}
		v.Rating.At, _ = time.ParseInLocation(time.DateOnly, ratedOn, homthu.VNTime)
	}
	if v.Steps, err = s.History(ctx, id, true); err != nil {
		return nil, err
	}
	answerOf, status := id, v.Status
	if caseOf != "" && v.Status == homthu.StatusLinked {
		steps, err := s.History(ctx, caseOf, true)
		if err != nil {
			return nil, err
		}
		v.Steps = append(v.Steps, steps...)
		if err := s.queryRow(ctx, `SELECT status FROM items WHERE id = ?`, caseOf).Scan(&status); err != nil {
			return nil, fmt.Errorf("store.Track: %w", err)
		}
		answerOf = caseOf
	}
	v.CanRate = status == homthu.StatusClosed
	if v.Answer, err = s.publicAnswer(ctx, answerOf); err != nil {
		return nil, err
	}
	v.Messages, err = s.Messages(ctx, id)
	return v, err
}

// publicAnswer is the latest answer of an item's referrals that the Front
// passed on to the submitter, or nil.
func (s *Store) publicAnswer(ctx context.Context, item string) (*homthu.PublicAnswer, error) {
	var a homthu.PublicAnswer
	var f homthu.Attachment
	var answered sql.NullInt64
	err := s.queryRow(ctx, `SELECT g.name, r.outcome, r.answer, r.answer_sha256, r.answer_name, r.answer_type, r.answer_size, r.answered_at
FROM referrals r JOIN agencies g ON g.id = r.agency WHERE r.item = ? AND r.published = TRUE ORDER BY r.id DESC LIMIT 1`, item).
		Scan(&a.Agency, &a.Outcome, &a.Text, &f.SHA256, &f.Name, &f.Type, &f.Size, &answered)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store.publicAnswer: %w", err)
	}
	if f.SHA256 != "" {
		a.File = &f
	}
	a.On = homthu.Today(fromMS(answered))
	return &a, nil
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
	err := s.Batch(ctx, func(tx *Tx) error { return InsertMessage(ctx, tx, id, m, author) })
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
