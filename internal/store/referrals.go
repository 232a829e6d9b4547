package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"homthu/internal/homthu"
)

// NextReferralNumber draws the next number of a unit's referral letters in
// a year (a letter's số: 1, 2, … from each 1 January).
func NextReferralNumber(ctx context.Context, tx *Tx, unit string, year int) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `INSERT INTO referral_numbers (unit, year, next) VALUES (?, ?, 2)
ON CONFLICT (unit, year) DO UPDATE SET next = referral_numbers.next + 1 RETURNING next - 1`, unit, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store.NextReferralNumber: %w", err)
	}
	return n, nil
}

// InsertReferral stores a new referral of an item in tx. files says the
// agency may open the item's attachments.
func InsertReferral(ctx context.Context, tx *Tx, r *homthu.Referral, files bool, by int64) error {
	err := tx.QueryRow(ctx, `INSERT INTO referrals (item, agency, number, sent_on, due_on, days, working, state, letter, files, created_by, created_at,
    digest_scope, item_sort)
SELECT i.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, `+digestScopeExpr+`, i.sort_key FROM items i WHERE i.id = ? RETURNING id`, r.Agency, r.Number, r.SentOn, r.DueOn, r.Days, r.Working,
		string(r.State), r.Letter, files, nullInt(by), r.CreatedAt.UnixMilli(), r.Item).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("store.InsertReferral: %w", err)
	}
	return nil
}

// UpdateReferral writes a referral's state, acknowledgement, deadline,
// outcome and answer back in tx; ackBy and answerBy are the accounts that
// acknowledged and answered, 0 to keep what is recorded.
func UpdateReferral(ctx context.Context, tx *Tx, r *homthu.Referral, ackBy, answerBy int64) error {
	f := r.AnswerFile
	if f == nil {
		f = &homthu.Attachment{}
	}
	_, err := tx.Exec(ctx, `UPDATE referrals SET state = ?, due_on = ?, acknowledged_at = ?, acknowledged_by = COALESCE(?, acknowledged_by),
    outcome = ?, measures = ?, answer = ?, answer_sha256 = ?, answer_name = ?, answer_type = ?, answer_size = ?,
    answered_at = ?, answered_on = ?, answered_by = COALESCE(?, answered_by) WHERE id = ?`,
		string(r.State), r.DueOn, ms(r.AcknowledgedAt), nullInt(ackBy), string(r.Outcome), r.Measures, r.Answer,
		f.SHA256, f.Name, f.Type, f.Size, ms(r.AnsweredAt), answeredOn(r.AnsweredAt), nullInt(answerBy), r.ID)
	if err != nil {
		return fmt.Errorf("store.UpdateReferral: %w", err)
	}
	return nil
}

const referralCols = `r.id, r.item, r.agency, g.name, g.unit, r.number, r.sent_on, r.due_on, r.working, r.days, r.state, r.letter,
    COALESCE(cu.username, ''), r.created_at, r.acknowledged_at, COALESCE(au.username, ''),
    r.outcome, r.measures, r.answer, r.answer_sha256, r.answer_name, r.answer_type, r.answer_size, r.answered_at, COALESCE(nu.username, ''),
    r.files, r.published`

const referralFrom = ` FROM referrals r JOIN agencies g ON g.id = r.agency LEFT JOIN users cu ON cu.id = r.created_by
    LEFT JOIN users au ON au.id = r.acknowledged_by LEFT JOIN users nu ON nu.id = r.answered_by `

// ReferralRow is a referral with what only the store knows: whether the
// agency may open the item's files and whether the answer was passed on
// to the submitter.
type ReferralRow struct {
	homthu.Referral
	Files     bool
	Published bool
}

func scanReferral(sc interface{ Scan(...any) error }, extra ...any) (*ReferralRow, error) {
	var r ReferralRow
	var created int64
	var ack, answered sql.NullInt64
	var f homthu.Attachment
	dest := append([]any{&r.ID, &r.Item, &r.Agency, &r.AgencyName, &r.AgencyUnit, &r.Number, &r.SentOn, &r.DueOn, &r.Working, &r.Days,
		&r.State, &r.Letter, &r.CreatedBy, &created, &ack, &r.AcknowledgedBy, &r.Outcome, &r.Measures, &r.Answer,
		&f.SHA256, &f.Name, &f.Type, &f.Size, &answered, &r.AnsweredBy, &r.Files, &r.Published}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	r.CreatedAt, r.AcknowledgedAt, r.AnsweredAt = time.UnixMilli(created), fromMS(ack), fromMS(answered)
	if f.SHA256 != "" {
		r.AnswerFile = &f
	}
	return &r, nil
}

// FindReferral returns a referral with its extension requests, or ENOTFOUND.
func (s *Store) FindReferral(ctx context.Context, id int64) (*ReferralRow, error) {
	r, err := scanReferral(s.queryRow(ctx, `SELECT `+referralCols+referralFrom+`WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy văn bản chuyển này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindReferral: %w", err)
	}
	if r.Extensions, err = s.extensions(ctx, r.ID); err != nil {
		return nil, err
	}
	return r, nil
}

// Referrals returns an item's referrals, oldest first, with their extensions.
func (s *Store) Referrals(ctx context.Context, item string) ([]*ReferralRow, error) {
	rows, err := s.query(ctx, `SELECT `+referralCols+referralFrom+`WHERE r.item = ? ORDER BY r.id LIMIT 100`, item)
	if err != nil {
		return nil, fmt.Errorf("store.Referrals: %w", err)
	}
	var out []*ReferralRow
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store.Referrals: %w", err)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.Referrals: %w", err)
	}
	for _, r := range out {
		if r.Extensions, err = s.extensions(ctx, r.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) extensions(ctx context.Context, referral int64) ([]homthu.Extension, error) {
	rows, err := s.query(ctx, `SELECT e.id, e.days, e.reason, e.state, e.requested_at, COALESCE(ru.username, ''), e.decided_at,
    COALESCE(du.username, ''), e.note FROM extensions e LEFT JOIN users ru ON ru.id = e.requested_by LEFT JOIN users du ON du.id = e.decided_by
WHERE e.referral = ? ORDER BY e.id LIMIT 100`, referral)
	if err != nil {
		return nil, fmt.Errorf("store.extensions: %w", err)
	}
	defer rows.Close()
	var out []homthu.Extension
	for rows.Next() {
		var e homthu.Extension
		var req int64
		var dec sql.NullInt64
		if err := rows.Scan(&e.ID, &e.Days, &e.Reason, &e.State, &req, &e.RequestedBy, &dec, &e.DecidedBy, &e.Note); err != nil {
			return nil, fmt.Errorf("store.extensions: %w", err)
		}
		e.RequestedAt, e.DecidedAt = time.UnixMilli(req), fromMS(dec)
		out = append(out, e)
	}
	return out, rows.Err()
}

// InsertExtension stores an agency's request for more time in tx.
func InsertExtension(ctx context.Context, tx *Tx, referral int64, e *homthu.Extension, by int64) error {
	err := tx.QueryRow(ctx, `INSERT INTO extensions (referral, days, reason, state, requested_at, requested_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		referral, e.Days, e.Reason, string(e.State), e.RequestedAt.UnixMilli(), nullInt(by)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store.InsertExtension: %w", err)
	}
	return nil
}

// DecideExtension records the Front's decision on a request in tx.
func DecideExtension(ctx context.Context, tx *Tx, e *homthu.Extension, by int64) error {
	_, err := tx.Exec(ctx, `UPDATE extensions SET state = ?, decided_at = ?, decided_by = ?, note = ? WHERE id = ? AND state = 'requested'`,
		string(e.State), e.DecidedAt.UnixMilli(), nullInt(by), e.Note, e.ID)
	if err != nil {
		return fmt.Errorf("store.DecideExtension: %w", err)
	}
	return nil
}

// AgencyItem is one referral in an agency handler's inbox, with what of the
// item they may see.
type AgencyItem struct {
	Referral *ReferralRow
	Kind     homthu.Kind
	// Snippet is the item's content (the page cuts it).
	Snippet  string
	AreaName string
	Status   homthu.Status
}

// AgencyInboxFilter selects an agency inbox's referrals. State is "open"
// (sent or acknowledged; the default), "answered" or "all"; recalled
// referrals are never listed: the agency no longer sees the item. ByDue
// orders by deadline, soonest first, instead of newest first.
type AgencyInboxFilter struct {
	Agency  int64
	State   string
	Overdue bool
	ByDue   bool
	Today   string
	Limit   int
	Cursor  string
}

// AgencyInbox lists the referrals to an agency, newest first (or soonest
// deadline first), by keyset on the referral id (or the deadline and id:
// the cursor is then "YYYY-MM-DD.ID").
func (s *Store) AgencyInbox(ctx context.Context, f AgencyInboxFilter) ([]*AgencyItem, string, error) {
	where := []string{"r.agency = ?", "r.state <> 'recalled'"}
	args := []any{f.Agency}
	switch f.State {
	case "", "open":
		where = append(where, "r.state IN ('sent', 'acknowledged')")
	case "answered":
		where = append(where, "r.state = 'answered'")
	case "all":
	default:
		return nil, "", homthu.Errorf(homthu.EINVALID, "Bộ lọc %q không hợp lệ: open, answered hoặc all.", f.State)
	}
	if f.Overdue {
		where, args = append(where, "r.state IN ('sent', 'acknowledged') AND r.due_on < ?"), append(args, f.Today)
	}
	badCursor := homthu.Errorf(homthu.EINVALID, "Con trỏ phân trang (cursor) không hợp lệ.")
	order := "r.id DESC"
	if f.ByDue {
		order = "r.due_on, r.id"
	}
	if f.Cursor != "" {
		c := f.Cursor
		due := ""
		if f.ByDue {
			var ok bool
			if due, c, ok = strings.Cut(c, "."); !ok || len(due) != len("2006-01-02") {
				return nil, "", badCursor
			}
		}
		id, err := strconv.ParseInt(c, 10, 64)
		if err != nil || id <= 0 {
			return nil, "", badCursor
		}
		if f.ByDue {
			where, args = append(where, "(r.due_on > ? OR (r.due_on = ? AND r.id > ?))"), append(args, due, due, id)
		} else {
			where, args = append(where, "r.id < ?"), append(args, id)
		}
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 50
	}
	rows, err := s.query(ctx, `SELECT `+referralCols+`, i.kind, i.content, a.full_name, i.status`+referralFrom+
		`JOIN items i ON i.id = r.item JOIN units a ON a.code = i.area WHERE `+strings.Join(where, " AND ")+` ORDER BY `+order+` LIMIT ?`,
		append(args, f.Limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("store.AgencyInbox: %w", err)
	}
	defer rows.Close()
	var out []*AgencyItem
	for rows.Next() {
		var ai AgencyItem
		r, err := scanReferral(rows, &ai.Kind, &ai.Snippet, &ai.AreaName, &ai.Status)
		if err != nil {
			return nil, "", fmt.Errorf("store.AgencyInbox: %w", err)
		}
		ai.Referral = r
		out = append(out, &ai)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("store.AgencyInbox: %w", err)
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		last := out[len(out)-1].Referral
		next = strconv.FormatInt(last.ID, 10)
		if f.ByDue {
			next = last.DueOn + "." + next
		}
	}
	return out, next, nil
}

// ActiveReferralTx returns, in tx, the item's referral that waits for an
// answer (sent or acknowledged), or nil.
func ActiveReferralTx(ctx context.Context, tx *Tx, item string) (*homthu.Referral, error) {
	r, err := scanReferral(tx.QueryRow(ctx, `SELECT `+referralCols+referralFrom+
		`WHERE r.item = ? AND r.state IN ('sent', 'acknowledged') ORDER BY r.id DESC LIMIT 1`, item))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store.ActiveReferralTx: %w", err)
	}
	return &r.Referral, nil
}

// PendingExtensionTx returns, in tx, the request for more time on a
// referral that waits for the Front's decision, or nil.
func PendingExtensionTx(ctx context.Context, tx *Tx, referral int64) (*homthu.Extension, error) {
	var e homthu.Extension
	var req int64
	err := tx.QueryRow(ctx, `SELECT id, days, reason, state, requested_at FROM extensions WHERE referral = ? AND state = 'requested' ORDER BY id DESC LIMIT 1`,
		referral).Scan(&e.ID, &e.Days, &e.Reason, &e.State, &req)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store.PendingExtensionTx: %w", err)
	}
	e.RequestedAt = time.UnixMilli(req)
	return &e, nil
}
