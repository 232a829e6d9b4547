package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"homthu/internal/homthu"
)

// AddConflict records a possible conflict of interest in tx, unless the
// same person (account, or agency head) is recorded for the item already;
// it reports whether it added one.
func AddConflict(ctx context.Context, tx *Tx, c *homthu.Conflict, now time.Time) (bool, error) {
	var n int
	var err error
	if c.Person.User != 0 {
		err = tx.QueryRow(ctx, `SELECT COUNT(*) FROM conflicts WHERE item = ? AND user_id = ?`, c.Item, c.Person.User).Scan(&n)
	} else {
		err = tx.QueryRow(ctx, `SELECT COUNT(*) FROM conflicts WHERE item = ? AND agency = ? AND head = TRUE`, c.Item, c.Person.Agency).Scan(&n)
	}
	if err != nil {
		return false, fmt.Errorf("store.AddConflict: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	c.State = homthu.ConflictPossible
	err = tx.QueryRow(ctx, `INSERT INTO conflicts (item, user_id, agency, head, name, position, level, why, state, created)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.Item, nullInt(c.Person.User), nullInt(c.Person.Agency), c.Person.Head,
		c.Person.Name, c.Person.Position, int(c.Level), c.Why, string(c.State), now.UnixMilli()).Scan(&c.ID)
	if err != nil {
		return false, fmt.Errorf("store.AddConflict: %w", err)
	}
	return true, nil
}

const conflictCols = `c.id, c.item, COALESCE(c.user_id, 0), COALESCE(c.agency, 0), c.head, c.name, c.position, c.level, c.why, c.state,
    COALESCE(g.name, ''), COALESCE(g.unit, COALESCE(us.unit, '')), COALESCE(du.username, ''), c.decided_at, c.note`

const conflictFrom = ` FROM conflicts c LEFT JOIN agencies g ON g.id = c.agency LEFT JOIN users us ON us.id = c.user_id
    LEFT JOIN users du ON du.id = c.decided_by `

func scanConflict(sc interface{ Scan(...any) error }) (*homthu.Conflict, error) {
	var c homthu.Conflict
	var level int
	var decided sql.NullInt64
	if err := sc.Scan(&c.ID, &c.Item, &c.Person.User, &c.Person.Agency, &c.Person.Head, &c.Person.Name, &c.Person.Position, &level,
		&c.Why, &c.State, &c.AgencyName, &c.Person.Unit, &c.DecidedBy, &decided, &c.Note); err != nil {
		return nil, err
	}
	c.Level, c.DecidedAt = homthu.MatchLevel(level), fromMS(decided)
	return &c, nil
}

// Conflicts returns an item's recorded conflicts of interest, oldest first.
func (s *Store) Conflicts(ctx context.Context, item string) ([]*homthu.Conflict, error) {
	rows, err := s.query(ctx, `SELECT `+conflictCols+conflictFrom+`WHERE c.item = ? ORDER BY c.id LIMIT 200`, item)
	if err != nil {
		return nil, fmt.Errorf("store.Conflicts: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Conflict
	for rows.Next() {
		c, err := scanConflict(rows)
		if err != nil {
			return nil, fmt.Errorf("store.Conflicts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ConflictInTx returns one conflict of an item in tx, or ENOTFOUND.
func ConflictInTx(ctx context.Context, tx *Tx, item string, id int64) (*homthu.Conflict, error) {
	c, err := scanConflict(tx.QueryRow(ctx, `SELECT `+conflictCols+conflictFrom+`WHERE c.id = ? AND c.item = ?`, id, item))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có cảnh báo trùng người này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.ConflictInTx: %w", err)
	}
	return c, nil
}

// DecideConflict records a person's decision on a possible conflict in tx.
func DecideConflict(ctx context.Context, tx *Tx, c *homthu.Conflict, by int64) error {
	_, err := tx.Exec(ctx, `UPDATE conflicts SET state = ?, decided_at = ?, decided_by = ?, note = ? WHERE id = ?`,
		string(c.State), c.DecidedAt.UnixMilli(), nullInt(by), c.Note, c.ID)
	if err != nil {
		return fmt.Errorf("store.DecideConflict: %w", err)
	}
	return nil
}

// Excluded reports whether an account may be the person an item concerns
// (a possible or confirmed conflict names it): the item is then hidden
// from that account, as if it did not exist.
func (s *Store) Excluded(ctx context.Context, item string, user int64) (bool, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM conflicts WHERE item = ? AND user_id = ? AND state <> 'dismissed'`, item, user).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store.Excluded: %w", err)
	}
	return n > 0, nil
}

// AgencyConflictTx returns, in tx, the gravest undecided or confirmed
// conflict of interest between an item's subject and an agency's people
// (confirmed before possible; "" when none) and the name of the person.
func AgencyConflictTx(ctx context.Context, tx *Tx, item string, agency int64) (homthu.ConflictState, string, error) {
	var state, name string
	err := tx.QueryRow(ctx, `SELECT state, name FROM conflicts WHERE item = ? AND agency = ? AND state <> 'dismissed'
ORDER BY CASE state WHEN 'confirmed' THEN 0 ELSE 1 END, id LIMIT 1`, item, agency).Scan(&state, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	} else if err != nil {
		return "", "", fmt.Errorf("store.AgencyConflictTx: %w", err)
	}
	return homthu.ConflictState(state), name, nil
}

// MaxSubjectCandidates bounds the items compared with one account.
const MaxSubjectCandidates = 5000

// ItemsAbout returns the open items in a unit's scope (and, with agency
// non-zero, referred to that agency) whose person concerned has the folded
// name fold: the candidates to compare with a new or renamed account.
func (s *Store) ItemsAbout(ctx context.Context, scope string, agency int64, fold string) ([]*homthu.Item, error) {
	if fold == "" {
		return nil, nil
	}
	lo, hi, err := s.scopeRange(ctx, scope)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + itemCols + itemFrom + `WHERE i.subject_fold = ? AND i.scope >= ? AND i.scope < ?
AND i.status IN ('received', 'considering', 'referred', 'answered', 'reopened')`
	args := []any{fold, lo, hi}
	if agency != 0 {
		q += ` AND EXISTS (SELECT 1 FROM referrals r WHERE r.item = i.id AND r.agency = ?)`
		args = append(args, agency)
	}
	rows, err := s.query(ctx, q+` LIMIT ?`, append(args, MaxSubjectCandidates)...)
	if err != nil {
		return nil, fmt.Errorf("store.ItemsAbout: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, fmt.Errorf("store.ItemsAbout: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
