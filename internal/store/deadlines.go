package store

import (
	"context"
	"fmt"

	"homthu/internal/homthu"
)

// DueReferral is a referral waiting for its agency's answer, as the
// deadline reminders read it: no content of the item, no submitter.
type DueReferral struct {
	ID         int64
	Item       string
	Unit       string // the unit whose Front referred the item
	Agency     int64
	AgencyName string
	Number     string
	DueOn      string
	Working    bool
}

// DueReferrals lists the referrals waiting for an answer (sent or
// acknowledged) whose deadline is on or before day until, soonest first,
// by keyset after (afterDue, afterID); at most limit (1–1000). The index
// referrals_due (state, due_on) serves it.
func (s *Store) DueReferrals(ctx context.Context, until, afterDue string, afterID int64, limit int) ([]DueReferral, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.query(ctx, `SELECT r.id, r.item, i.unit, r.agency, g.name, r.number, r.due_on, r.working
FROM referrals r JOIN agencies g ON g.id = r.agency JOIN items i ON i.id = r.item
WHERE r.state IN ('sent', 'acknowledged') AND r.due_on <= ? AND (r.due_on > ? OR (r.due_on = ? AND r.id > ?))
ORDER BY r.due_on, r.id LIMIT ?`, until, afterDue, afterDue, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store.DueReferrals: %w", err)
	}
	defer rows.Close()
	var out []DueReferral
	for rows.Next() {
		var d DueReferral
		if err := rows.Scan(&d.ID, &d.Item, &d.Unit, &d.Agency, &d.AgencyName, &d.Number, &d.DueOn, &d.Working); err != nil {
			return nil, fmt.Errorf("store.DueReferrals: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.DueReferrals: %w", err)
	}
	return out, nil
}

// AgencyHandlers returns, in tx, the active handler accounts of an agency.
func AgencyHandlers(ctx context.Context, tx *Tx, agency int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM users WHERE agency = ? AND role = ? AND disabled = FALSE ORDER BY id LIMIT 1000`, agency, string(homthu.RoleAgency))
	if err != nil {
		return nil, fmt.Errorf("store.AgencyHandlers: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store.AgencyHandlers: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
