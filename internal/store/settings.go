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
