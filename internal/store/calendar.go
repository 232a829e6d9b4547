package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"homthu/internal/homthu"
)

// WorkdayYear is one year of the working-day calendar loaded by an
// administrator (table workday_years, migration 0012).
type WorkdayYear struct {
	Year int
	// Text is the year in the calendar file format (internal/workdays),
	// with its header line.
	Text     string
	LoadedBy string // the account's name; "" when loaded from the command line
	LoadedAt time.Time
}

// WorkdayYears returns the loaded years, in order.
func (s *Store) WorkdayYears(ctx context.Context) ([]WorkdayYear, error) {
	rows, err := s.query(ctx, `SELECT w.year, w.text, COALESCE(u.username, ''), w.loaded_at
FROM workday_years w LEFT JOIN users u ON u.id = w.loaded_by ORDER BY w.year LIMIT 500`)
	if err != nil {
		return nil, fmt.Errorf("store.WorkdayYears: %w", err)
	}
	defer rows.Close()
	var out []WorkdayYear
	for rows.Next() {
		var y WorkdayYear
		var at int64
		if err := rows.Scan(&y.Year, &y.Text, &y.LoadedBy, &at); err != nil {
			return nil, fmt.Errorf("store.WorkdayYears: %w", err)
		}
		y.LoadedAt = time.UnixMilli(at)
		out = append(out, y)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.WorkdayYears: %w", err)
	}
	return out, nil
}

// PutWorkdayYears stores years of the calendar in one transaction,
// replacing those already loaded, and audits the load when by is set (a
// staff account; nil from the command line).
func (s *Store) PutWorkdayYears(ctx context.Context, years []WorkdayYear, by *homthu.User) error {
	err := s.Transact(ctx, func(tx *Tx) error {
		now := tx.now()
		var author any
		if by != nil {
			author = by.ID
		}
		list := ""
		for i, y := range years {
			if _, err := tx.Exec(ctx, `INSERT INTO workday_years (year, text, loaded_by, loaded_at) VALUES (?, ?, ?, ?)
ON CONFLICT (year) DO UPDATE SET text = excluded.text, loaded_by = excluded.loaded_by, loaded_at = excluded.loaded_at`,
				y.Year, y.Text, author, now.UnixMilli()); err != nil {
				return err
			}
			if i > 0 {
				list += ", "
			}
			list += fmt.Sprint(y.Year)
		}
		if by == nil {
			return nil
		}
		return AppendAudit(ctx, tx, &homthu.AuditRecord{At: now, Actor: by.ID, ActorName: by.Username, Unit: by.Unit,
			Action: homthu.AuditWorkdaysLoad, Reason: "năm " + list})
	})
	if err != nil {
		return fmt.Errorf("store.PutWorkdayYears: %w", err)
	}
	return nil
}

// WorkdayYearsVersion is a cheap fingerprint of the loaded years (how many,
// and the latest load), so that a cached calendar knows when to rebuild.
func (s *Store) WorkdayYearsVersion(ctx context.Context) (string, error) {
	var n int
	var at sql.NullInt64
	if err := s.queryRow(ctx, `SELECT COUNT(*), MAX(loaded_at) FROM workday_years`).Scan(&n, &at); err != nil {
		return "", fmt.Errorf("store.WorkdayYearsVersion: %w", err)
	}
	return fmt.Sprintf("%d:%d", n, at.Int64), nil
}
