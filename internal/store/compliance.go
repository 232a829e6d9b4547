package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"homthu/internal/homthu"
)

// ComplianceUnit is one residential area, or a commune with a box of its
// own, as the compliance board needs it.
type ComplianceUnit struct {
	homthu.ComplianceArea
	Kind homthu.UnitKind
	// Group is the code of the scope's child the unit lies under (the unit
	// itself when it is a child; the scope's code for the scope's own box).
	Group string
	// Parent is the code of the unit's parent (an area's commune).
	Parent string
}

// complianceSQL reads every area under a scope (and every unit there with a
// box) with its boxes and their marks for the board's months, in one pass
// over the units' path index: one row per box, or one row for an area
// without a box. It is the board's only query.
const complianceSQL = `
SELECT u.code, u.path, u.kind, COALESCE(u.valid_from, ''), COALESCE(u.valid_to, ''),
    m.installed_on, m.removed_on, m.day, substr(m.marks, ?, ?)
FROM units u LEFT JOIN mailboxes m ON m.unit = u.code
WHERE u.path >= ? AND u.path < ? AND (u.kind = 'area' OR m.id IS NOT NULL)
ORDER BY u.path, m.id`

// ComplianceUnits returns the units under scope ("" for the whole tree,
// grouped by province) that the board counts, in the tree's order, with the
// marks of n months from first.
func (s *Store) ComplianceUnits(ctx context.Context, scope string, first homthu.Month, n int) ([]ComplianceUnit, error) {
	lo, hi := "/", "0"
	if scope != "" {
		var err error
		if lo, hi, err = s.scopeRange(ctx, scope); err != nil {
			return nil, err
		}
	}
	if first.Index() < 0 || n < 1 || n > 120 {
		return nil, homthu.Errorf(homthu.EINVALID, "Khoảng thời gian của bảng theo dõi không hợp lệ (từ tháng 01/2000, tối đa 120 tháng).")
	}
	rows, err := s.query(ctx, complianceSQL, first.Index()+1, n, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store.ComplianceUnits: %w", err)
	}
	defer rows.Close()
	var out []ComplianceUnit
	var code, path, kind, from, to string
	var installed, removed, marks sql.NullString
	var day sql.NullInt64
	for rows.Next() {
		if err := rows.Scan(&code, &path, &kind, &from, &to, &installed, &removed, &day, &marks); err != nil {
			return nil, fmt.Errorf("store.ComplianceUnits: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Code != code {
			group := scope
			if rest := path[len(lo):]; rest != "" {
				group, _, _ = strings.Cut(rest, "/")
			}
			parent := ""
			if p := strings.TrimSuffix(path, code+"/"); len(p) > 1 {
				parent = p[strings.LastIndexByte(p[:len(p)-1], '/')+1 : len(p)-1]
			}
			out = append(out, ComplianceUnit{
				ComplianceArea: homthu.ComplianceArea{Code: code, From: homthu.DayNum(from), To: homthu.DayNum(to)},
				Kind:           homthu.UnitKind(kind), Group: group, Parent: parent,
			})
		}
		if installed.Valid {
			u := &out[len(out)-1]
			u.Boxes = append(u.Boxes, homthu.ComplianceBox{From: homthu.DayNum(installed.String), To: homthu.DayNum(removed.String),
				Day: int(day.Int64), Marks: marks.String})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.ComplianceUnits: %w", err)
	}
	return out, nil
}

// UnitNames returns the full names of the units with the codes (at most
// 1000), for labelling a page of the board.
func (s *Store) UnitNames(ctx context.Context, codes []string) (map[string]string, error) {
	out := map[string]string{}
	if len(codes) == 0 {
		return out, nil
	}
	if len(codes) > 1000 {
		codes = codes[:1000]
	}
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	rows, err := s.query(ctx, `SELECT code, full_name FROM units WHERE code IN (?`+strings.Repeat(", ?", len(codes)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store.UnitNames: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			return nil, fmt.Errorf("store.UnitNames: %w", err)
		}
		out[c] = n
	}
	return out, rows.Err()
}

// SetUnitValidFrom records the day a unit came into existence (a
// residential area created or split off by a decision), "" for "it always
// existed". An area created after the 1st of a month is not expected to
// open a mailbox that month (homthu/compliance.go).
func (s *Store) SetUnitValidFrom(ctx context.Context, code, day string) error {
	if day != "" && !homthu.ValidDay(day) {
		return homthu.Errorf(homthu.EINVALID, "Ngày thành lập %q không hợp lệ: viết theo dạng NĂM-THÁNG-NGÀY.", day)
	}
	res, err := s.exec(ctx, `UPDATE units SET valid_from = ? WHERE code = ?`, nullString(day), code)
	if err != nil {
		return fmt.Errorf("store.SetUnitValidFrom: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy đơn vị có mã %q.", code)
	}
	return nil
}
