package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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

// RateDelta is the hits an instance counted for one rate-limit key in the
// window Win since it last added them to the shared counter.
type RateDelta struct {
	Key []byte
	Win int64
	N   int
}

// maxRateRows bounds one RateAdd statement (three parameters a row).
const maxRateRows = 500

// RateAdd adds the deltas to their shared counters, in one statement per
// maxRateRows, and returns each counter's count after it: an instance's
// hits and every other instance's. A counter of an older window restarts
// at the delta; a delta for a window older than the counter's (another
// instance has moved on) is dropped, since its window has ended. N may be
// 0: the count is then read and nothing added. Keys must be distinct.
func (s *Store) RateAdd(ctx context.Context, deltas []RateDelta) ([]int, error) {
	out := make([]int, 0, len(deltas))
	for len(deltas) > 0 {
		chunk := deltas[:min(len(deltas), maxRateRows)]
		deltas = deltas[len(chunk):]
		var q strings.Builder
		q.WriteString(`INSERT INTO rate_limits (key, win, count) VALUES `)
		args := make([]any, 0, 3*len(chunk))
		for i, d := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?)")
			args = append(args, d.Key, d.Win, d.N)
		}
		q.WriteString(`
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN rate_limits.win = excluded.win THEN rate_limits.count + excluded.count
                 WHEN rate_limits.win > excluded.win THEN rate_limits.count
                 ELSE excluded.count END,
    win = CASE WHEN rate_limits.win > excluded.win THEN rate_limits.win ELSE excluded.win END
RETURNING key, win, count`)
		rows, err := s.write.QueryContext(ctx, s.d.rebind(q.String()), args...)
		if err != nil {
			return nil, fmt.Errorf("store.RateAdd: %w", err)
		}
		got := make(map[string][2]int64, len(chunk))
		for rows.Next() {
			var key []byte
			var win, n int64
			if err := rows.Scan(&key, &win, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store.RateAdd: %w", err)
			}
			got[string(key)] = [2]int64{win, n}
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("store.RateAdd: %w", err)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store.RateAdd: %w", err)
		}
		for _, d := range chunk {
			wn, ok := got[string(d.Key)]
			if !ok {
				return nil, fmt.Errorf("store.RateAdd: no count returned for a key")
			}
			if wn[0] != d.Win {
				// The counter is in a newer window: none of it is ours.
				out = append(out, 0)
				continue
			}
			out = append(out, int(wn[1]))
		}
	}
	return out, nil
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
