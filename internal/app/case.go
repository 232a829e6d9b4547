package app

import (
	"context"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// Case is everything Front staff see of an item: the item and its thread,
// its history, referrals with their extensions and answers, the possible
// conflicts of interest, the duplicates linked to it (or the case it was
// linked to), and what the session may do next.
type Case struct {
	Item      *homthu.Item
	Messages  []homthu.Message
	History   []homthu.HistoryEntry
	Referrals []*store.ReferralRow
	Conflicts []*homthu.Conflict
	Linked    []*homthu.Item
	// Case is the item this duplicate was linked to, nil otherwise.
	Case *homthu.Item
	// Allowed are the events the session may do now (homthu.Allowed).
	Allowed map[homthu.Event]bool
	Today   string
}

// Active is the referral waiting for an answer, or nil.
func (c *Case) Active() *store.ReferralRow {
	for _, r := range c.Referrals {
		if r.State == homthu.ReferralSent || r.State == homthu.ReferralAcknowledged {
			return r
		}
	}
	return nil
}

// Answered is the latest answered referral, or nil.
func (c *Case) Answered() *store.ReferralRow {
	for i := len(c.Referrals) - 1; i >= 0; i-- {
		if c.Referrals[i].State == homthu.ReferralAnswered {
			return c.Referrals[i]
		}
	}
	return nil
}

// PendingConflicts counts the conflicts waiting for a person's decision.
func (c *Case) PendingConflicts() int {
	n := 0
	for _, cf := range c.Conflicts {
		if cf.State == homthu.ConflictPossible {
			n++
		}
	}
	return n
}

// OpenCase opens an item for Front staff (audited, as Item) with its whole
// processing record.
func (a *App) OpenCase(ctx context.Context, s *homthu.Session, id string) (*Case, error) {
	it, msgs, err := a.Item(ctx, s, id)
	if err != nil {
		return nil, err
	}
	c := &Case{Item: it, Messages: msgs, Allowed: homthu.Allowed(s.User.Role, it.Status), Today: homthu.Today(a.now())}
	if c.History, err = a.Store.History(ctx, id, false); err != nil {
		return nil, err
	}
	if c.Referrals, err = a.Store.Referrals(ctx, id); err != nil {
		return nil, err
	}
	if c.Conflicts, err = a.Store.Conflicts(ctx, id); err != nil {
		return nil, err
	}
	if c.Linked, err = a.Store.LinkedTo(ctx, id); err != nil {
		return nil, err
	}
	if it.CaseOf != "" {
		if c.Case, err = a.Store.FindItem(ctx, s.User.Unit, it.CaseOf); err != nil && homthu.ErrorCode(err) != homthu.ENOTFOUND {
			return nil, err
		}
	}
	return c, nil
}
