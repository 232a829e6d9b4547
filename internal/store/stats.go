package store

import (
	"context"
	"fmt"
	"strings"
)

// Open statistics (internal/stats): counts of items per commune of a
// province. They are raw counts; the page suppresses the small ones.

// CommuneCount is what a commune received and answered.
type CommuneCount struct {
	Code, Name         string
	Received, Answered int
}

// statsSQL counts a province's items by the residential area (or commune)
// they were sent about and by status, over the units' path index.
const statsSQL = `SELECT a.path, i.status, COUNT(*) FROM items i JOIN units a ON a.code = i.area
WHERE a.path >= ? AND a.path < ? AND i.received_on >= ? AND i.received_on <= ?
GROUP BY a.path, i.status`

// ItemCountsByCommune returns, for every commune of the province, how many
// items were received about it between the days from and to (YYYY-MM-DD,
// inclusive) and how many of them were answered (answered or closed);
// items marked as spam are not counted. Items about the province itself
// are in the row with the province's code. Communes are in name order.
func (s *Store) ItemCountsByCommune(ctx context.Context, province, from, to string) ([]CommuneCount, error) {
	p, err := s.FindUnit(ctx, province)
	if err != nil {
		return nil, err
	}
	lo := joinPath(p.Path)
	rows, err := s.query(ctx, `SELECT code, full_name FROM units WHERE kind = 'commune' AND path >= ? AND path < ? ORDER BY name LIMIT 5000`, lo, prefixEnd(lo))
	if err != nil {
		return nil, fmt.Errorf("store.ItemCountsByCommune: %w", err)
	}
	var out []CommuneCount
	index := map[string]int{}
	for rows.Next() {
		var c CommuneCount
		if err := rows.Scan(&c.Code, &c.Name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store.ItemCountsByCommune: %w", err)
		}
		index[c.Code] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.ItemCountsByCommune: %w", err)
	}
	index[p.Code] = len(out)
	out = append(out, CommuneCount{Code: p.Code, Name: p.FullName})
	rows, err = s.query(ctx, statsSQL, lo, prefixEnd(lo), from, to)
	if err != nil {
		return nil, fmt.Errorf("store.ItemCountsByCommune: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var path, status string
		var n int
		if err := rows.Scan(&path, &status, &n); err != nil {
			return nil, fmt.Errorf("store.ItemCountsByCommune: %w", err)
		}
		if status == "spam" {
			continue
		}
		row := index[p.Code]
		for _, code := range strings.Split(strings.Trim(path, "/"), "/") {
			if i, ok := index[code]; ok && code != p.Code {
				row = i
				break
			}
		}
		out[row].Received += n
		if status == "answered" || status == "closed" {
			out[row].Answered += n
		}
	}
	return out, rows.Err()
}
