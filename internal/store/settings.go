package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Setting returns a stored setting, or ok == false.
func (s *Store) Setting(ctx context.Context, name string) (string, bool, error) {
	var v string
	err := s.queryRow(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	} else if err != nil {
		return "", false, fmt.Errorf("store.Setting: %w", err)
	}
	return v, true, nil
}

// SetSettingOnce stores a setting unless it already has a value, and returns
// the value now stored: the first writer wins, which is how several
// instances agree on key fingerprints.
func (s *Store) SetSettingOnce(ctx context.Context, name, value string) (string, error) {
	if _, err := s.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, value); err != nil {
		return "", fmt.Errorf("store.SetSettingOnce: %w", err)
	}
	v, _, err := s.Setting(ctx, name)
	return v, err
}

// RateHit adds a hit to a rate-limit counter for the window win and returns
// the count in that window (a counter of an older window restarts at 1).
func (s *Store) RateHit(ctx context.Context, key []byte, win int64) (int, error) {
	var n int
	err := s.write.QueryRowContext(ctx, s.d.rebind(`INSERT INTO rate_limits (key, win, count) VALUES (?, ?, 1)
ON CONFLICT (key) DO UPDATE SET count = CASE WHEN rate_limits.win = excluded.win THEN rate_limits.count + 1 ELSE 1 END, win = excluded.win
RETURNING count`), key, win).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store.RateHit: %w", err)
	}
	return n, nil
}

// RateCount returns a rate-limit counter's count in the window win.
func (s *Store) RateCount(ctx context.Context, key []byte, win int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT count FROM rate_limits WHERE key = ? AND win = ?`, key, win).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("store.RateCount: %w", err)
	}
	return n, nil
}

// PurgeRateLimits deletes counters of windows that ended before the time
// (windows are identified by their number; the caller passes a bound per size).
func (s *Store) PurgeRateLimits(ctx context.Context) error {
	// Counters are tiny and keyed by hashes; dropping them all hourly at most
	// forgives one window's hits.
	if _, err := s.exec(ctx, `DELETE FROM rate_limits`); err != nil {
		return fmt.Errorf("store.PurgeRateLimits: %w", err)
	}
	return nil
}
