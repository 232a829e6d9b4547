package store

import (
	"context"
	"fmt"
	"strings"

	"homthu/internal/homthu"
)

// maxPublicMailboxUnits bounds the units one public look-up may name.
const maxPublicMailboxUnits = 100

// PublicMailboxes returns the boxes still in place (in use or damaged, not
// removed) of exactly the given units (an area, or a commune's own box at
// its Front office), for the public page that tells a citizen where their
// box is: no scope, since where a box hangs is posted to everyone. At most
// 100 units, and 500 boxes, in the order of the units' codes.
func (s *Store) PublicMailboxes(ctx context.Context, units []string) ([]*homthu.Mailbox, error) {
	if len(units) == 0 {
		return nil, nil
	}
	if len(units) > maxPublicMailboxUnits {
		units = units[:maxPublicMailboxUnits]
	}
	args := make([]any, len(units))
	for i, u := range units {
		args[i] = u
	}
	rows, err := s.query(ctx, `SELECT `+mailboxCols+mailboxFrom+`WHERE m.unit IN (?`+strings.Repeat(", ?", len(units)-1)+`)
    AND m.status <> 'removed' ORDER BY m.unit, m.id LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("store.PublicMailboxes: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Mailbox
	for rows.Next() {
		m, err := scanMailbox(rows)
		if err != nil {
			return nil, fmt.Errorf("store.PublicMailboxes: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.PublicMailboxes: %w", err)
	}
	return out, nil
}
