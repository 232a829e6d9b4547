package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"homthu/internal/homthu"
)

// The Front's records (issue 10): programmes, activities, pilot units. Their
// scope is the path of their unit, read through a join on units. Days are
// stored as YYYY-MM-DD text, which orders as the days do.

// RecordFilter selects records: in the scope (mandatory) and, optionally,
// the unit (inside the scope) and its subtree; dated within From..To
// (YYYY-MM-DD, inclusive; empty for open); at most Limit (50 by default,
// 200 at most), older than the record Before (by id; 0 for the newest).
type RecordFilter struct {
	Scope, Unit string
	From, To    string
	Limit       int
	Before      int64
}

func (f *RecordFilter) where(ctx context.Context, s *Store, table, dateCol string) (string, []any, error) {
	lo, hi, err := s.narrowScope(ctx, f.Scope, f.Unit)
	if err != nil {
		return "", nil, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	w, args := []string{"u.path >= ? AND u.path < ?"}, []any{lo, hi}
	if f.From != "" {
		w, args = append(w, dateCol+" >= ?"), append(args, f.From)
	}
	if f.To != "" {
		w, args = append(w, dateCol+" <= ?"), append(args, f.To)
	}
	if f.Before > 0 {
		// Newest first by day, then id: the page goes on after the record
		// Before, whose day the subquery reads.
		w = append(w, "("+dateCol+" < (SELECT "+dateCol+" FROM "+table+" r WHERE r.id = ?) OR ("+dateCol+
			" = (SELECT "+dateCol+" FROM "+table+" r WHERE r.id = ?) AND r.id < ?))")
		args = append(args, f.Before, f.Before, f.Before)
	}
	return " WHERE " + strings.Join(w, " AND "), args, nil
}

// CreateProgramme stores a validated programme; its unit must exist.
func (s *Store) CreateProgramme(ctx context.Context, p *homthu.Programme, author string) (int64, error) {
	var sha, name, typ, size any
	if f := p.File; f != nil {
		sha, name, typ, size = f.SHA256, f.Name, f.Type, f.Size
	}
	var id int64
	err := s.Transact(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO programmes (unit, number, signed_on, title, parties, scope, period_from, period_to,
    file_sha256, file_name, file_type, file_size, author, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.Unit, p.Number, p.SignedOn, p.Title, strings.Join(p.Parties, "\n"), p.Scope, p.From, p.To, sha, name, typ, size,
			author, s.now().UnixMilli()).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("store.CreateProgramme: %w", err)
	}
	return id, nil
}

const programmeCols = `r.id, r.unit, u.full_name, r.number, r.signed_on, r.title, r.parties, r.scope, r.period_from, r.period_to,
    COALESCE(r.file_sha256, ''), COALESCE(r.file_name, ''), COALESCE(r.file_type, ''), COALESCE(r.file_size, 0)`

func scanProgramme(sc interface{ Scan(...any) error }) (*homthu.Programme, error) {
	var p homthu.Programme
	var parties string
	var f homthu.Attachment
	if err := sc.Scan(&p.ID, &p.Unit, &p.UnitName, &p.Number, &p.SignedOn, &p.Title, &parties, &p.Scope, &p.From, &p.To,
		&f.SHA256, &f.Name, &f.Type, &f.Size); err != nil {
		return nil, err
	}
	p.Parties = strings.Split(parties, "\n")
	if f.SHA256 != "" {
		p.File = &f
	}
	return &p, nil
}

// FindProgramme returns the programme if its unit is in scope, else ENOTFOUND.
func (s *Store) FindProgramme(ctx context.Context, scope string, id int64) (*homthu.Programme, error) {
	lo, hi, err := s.scopeRange(ctx, scope)
	if err != nil {
		return nil, err
	}
	p, err := scanProgramme(s.queryRow(ctx, `SELECT `+programmeCols+` FROM programmes r JOIN units u ON u.code = r.unit
    WHERE r.id = ? AND u.path >= ? AND u.path < ?`, id, lo, hi))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy chương trình phối hợp này.")
		}
		return nil, fmt.Errorf("store.FindProgramme: %w", err)
	}
	return p, nil
}

// ListProgrammes returns a page of the programmes in force at some time in
// the filter's days (signed by To, not ended before From), as SignedRatio
// counts them, newest signed first, and the Before of the next page (0
// for none).
func (s *Store) ListProgrammes(ctx context.Context, f RecordFilter) ([]*homthu.Programme, int64, error) {
	from := f.From
	f.From = ""
	where, args, err := f.where(ctx, s, "programmes", "r.signed_on")
	if err != nil {
		return nil, 0, err
	}
	if from != "" {
		where, args = where+" AND (r.period_to = '' OR r.period_to >= ?)", append(args, from)
	}
	rows, err := s.query(ctx, `SELECT `+programmeCols+` FROM programmes r JOIN units u ON u.code = r.unit`+where+
		` ORDER BY r.signed_on DESC, r.id DESC LIMIT ?`, append(args, f.Limit+1)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store.ListProgrammes: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Programme
	for rows.Next() {
		p, err := scanProgramme(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store.ListProgrammes: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store.ListProgrammes: %w", err)
	}
	var next int64
	if len(out) > f.Limit {
		out, next = out[:f.Limit], out[f.Limit-1].ID
	}
	return out, next, nil
}

// CreateActivity stores a validated activity with its files.
func (s *Store) CreateActivity(ctx context.Context, a *homthu.Activity, author string) (int64, error) {
	byOrg := ""
	if len(a.ByOrg) > 0 {
		b, _ := json.Marshal(a.ByOrg)
		byOrg = string(b)
	}
	var id int64
	err := s.Transact(ctx, func(tx *Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO activities (unit, kind, held_on, topic, participants, by_org, outcome, author, created)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.Unit, string(a.Kind), a.HeldOn, a.Topic, a.Participants, byOrg, a.Outcome,
			author, s.now().UnixMilli()).Scan(&id); err != nil {
			return err
		}
		for i, f := range a.Files {
			if _, err := tx.Exec(ctx, `INSERT INTO activity_files (activity, seq, sha256, name, type, size) VALUES (?, ?, ?, ?, ?, ?)`,
				id, i, f.SHA256, f.Name, f.Type, f.Size); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store.CreateActivity: %w", err)
	}
	return id, nil
}

const activityCols = `r.id, r.unit, u.full_name, r.kind, r.held_on, r.topic, r.participants, r.by_org, r.outcome`

// ListActivities returns a page of the activities held in the filter's
// days (of one kind unless kind is ""), newest first, with their files,
// and the Before of the next page.
func (s *Store) ListActivities(ctx context.Context, f RecordFilter, kind homthu.ActivityKind) ([]*homthu.Activity, int64, error) {
	where, args, err := f.where(ctx, s, "activities", "r.held_on")
	if err != nil {
		return nil, 0, err
	}
	if kind != "" {
		if !kind.Valid() {
			return nil, 0, homthu.Errorf(homthu.EINVALID, "Loại hoạt động %q không có.", kind)
		}
		where, args = where+" AND r.kind = ?", append(args, string(kind))
	}
	rows, err := s.query(ctx, `SELECT `+activityCols+` FROM activities r JOIN units u ON u.code = r.unit`+where+
		` ORDER BY r.held_on DESC, r.id DESC LIMIT ?`, append(args, f.Limit+1)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store.ListActivities: %w", err)
	}
	var out []*homthu.Activity
	byID := map[int64]*homthu.Activity{}
	for rows.Next() {
		var a homthu.Activity
		var byOrg string
		if err := rows.Scan(&a.ID, &a.Unit, &a.UnitName, &a.Kind, &a.HeldOn, &a.Topic, &a.Participants, &byOrg, &a.Outcome); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("store.ListActivities: %w", err)
		}
		if byOrg != "" {
			if err := json.Unmarshal([]byte(byOrg), &a.ByOrg); err != nil {
				rows.Close()
				return nil, 0, fmt.Errorf("store.ListActivities: activity %d: %w", a.ID, err)
			}
		}
		out = append(out, &a)
		byID[a.ID] = &a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store.ListActivities: %w", err)
	}
	var next int64
	if len(out) > f.Limit {
		out, next = out[:f.Limit], out[f.Limit-1].ID
	}
	if len(out) > 0 {
		ids := make([]any, len(out))
		for i, a := range out {
			ids[i] = a.ID
		}
		frows, err := s.query(ctx, `SELECT activity, sha256, name, type, size FROM activity_files WHERE activity IN (?`+
			strings.Repeat(", ?", len(ids)-1)+`) ORDER BY activity, seq`, ids...)
		if err != nil {
			return nil, 0, fmt.Errorf("store.ListActivities: %w", err)
		}
		defer frows.Close()
		for frows.Next() {
			var id int64
			var f homthu.Attachment
			if err := frows.Scan(&id, &f.SHA256, &f.Name, &f.Type, &f.Size); err != nil {
				return nil, 0, fmt.Errorf("store.ListActivities: %w", err)
			}
			byID[id].Files = append(byID[id].Files, f)
		}
		if err := frows.Err(); err != nil {
			return nil, 0, fmt.Errorf("store.ListActivities: %w", err)
		}
	}
	return out, next, nil
}

// ActivityFile returns file n of an activity in scope, or ENOTFOUND.
func (s *Store) ActivityFile(ctx context.Context, scope string, id int64, n int) (*homthu.Attachment, error) {
	lo, hi, err := s.scopeRange(ctx, scope)
	if err != nil {
		return nil, err
	}
	var f homthu.Attachment
	err = s.queryRow(ctx, `SELECT f.sha256, f.name, f.type, f.size FROM activity_files f JOIN activities r ON r.id = f.activity
    JOIN units u ON u.code = r.unit WHERE f.activity = ? AND f.seq = ? AND u.path >= ? AND u.path < ?`, id, n, lo, hi).
		Scan(&f.SHA256, &f.Name, &f.Type, &f.Size)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có tệp này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.ActivityFile: %w", err)
	}
	return &f, nil
}

// CreatePilot marks a unit as a pilot for a period.
func (s *Store) CreatePilot(ctx context.Context, p *homthu.Pilot, author string) (int64, error) {
	var id int64
	err := s.Transact(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO pilots (unit, period_from, period_to, note, author, created) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			p.Unit, p.From, p.To, p.Note, author, s.now().UnixMilli()).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("store.CreatePilot: %w", err)
	}
	return id, nil
}

// ListPilots returns the pilots in scope whose period meets From..To
// (either may be empty), newest first, at most Limit.
func (s *Store) ListPilots(ctx context.Context, f RecordFilter) ([]*homthu.Pilot, error) {
	lo, hi, err := s.narrowScope(ctx, f.Scope, f.Unit)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q, args := `SELECT r.id, r.unit, u.full_name, r.period_from, r.period_to, r.note FROM pilots r JOIN units u ON u.code = r.unit
    WHERE u.path >= ? AND u.path < ?`, []any{lo, hi}
	if f.To != "" {
		q, args = q+` AND r.period_from <= ?`, append(args, f.To)
	}
	if f.From != "" {
		q, args = q+` AND (r.period_to = '' OR r.period_to >= ?)`, append(args, f.From)
	}
	rows, err := s.query(ctx, q+` ORDER BY r.id DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store.ListPilots: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Pilot
	for rows.Next() {
		var p homthu.Pilot
		if err := rows.Scan(&p.ID, &p.Unit, &p.UnitName, &p.From, &p.To, &p.Note); err != nil {
			return nil, fmt.Errorf("store.ListPilots: %w", err)
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}

// UnitRecords is what a unit itself (not its subtree) recorded in a period:
// the figures the digest and the review count (issue 10).
type UnitRecords struct {
	Unit string
	// Programmes counts the programmes signed in the period.
	Programmes int
	// Activities counts the activities held in the period by kind, and
	// Participants adds up their participants.
	Activities   map[homthu.ActivityKind]int
	Participants int
	// Pilot says the unit was a pilot for some of the period.
	Pilot bool
}

// RecordCounts returns, for each unit in scope that recorded anything in
// from..to (YYYY-MM-DD, inclusive), what it recorded, in code order. A
// parent's figures are the sum of its subtree's rows: the caller rolls up.
func (s *Store) RecordCounts(ctx context.Context, scope, from, to string) ([]UnitRecords, error) {
	lo, hi, err := s.scopeRange(ctx, scope)
	if err != nil {
		return nil, err
	}
	by := map[string]*UnitRecords{}
	get := func(u string) *UnitRecords {
		if by[u] == nil {
			by[u] = &UnitRecords{Unit: u, Activities: map[homthu.ActivityKind]int{}}
		}
		return by[u]
	}
	scan := func(q string, args []any, f func(unit string, n, m int, kind string)) error {
		rows, err := s.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var unit, kind string
			var n, m int
			if err := rows.Scan(&unit, &kind, &n, &m); err != nil {
				return err
			}
			f(unit, n, m, kind)
		}
		return rows.Err()
	}
	join := ` JOIN units u ON u.code = r.unit WHERE u.path >= ? AND u.path < ?`
	if err := scan(`SELECT r.unit, '', COUNT(*), 0 FROM programmes r`+join+` AND r.signed_on >= ? AND r.signed_on <= ? GROUP BY r.unit`,
		[]any{lo, hi, from, to}, func(u string, n, _ int, _ string) { get(u).Programmes = n }); err != nil {
		return nil, fmt.Errorf("store.RecordCounts: %w", err)
	}
	if err := scan(`SELECT r.unit, r.kind, COUNT(*), COALESCE(SUM(r.participants), 0) FROM activities r`+join+
		` AND r.held_on >= ? AND r.held_on <= ? GROUP BY r.unit, r.kind`, []any{lo, hi, from, to}, func(u string, n, m int, kind string) {
		get(u).Activities[homthu.ActivityKind(kind)] = n
		get(u).Participants += m
	}); err != nil {
		return nil, fmt.Errorf("store.RecordCounts: %w", err)
	}
	if err := scan(`SELECT DISTINCT r.unit, '', 0, 0 FROM pilots r`+join+` AND r.period_from <= ? AND (r.period_to = '' OR r.period_to >= ?)`,
		[]any{lo, hi, to, from}, func(u string, _, _ int, _ string) { get(u).Pilot = true }); err != nil {
		return nil, fmt.Errorf("store.RecordCounts: %w", err)
	}
	out := make([]UnitRecords, 0, len(by))
	for _, r := range by {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Unit < out[j].Unit })
	return out, nil
}

// SignedRatio counts the live units of kind under parent and how many of
// them have a programme of their own in force at some time in from..to
// (signed by to, and not ended before from): the seed's "8/8 districts
// signed", for any level.
func (s *Store) SignedRatio(ctx context.Context, parent string, kind homthu.UnitKind, from, to string) (signed, total int, err error) {
	lo, hi, err := s.scopeRange(ctx, parent)
	if err != nil {
		return 0, 0, err
	}
	err = s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM programmes p WHERE p.unit = u.code
    AND p.signed_on <= ? AND (p.period_to = '' OR p.period_to >= ?)) THEN 1 ELSE 0 END), 0)
FROM units u WHERE u.kind = ? AND u.path >= ? AND u.path < ? AND u.valid_to IS NULL`, to, from, string(kind), lo, hi).Scan(&total, &signed)
	if err != nil {
		return 0, 0, fmt.Errorf("store.SignedRatio: %w", err)
	}
	return signed, total, nil
}
