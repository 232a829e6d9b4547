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
	"homthu/internal/vntext"
)

const unitCols = `code, COALESCE(parent, ''), kind, name, full_name, path, COALESCE(valid_to, ''), COALESCE(successor, ''), has_staff`

func scanUnit(sc interface{ Scan(...any) error }) (*homthu.Unit, error) {
	var u homthu.Unit
	var path, validTo string
	if err := sc.Scan(&u.Code, &u.Parent, &u.Kind, &u.Name, &u.FullName, &path, &validTo, &u.Successor, &u.HasStaff); err != nil {
		return nil, err
	}
	u.Path = splitPath(path)
	if validTo != "" {
		u.ValidTo, _ = time.Parse(time.DateOnly, validTo)
	}
	return &u, nil
}

// splitPath turns "/37/14329/" into ["37", "14329"].
func splitPath(p string) []string { return strings.Split(strings.Trim(p, "/"), "/") }

func joinPath(codes []string) string { return "/" + strings.Join(codes, "/") + "/" }

// prefixEnd is the least string greater than every string with the prefix p
// (p ends in "/", and "0" follows "/" in byte order): scope queries are the
// range [p, prefixEnd(p)), which both engines answer from an index.
func prefixEnd(p string) string { return p[:len(p)-1] + "0" }

const findUnitSQL = `SELECT ` + unitCols + ` FROM units WHERE code = ?`

// FindUnit returns the unit with the code, with its path names and former
// names filled in, or ENOTFOUND.
func (s *Store) FindUnit(ctx context.Context, code string) (*homthu.Unit, error) {
	u, err := scanUnit(s.queryRow(ctx, findUnitSQL, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy đơn vị có mã %q.", code)
	}
	if err != nil {
		return nil, fmt.Errorf("store.FindUnit: %w", err)
	}
	if err := s.fillUnits(ctx, []*homthu.Unit{u}); err != nil {
		return nil, err
	}
	return u, nil
}

const searchUnitsSQL = `
SELECT ` + unitCols + ` FROM (
    SELECT c, MIN(rank) AS best FROM (
        SELECT code AS c, CASE WHEN fold = ? THEN 0 WHEN fold LIKE ? THEN 1 WHEN fold LIKE ? THEN 2 ELSE 4 END AS rank
        FROM units WHERE fold LIKE ? AND valid_to IS NULL
        UNION ALL
        SELECT unit, CASE WHEN fold = ? THEN 3 ELSE 5 END FROM unit_formers WHERE fold LIKE ?
    ) r GROUP BY c
) m JOIN units ON units.code = m.c
WHERE (? = '' OR units.kind = ?) AND units.path >= ? AND units.path < ?
ORDER BY m.best, CASE units.kind WHEN 'province' THEN 0 WHEN 'district' THEN 1 WHEN 'commune' THEN 2 ELSE 3 END, LENGTH(units.name), units.name
LIMIT ?`

// SearchUnits finds units by a diacritic-insensitive match on their names and
// former names, best match first: an exact name, a name starting with the
// query, a word of the name starting with it, an exact former name, then any
// other match.
func (s *Store) SearchUnits(ctx context.Context, f homthu.UnitFilter) ([]*homthu.Unit, error) {
	q := vntext.Fold(f.Query)
	if q == "" {
		return nil, homthu.Errorf(homthu.EINVALID, "Xin nhập tên đơn vị cần tìm.")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, homthu.Errorf(homthu.EINVALID, "Loại đơn vị %q không hợp lệ: chỉ nhận province, district, commune hoặc area.", f.Kind)
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	lo, hi := "/", "0"
	if f.Under != "" {
		under, err := s.FindUnit(ctx, f.Under)
		if err != nil {
			return nil, err
		}
		lo = joinPath(under.Path)
		hi = prefixEnd(lo)
	}
	like := "%" + escapeLike(q) + "%"
	rows, err := s.query(ctx, searchUnitsSQL,
		q, escapeLike(q)+"%", "% "+escapeLike(q)+"%", like,
		q, like,
		string(f.Kind), string(f.Kind), lo, hi, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("store.SearchUnits: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("store.SearchUnits: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.SearchUnits: %w", err)
	}
	return out, s.fillUnits(ctx, out)
}

// escapeLike makes a folded query safe inside LIKE: folded text has only
// letters, digits and spaces, so there is nothing to escape, but a future
// change of Fold must not open a wildcard injection.
func escapeLike(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

// fillUnits sets PathNames and Formerly of each unit.
func (s *Store) fillUnits(ctx context.Context, us []*homthu.Unit) error {
	if len(us) == 0 {
		return nil
	}
	names := map[string]string{}
	var codes []any
	seen := map[string]bool{}
	for _, u := range us {
		for _, c := range u.Path {
			if !seen[c] {
				seen[c] = true
				codes = append(codes, c)
			}
		}
	}
	rows, err := s.query(ctx, `SELECT code, full_name FROM units WHERE code IN (`+placeholders(len(codes))+`)`, codes...)
	if err != nil {
		return fmt.Errorf("store.fillUnits: %w", err)
	}
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			rows.Close()
			return fmt.Errorf("store.fillUnits: %w", err)
		}
		names[c] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store.fillUnits: %w", err)
	}
	byCode := map[string]*homthu.Unit{}
	var own []any
	for _, u := range us {
		u.PathNames = u.PathNames[:0]
		for _, c := range u.Path {
			u.PathNames = append(u.PathNames, names[c])
		}
		u.Formerly = nil
		byCode[u.Code] = u
		own = append(own, u.Code)
	}
	rows, err = s.query(ctx, `SELECT unit, full_name, parent FROM unit_formers WHERE unit IN (`+placeholders(len(own))+`) ORDER BY unit, full_name`, own...)
	if err != nil {
		return fmt.Errorf("store.fillUnits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, n, p string
		if err := rows.Scan(&c, &n, &p); err != nil {
			return fmt.Errorf("store.fillUnits: %w", err)
		}
		u := byCode[c]
		if u == nil || vntext.Fold(n) == vntext.Fold(u.FullName) {
			continue // the unit's own earlier self says nothing new
		}
		if p != "" {
			n += ", " + p
		}
		u.Formerly = append(u.Formerly, n)
	}
	return rows.Err()
}

func placeholders(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

const (
	upsertUnitSQL = `
INSERT INTO units (code, parent, kind, name, full_name, fold, path, valid_to, successor)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, kind = excluded.kind, name = excluded.name,
    full_name = excluded.full_name, fold = excluded.fold, path = excluded.path,
    valid_to = excluded.valid_to, successor = excluded.successor`
	upsertFormerSQL = `
INSERT INTO unit_formers (unit, old_code, full_name, parent, until, fold) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (unit, old_code, full_name) DO UPDATE SET parent = excluded.parent, until = excluded.until, fold = excluded.fold`
)

// ImportUnits inserts or updates units (parents before children, as units.Parse
// orders them) and their former names, in one transaction: a file with an
// error changes nothing. It returns how many rows were written.
func (s *Store) ImportUnits(ctx context.Context, rows []homthu.UnitImport) (int, error) {
	err := s.Transact(ctx, func(tx *Tx) error {
		paths := map[string]string{}
		for _, r := range rows {
			u := r.Unit
			path := "/" + u.Code + "/"
			if u.Parent != "" {
				pp, ok := paths[u.Parent]
				if !ok {
					if err := tx.QueryRow(ctx, `SELECT path FROM units WHERE code = ?`, u.Parent).Scan(&pp); errors.Is(err, sql.ErrNoRows) {
						return homthu.Errorf(homthu.EINVALID, "Đơn vị %s (%s): đơn vị cha %q không có trong tệp hoặc trong cơ sở dữ liệu; không có gì được nhập.", u.Code, u.FullName, u.Parent)
					} else if err != nil {
						return err
					}
				}
				path = pp + u.Code + "/"
			}
			paths[u.Code] = path
			var validTo any
			if !u.ValidTo.IsZero() {
				validTo = u.ValidTo.Format(time.DateOnly)
			}
			if _, err := tx.Exec(ctx, upsertUnitSQL, u.Code, nullString(u.Parent), string(u.Kind), u.Name, u.FullName,
				vntext.Fold(u.FullName), path, validTo, nullString(u.Successor)); err != nil {
				return fmt.Errorf("unit %s: %w", u.Code, err)
			}
			if u.Kind == homthu.KindArea {
				if n, ok := areaNumber(u.Code, u.Parent); ok {
					if _, err := tx.Exec(ctx, `UPDATE units SET next_child = CASE WHEN next_child <= ? THEN ? ELSE next_child END WHERE code = ?`, n, n+1, u.Parent); err != nil {
						return err
					}
				}
			}
			for _, f := range r.Formers {
				until := ""
				if !f.Until.IsZero() {
					until = f.Until.Format(time.DateOnly)
				}
				if _, err := tx.Exec(ctx, upsertFormerSQL, u.Code, f.Code, f.FullName, f.Parent, until, vntext.Fold(f.FullName)); err != nil {
					return fmt.Errorf("former name of %s: %w", u.Code, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		if homthu.ErrorCode(err) != homthu.EINTERNAL {
			return 0, err
		}
		return 0, fmt.Errorf("store.ImportUnits: %w", err)
	}
	return len(rows), nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AddArea adds a residential area under a commune and returns it. Its code is
// the commune's code, a dash and the next free three-digit number
// ("14329-001").
func (s *Store) AddArea(ctx context.Context, parent, name string) (*homthu.Unit, error) {
	name = strings.TrimSpace(vntext.NFC(name))
	if err := homthu.CheckText("Tên khu dân cư", name, homthu.MaxShortRunes, true); err != nil {
		return nil, err
	}
	var code string
	err := s.Transact(ctx, func(tx *Tx) error {
		var kind, path string
		var next int
		err := tx.QueryRow(ctx, `SELECT kind, path, next_child FROM units WHERE code = ?`, parent).Scan(&kind, &path, &next)
		if errors.Is(err, sql.ErrNoRows) {
			return homthu.Errorf(homthu.ENOTFOUND, "Không có xã, phường có mã %q.", parent)
		} else if err != nil {
			return err
		}
		if kind != string(homthu.KindCommune) {
			return homthu.Errorf(homthu.EINVALID, "Khu dân cư phải thuộc một xã, phường hoặc đặc khu; mã %q là cấp %s.", parent, homthu.UnitKind(kind).Label())
		}
		var dup int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM units WHERE parent = ? AND fold = ?`, parent, vntext.Fold(name)).Scan(&dup); err != nil {
			return err
		}
		if dup > 0 {
			return homthu.Errorf(homthu.ECONFLICT, "Khu dân cư %q đã có trong đơn vị này.", name)
		}
		code = fmt.Sprintf("%s-%03d", parent, next)
		if _, err := tx.Exec(ctx, `UPDATE units SET next_child = next_child + 1 WHERE code = ?`, parent); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, upsertUnitSQL, code, parent, string(homthu.KindArea), name, name, vntext.Fold(name), path+code+"/", nil, nil)
		return err
	})
	if err != nil {
		if homthu.ErrorCode(err) != homthu.EINTERNAL {
			return nil, err
		}
		return nil, fmt.Errorf("store.AddArea: %w", err)
	}
	return s.FindUnit(ctx, code)
}

const unitsWithoutStaffSQL = `
SELECT ` + unitCols + ` FROM units
WHERE kind IN ('province', 'commune') AND valid_to IS NULL AND has_staff = FALSE AND path >= ? AND path < ?
ORDER BY path LIMIT ?`

// UnitsWithoutStaff lists provinces and communes under (and including) the
// unit that have no active Front staff account, so that an administrator
// sees where items fall through to the level above.
func (s *Store) UnitsWithoutStaff(ctx context.Context, under string, limit int) ([]*homthu.Unit, error) {
	lo, hi := "/", "0"
	if under != "" {
		u, err := s.FindUnit(ctx, under)
		if err != nil {
			return nil, err
		}
		lo = joinPath(u.Path)
		hi = prefixEnd(lo)
	}
	if limit <= 0 || limit > 5000 {
		limit = 5000
	}
	rows, err := s.query(ctx, unitsWithoutStaffSQL, lo, hi, limit)
	if err != nil {
		return nil, fmt.Errorf("store.UnitsWithoutStaff: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("store.UnitsWithoutStaff: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// ChildUnits lists the current units directly under parent ("" for the
// provinces), by name.
func (s *Store) ChildUnits(ctx context.Context, parent string, limit int) ([]*homthu.Unit, error) {
	if limit <= 0 || limit > 5000 {
		limit = 5000
	}
	q := `SELECT ` + unitCols + ` FROM units WHERE parent = ? AND valid_to IS NULL ORDER BY name LIMIT ?`
	args := []any{parent, limit}
	if parent == "" {
		q = `SELECT ` + unitCols + ` FROM units WHERE parent IS NULL AND valid_to IS NULL ORDER BY name LIMIT ?`
		args = []any{limit}
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store.ChildUnits: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("store.ChildUnits: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUnits counts current units by kind.
func (s *Store) CountUnits(ctx context.Context) (map[homthu.UnitKind]int, error) {
	rows, err := s.query(ctx, `SELECT kind, COUNT(*) FROM units WHERE valid_to IS NULL GROUP BY kind`)
	if err != nil {
		return nil, fmt.Errorf("store.CountUnits: %w", err)
	}
	defer rows.Close()
	out := map[homthu.UnitKind]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("store.CountUnits: %w", err)
		}
		out[homthu.UnitKind(k)] = n
	}
	return out, rows.Err()
}

// UnitKindPath returns a current unit's kind and path of codes, cheaply (one
// indexed row), for routing a submission.
func (s *Store) UnitKindPath(ctx context.Context, code string) (homthu.UnitKind, []string, error) {
	var kind, path string
	err := s.queryRow(ctx, `SELECT kind, path FROM units WHERE code = ? AND valid_to IS NULL`, code).Scan(&kind, &path)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy đơn vị có mã %q.", code)
	} else if err != nil {
		return "", nil, fmt.Errorf("store.UnitKindPath: %w", err)
	}
	return homthu.UnitKind(kind), splitPath(path), nil
}

// areaNumber returns n of an area code "<parent>-<n>", so that AddArea never
// hands out a number an import already used.
func areaNumber(code, parent string) (int, bool) {
	rest, ok := strings.CutPrefix(code, parent+"-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}
