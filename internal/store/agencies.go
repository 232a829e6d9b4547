package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

const agencyCols = `g.id, g.unit, u.full_name, g.kind, g.name, g.head_name, g.head_position, g.disabled,
    (SELECT COUNT(*) FROM users h WHERE h.agency = g.id AND h.disabled = FALSE)`

func scanAgency(sc interface{ Scan(...any) error }) (*homthu.Agency, error) {
	var a homthu.Agency
	if err := sc.Scan(&a.ID, &a.Unit, &a.UnitName, &a.Kind, &a.Name, &a.HeadName, &a.HeadPosition, &a.Disabled, &a.Handlers); err != nil {
		return nil, err
	}
	return &a, nil
}

// CreateAgency adds an agency at a current commune or province. Its name
// is unique at the unit.
func (s *Store) CreateAgency(ctx context.Context, a *homthu.Agency) error {
	a.Normalize(vntext.NFC)
	if err := a.Validate(); err != nil {
		return err
	}
	err := s.Transact(ctx, func(tx *Tx) error {
		var kind string
		err := tx.QueryRow(ctx, `SELECT kind FROM units WHERE code = ? AND valid_to IS NULL`, a.Unit).Scan(&kind)
		if errors.Is(err, sql.ErrNoRows) {
			return homthu.Errorf(homthu.EINVALID, "Không có đơn vị có mã %q.", a.Unit)
		} else if err != nil {
			return err
		}
		if homthu.UnitKind(kind) != homthu.KindCommune && homthu.UnitKind(kind) != homthu.KindProvince {
			return homthu.Errorf(homthu.EINVALID, "Cơ quan có thẩm quyền đặt ở cấp xã, phường hoặc cấp tỉnh (mã %q là cấp %s).", a.Unit, homthu.UnitKind(kind).Label())
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM agencies WHERE unit = ? AND name = ?`, a.Unit, a.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return homthu.Errorf(homthu.ECONFLICT, "Đơn vị này đã có cơ quan tên “%s”.", a.Name)
		}
		return tx.QueryRow(ctx, `INSERT INTO agencies (unit, kind, name, head_name, head_position, created) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			a.Unit, string(a.Kind), a.Name, a.HeadName, a.HeadPosition, s.now().UnixMilli()).Scan(&a.ID)
	})
	if homthu.ErrorCode(err) == homthu.EINTERNAL {
		return fmt.Errorf("store.CreateAgency: %w", err)
	}
	return err
}

// UpdateAgency changes an agency's name, head and whether it receives
// referrals; its unit and kind stay.
func (s *Store) UpdateAgency(ctx context.Context, a *homthu.Agency) error {
	a.Normalize(vntext.NFC)
	if err := a.Validate(); err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE agencies SET name = ?, head_name = ?, head_position = ?, disabled = ? WHERE id = ?`,
		a.Name, a.HeadName, a.HeadPosition, a.Disabled, a.ID)
	if err != nil {
		if strings.Contains(strings.ToLower(err.Error()), "unique") {
			return homthu.Errorf(homthu.ECONFLICT, "Đơn vị này đã có cơ quan tên “%s”.", a.Name)
		}
		return fmt.Errorf("store.UpdateAgency: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return homthu.Errorf(homthu.ENOTFOUND, "Không có cơ quan này.")
	}
	return nil
}

// FindAgency returns an agency by id, or ENOTFOUND.
func (s *Store) FindAgency(ctx context.Context, id int64) (*homthu.Agency, error) {
	a, err := scanAgency(s.queryRow(ctx, `SELECT `+agencyCols+` FROM agencies g JOIN units u ON u.code = g.unit WHERE g.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có cơ quan này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindAgency: %w", err)
	}
	return a, nil
}

// AgencyFilter selects agencies.
type AgencyFilter struct {
	// Under lists the agencies at this unit and every unit below it.
	Under string
	// At lists the agencies at exactly these units (e.g. a commune and its
	// province, for a referral); ignored when empty.
	At   []string
	Kind homthu.AgencyKind
	// Active leaves out agencies that no longer receive referrals.
	Active bool
	Limit  int
}

// ListAgencies lists agencies by unit (from the top) and name.
func (s *Store) ListAgencies(ctx context.Context, f AgencyFilter) ([]*homthu.Agency, error) {
	var where []string
	var args []any
	if f.Under != "" {
		lo, hi, err := s.scopeRange(ctx, f.Under)
		if err != nil {
			return nil, err
		}
		where, args = append(where, "u.path >= ? AND u.path < ?"), append(args, lo, hi)
	}
	if len(f.At) > 0 {
		where = append(where, "g.unit IN (?"+strings.Repeat(", ?", len(f.At)-1)+")")
		for _, u := range f.At {
			args = append(args, u)
		}
	}
	if f.Kind != "" {
		where, args = append(where, "g.kind = ?"), append(args, string(f.Kind))
	}
	if f.Active {
		where = append(where, "g.disabled = FALSE")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	q := `SELECT ` + agencyCols + ` FROM agencies g JOIN units u ON u.code = g.unit`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	rows, err := s.query(ctx, q+` ORDER BY u.path, g.kind, g.name LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store.ListAgencies: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Agency
	for rows.Next() {
		a, err := scanAgency(rows)
		if err != nil {
			return nil, fmt.Errorf("store.ListAgencies: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AgencyPeople returns the people an item referred to agency could reach:
// its head and its active handler accounts.
func (s *Store) AgencyPeople(ctx context.Context, agency int64) ([]homthu.Person, error) {
	a, err := s.FindAgency(ctx, agency)
	if err != nil {
		return nil, err
	}
	var out []homthu.Person
	if a.HeadName != "" {
		out = append(out, homthu.Person{Name: a.HeadName, Position: a.HeadPosition, Unit: a.Unit, UnitName: a.UnitName,
			Workplace: a.Name, Agency: a.ID, Head: true})
	}
	rows, err := s.query(ctx, `SELECT id, full_name, position FROM users WHERE agency = ? AND disabled = FALSE AND full_name <> '' ORDER BY id LIMIT 1000`, agency)
	if err != nil {
		return nil, fmt.Errorf("store.AgencyPeople: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p := homthu.Person{Unit: a.Unit, UnitName: a.UnitName, Workplace: a.Name, Agency: a.ID}
		if err := rows.Scan(&p.User, &p.Name, &p.Position); err != nil {
			return nil, fmt.Errorf("store.AgencyPeople: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// StaffPeople returns the active Front and leader accounts at a unit: the
// people who read the inbox of an item addressed to it.
func (s *Store) StaffPeople(ctx context.Context, unit string) ([]homthu.Person, error) {
	rows, err := s.query(ctx, `SELECT us.id, us.full_name, us.position, n.full_name FROM users us JOIN units n ON n.code = us.unit
WHERE us.unit = ? AND us.role IN ('front', 'leader') AND us.disabled = FALSE AND us.full_name <> '' ORDER BY us.id LIMIT 1000`, unit)
	if err != nil {
		return nil, fmt.Errorf("store.StaffPeople: %w", err)
	}
	defer rows.Close()
	var out []homthu.Person
	for rows.Next() {
		p := homthu.Person{Unit: unit, Workplace: "Ủy ban Mặt trận Tổ quốc"}
		if err := rows.Scan(&p.User, &p.Name, &p.Position, &p.UnitName); err != nil {
			return nil, fmt.Errorf("store.StaffPeople: %w", err)
		}
		p.Workplace += " " + p.UnitName
		out = append(out, p)
	}
	return out, rows.Err()
}

// AgencyUsers lists the handler accounts of an agency, enabled or not (at
// most 1000).
func (s *Store) AgencyUsers(ctx context.Context, agency int64) ([]*homthu.User, error) {
	rows, err := s.query(ctx, `SELECT id, username, full_name, position, disabled FROM users WHERE agency = ? ORDER BY username LIMIT 1000`, agency)
	if err != nil {
		return nil, fmt.Errorf("store.AgencyUsers: %w", err)
	}
	defer rows.Close()
	var out []*homthu.User
	for rows.Next() {
		u := &homthu.User{Role: homthu.RoleAgency, Agency: agency}
		if err := rows.Scan(&u.ID, &u.Username, &u.FullName, &u.Position, &u.Disabled); err != nil {
			return nil, fmt.Errorf("store.AgencyUsers: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
