package store

import (
	"context"
	"fmt"
)

// Reseal passes every sealed value the database holds — submitters'
// identities (of items and of letters not yet sealed), second-factor
// secrets, kept idempotent answers, the secrets of jobs not yet ended —
// through fn with its additional data, and stores what fn returns. It is
// how an identity-key rotation re-encrypts the data: fn opens under the old
// key and seals under the new one. Each table is done in one transaction;
// fn may return the value unchanged to skip it.
func (s *Store) Reseal(ctx context.Context, fn func(sealed, ad []byte) ([]byte, error)) (int, error) {
	n := 0
	for _, t := range []struct {
		sel, upd string
		binKey   bool // the key column is binary
		ad       func(key string) []byte
	}{
		{`SELECT id, identity FROM items WHERE identity IS NOT NULL`, `UPDATE items SET identity = ? WHERE id = ?`, false,
			func(k string) []byte { return []byte("identity:" + k) }},
		// Signed letters of openings not yet sealed: the identity is
		// sealed to the item the letter will become.
		{`SELECT item, identity FROM opening_letters WHERE identity IS NOT NULL`, `UPDATE opening_letters SET identity = ? WHERE item = ?`, false,
			func(k string) []byte { return []byte("identity:" + k) }},
		{`SELECT username, totp_secret FROM users WHERE totp_secret IS NOT NULL`, `UPDATE users SET totp_secret = ? WHERE username = ?`, false,
			func(k string) []byte { return []byte("totp:" + k) }},
		{`SELECT key_hash, response FROM idempotency`, `UPDATE idempotency SET response = ? WHERE key_hash = ?`, true,
			func(string) []byte { return []byte("idempotency") }},
		// The secrets of waiting jobs (mail addresses): JobSecretAD.
		{`SELECT 'job:' || kind || ':' || unique_key, secret FROM jobs WHERE secret IS NOT NULL`,
			`UPDATE jobs SET secret = ? WHERE 'job:' || kind || ':' || unique_key = ?`, false,
			func(k string) []byte { return []byte(k) }},
	} {
		err := s.Transact(ctx, func(tx *Tx) error {
			rows, err := tx.Query(ctx, t.sel)
			if err != nil {
				return err
			}
			type row struct {
				key    []byte
				sealed []byte
			}
			var rs []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.key, &r.sealed); err != nil {
					rows.Close()
					return err
				}
				rs = append(rs, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, r := range rs {
				out, err := fn(r.sealed, t.ad(string(r.key)))
				if err != nil {
					return err
				}
				var key any = string(r.key)
				if t.binKey {
					key = r.key
				}
				if _, err := tx.Exec(ctx, t.upd, out, key); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("store.Reseal: %w", err)
		}
	}
	return n, nil
}

// SetSetting stores a setting, replacing its value.
func (s *Store) SetSetting(ctx context.Context, name, value string) error {
	if _, err := s.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value); err != nil {
		return fmt.Errorf("store.SetSetting: %w", err)
	}
	return nil
}
