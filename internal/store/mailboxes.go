package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"homthu/internal/homthu"
)

// Mailboxes: the feedback boxes of residential areas (and communes). Their
// scope is the path of their unit, read through a join on units, so that a
// unit moved in the tree takes its boxes along.

const mailboxCols = `m.id, m.unit, u.full_name, COALESCE(c.full_name, ''), m.place, m.installed_on, m.status,
    COALESCE(m.removed_on, ''), m.day, m.note`

const mailboxFrom = ` FROM mailboxes m JOIN units u ON u.code = m.unit
    LEFT JOIN units c ON c.code = CASE WHEN u.kind = 'area' THEN u.parent ELSE u.code END `

func scanMailbox(sc interface{ Scan(...any) error }) (*homthu.Mailbox, error) {
	var m homthu.Mailbox
	if err := sc.Scan(&m.ID, &m.Unit, &m.UnitName, &m.CommuneName, &m.Place, &m.InstalledOn, &m.Status, &m.RemovedOn, &m.Day, &m.Note); err != nil {
		return nil, err
	}
	return &m, nil
}

// CreateMailbox registers a validated mailbox. Its unit must be a live
// residential area or commune.
func (s *Store) CreateMailbox(ctx context.Context, in *homthu.MailboxInput) (*homthu.Mailbox, error) {
	var id int64
	err := s.Transact(ctx, func(tx *Tx) error {
		if err := checkMailboxUnit(ctx, tx, in.Unit); err != nil {
			return err
		}
		now := s.now().UnixMilli()
		return tx.QueryRow(ctx, `INSERT INTO mailboxes (unit, place, installed_on, status, removed_on, day, note, created, updated)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Unit, in.Place, in.InstalledOn, string(in.Status), nullString(in.RemovedOn),
			in.Day, in.Note, now, now).Scan(&id)
	})
	if err != nil {
		return nil, wrapErr("store.CreateMailbox", err)
	}
	return s.FindMailbox(ctx, "", id)
}

func checkMailboxUnit(ctx context.Context, tx *Tx, code string) error {
	var kind string
	var validTo sql.NullString
	err := tx.QueryRow(ctx, `SELECT kind, valid_to FROM units WHERE code = ?`, code).Scan(&kind, &validTo)
	if errors.Is(err, sql.ErrNoRows) {
		return homthu.Errorf(homthu.EINVALID, "Không có khu dân cư hoặc xã, phường có mã %q.", code)
	} else if err != nil {
		return err
	}
	if validTo.Valid {
		return homthu.Errorf(homthu.EINVALID, "Đơn vị có mã %q đã sáp nhập hoặc giải thể; không đặt hòm thư mới ở đó.", code)
	}
	if k := homthu.UnitKind(kind); k != homthu.KindArea && k != homthu.KindCommune {
		return homthu.Errorf(homthu.EINVALID, "Hòm thư đặt ở khu dân cư (hoặc trụ sở xã, phường); mã %q là cấp %s.", code, k.Label())
	}
	return nil
}

// UpdateMailbox changes a mailbox's place, state, removal date, schedule
// and note (its unit never changes: a box moved to another area is removed
// and a new one registered). A box with sealed openings keeps its install
// date on or before its first opening, and is not removed before its last.
func (s *Store) UpdateMailbox(ctx context.Context, id int64, in *homthu.MailboxInput) error {
	err := s.Transact(ctx, func(tx *Tx) error {
		var first, last sql.NullInt64
		if err := tx.QueryRow(ctx, `SELECT MIN(opened_at), MAX(opened_at) FROM openings WHERE mailbox = ?`, id).Scan(&first, &last); err != nil {
			return err
		}
		if first.Valid && homthu.Today(time.UnixMilli(first.Int64)) < in.InstalledOn {
			return homthu.Errorf(homthu.EINVALID, "Hòm thư đã được mở ngày %s, nên ngày lắp đặt không thể sau ngày đó.",
				homthu.DayLabel(homthu.Today(time.UnixMilli(first.Int64))))
		}
		if last.Valid && in.RemovedOn != "" && homthu.Today(time.UnixMilli(last.Int64)) >= in.RemovedOn {
			return homthu.Errorf(homthu.EINVALID, "Hòm thư đã được mở ngày %s, nên ngày gỡ bỏ phải sau ngày đó.",
				homthu.DayLabel(homthu.Today(time.UnixMilli(last.Int64))))
		}
		res, err := tx.Exec(ctx, `UPDATE mailboxes SET place = ?, installed_on = ?, status = ?, removed_on = ?, day = ?, note = ?, updated = ?
WHERE id = ?`, in.Place, in.InstalledOn, string(in.Status), nullString(in.RemovedOn), in.Day, in.Note, s.now().UnixMilli(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy hòm thư này.")
		}
		return nil
	})
	return wrapErr("store.UpdateMailbox", err)
}

// FindMailbox returns the mailbox if its unit is scope or below it ("" for
// any scope); outside the scope it is ENOTFOUND, as one that does not exist.
func (s *Store) FindMailbox(ctx context.Context, scope string, id int64) (*homthu.Mailbox, error) {
	lo, hi := "/", "0"
	if scope != "" {
		var err error
		if lo, hi, err = s.scopeRange(ctx, scope); err != nil {
			return nil, err
		}
	}
	m, err := scanMailbox(s.queryRow(ctx, `SELECT `+mailboxCols+mailboxFrom+`WHERE m.id = ? AND u.path >= ? AND u.path < ?`, id, lo, hi))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy hòm thư này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindMailbox: %w", err)
	}
	return m, nil
}

// MailboxFilter selects mailboxes. Scope is mandatory.
type MailboxFilter struct {
	Scope  string
	Unit   string // optional: only this unit and below (inside Scope)
	Status homthu.MailboxStatus
	Limit  int
	Cursor string
}

// ListMailboxes returns a page of mailboxes in the filter's scope, in the
// order of the administrative tree, and the cursor of the next page.
func (s *Store) ListMailboxes(ctx context.Context, f MailboxFilter) ([]*homthu.Mailbox, string, error) {
	lo, hi, err := s.narrowScope(ctx, f.Scope, f.Unit)
	if err != nil {
		return nil, "", err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	where := []string{"u.path >= ? AND u.path < ?"}
	args := []any{lo, hi}
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, "", homthu.Errorf(homthu.EINVALID, "Tình trạng hòm thư %q không hợp lệ.", f.Status)
		}
		where, args = append(where, "m.status = ?"), append(args, string(f.Status))
	}
	if f.Cursor != "" {
		path, id, err := decodeIDCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "(u.path > ? OR (u.path = ? AND m.id > ?))"), append(args, path, path, id)
	}
	rows, err := s.query(ctx, `SELECT `+mailboxCols+`, u.path`+mailboxFrom+`WHERE `+strings.Join(where, " AND ")+
		` ORDER BY u.path, m.id LIMIT ?`, append(args, f.Limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("store.ListMailboxes: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Mailbox
	var paths []string
	for rows.Next() {
		var m homthu.Mailbox
		var path string
		if err := rows.Scan(&m.ID, &m.Unit, &m.UnitName, &m.CommuneName, &m.Place, &m.InstalledOn, &m.Status, &m.RemovedOn, &m.Day, &m.Note, &path); err != nil {
			return nil, "", fmt.Errorf("store.ListMailboxes: %w", err)
		}
		out, paths = append(out, &m), append(paths, path)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("store.ListMailboxes: %w", err)
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = encodeIDCursor(paths[f.Limit-1], out[f.Limit-1].ID)
	}
	return out, next, nil
}

// narrowScope returns the path range of scope, or of unit when it is set
// and inside scope (ENOTFOUND otherwise: no one learns of units outside
// their scope).
func (s *Store) narrowScope(ctx context.Context, scope, unit string) (string, string, error) {
	if scope == "" {
		return "", "", errors.New("store: no scope")
	}
	lo, hi, err := s.scopeRange(ctx, scope)
	if err != nil {
		return "", "", err
	}
	if unit == "" || unit == scope {
		return lo, hi, nil
	}
	ulo, uhi, err := s.scopeRange(ctx, unit)
	if err != nil {
		return "", "", err
	}
	if !strings.HasPrefix(ulo, lo) {
		return "", "", homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy đơn vị có mã %q trong phạm vi của bạn.", unit)
	}
	return ulo, uhi, nil
}

// encodeIDCursor is the cursor after a row ordered by (path, id).
func encodeIDCursor(path string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(path + "|" + strconv.FormatInt(id, 10)))
}

func decodeIDCursor(c string) (string, int64, error) {
	b, derr := base64.RawURLEncoding.DecodeString(c)
	path, idText, found := strings.Cut(string(b), "|")
	id, err := strconv.ParseInt(idText, 10, 64)
	if derr != nil || !found || err != nil || !strings.HasPrefix(path, "/") {
		return "", 0, homthu.Errorf(homthu.EINVALID, "Con trỏ phân trang (cursor) không hợp lệ.")
	}
	return path, id, nil
}

// wrapErr wraps an internal error with the method's name and passes a
// domain error through unchanged (its message is for the person).
func wrapErr(name string, err error) error {
	if err == nil || homthu.ErrorCode(err) != homthu.EINTERNAL {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}
