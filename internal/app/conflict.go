package app

import (
	"context"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/vntext"
)

// vnText is the Vietnamese text handling the conflict-of-interest check
// compares names and places with.
var vnText = homthu.Text{Fold: vntext.Fold, SameName: vntext.SameName}

// flagConflicts compares an item's subject with people it could reach and
// records each possible match (in its own transaction, so that a refused
// referral still leaves the warning for a person to decide). It returns
// the matches found, new or known.
func (a *App) flagConflicts(ctx context.Context, it *homthu.Item, people []homthu.Person) error {
	var found []homthu.Conflict
	for _, p := range people {
		if m := vnText.MatchPerson(it.Subject, p); m.Level != homthu.MatchNone {
			found = append(found, homthu.Conflict{Item: it.ID, Person: p, Level: m.Level, Why: m.Why})
		}
	}
	if len(found) == 0 {
		return nil
	}
	return a.Store.Transact(ctx, func(tx *store.Tx) error {
		now := a.now()
		for i := range found {
			added, err := store.AddConflict(ctx, tx, &found[i], now)
			if err != nil {
				return err
			}
			if !added {
				continue
			}
			who := found[i].Person.Name
			if found[i].Person.Position != "" {
				who += ", " + found[i].Person.Position
			}
			if found[i].AgencyName = found[i].Person.Workplace; found[i].AgencyName != "" {
				who += " (" + found[i].AgencyName + ")"
			}
			// The state does not change: no transition of the state
			// machine, a record of what the system found.
			if err := store.AppendHistory(ctx, tx, it.ID, &homthu.HistoryEntry{At: now, Event: homthu.EvConflict,
				ActorName: "Hệ thống", ActorRole: homthu.RoleSystem, From: it.Status, To: it.Status,
				Changes: []homthu.Change{{Field: "Cảnh báo trùng người", From: "", To: who}}, Note: found[i].Why}); err != nil {
				return err
			}
		}
		return nil
	})
}

// staffConflicts compares a subject with the Front staff and leaders at
// unit, who read the inbox an item addressed to unit goes to.
func (a *App) staffConflicts(ctx context.Context, s homthu.Subject, unit string) ([]homthu.Conflict, error) {
	if s.Name == "" {
		return nil, nil
	}
	people, err := a.Store.StaffPeople(ctx, unit)
	if err != nil {
		return nil, err
	}
	var out []homthu.Conflict
	for _, p := range people {
		if m := vnText.MatchPerson(s, p); m.Level != homthu.MatchNone {
			out = append(out, homthu.Conflict{Person: p, Level: m.Level, Why: m.Why})
		}
	}
	return out, nil
}

// flagNewItems checks items just made by another path than Submit (the
// letters of a sealed opening) against the staff of their addressee.
func (a *App) flagNewItems(ctx context.Context, items []*store.NewItem) error {
	for _, it := range items {
		if it.Sub.Subject.Name == "" {
			continue
		}
		people, err := a.Store.StaffPeople(ctx, it.Unit)
		if err != nil {
			return err
		}
		full, err := a.Store.FindItemUnscoped(ctx, it.ID)
		if err != nil {
			return err
		}
		if err := a.flagConflicts(ctx, full, people); err != nil {
			return err
		}
	}
	return nil
}

// DecideConflict records a person's decision on a possible conflict of
// interest: same says the subject is the person flagged. A confirmed match
// with Front staff of the unit the item is addressed to takes the item one
// level up; with an agency that holds the item's referral, the referral is
// recalled. The decision is the item's history; the person flagged never
// sees the item (they cannot decide about themselves).
func (a *App) DecideConflict(ctx context.Context, s *homthu.Session, id string, version int, conflict int64, same bool, note string) (*homthu.Item, error) {
	if err := need(s, homthu.ActTriage); err != nil {
		return nil, err
	}
	note, err := checkReason("Căn cứ xác nhận", note)
	if err != nil {
		return nil, err
	}
	who := staffActor(s)
	var out *homthu.Item
	err = a.Store.Transact(ctx, func(tx *store.Tx) error {
		var c *homthu.Conflict
		it, err := a.changeTx(ctx, tx, who, s.User.Unit, id, version, homthu.EvConflict, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
			var err error
			if c, err = store.ConflictInTx(ctx, tx, it.ID, conflict); err != nil {
				return err
			}
			old := c.State
			c.State, c.DecidedAt, c.Note = homthu.ConflictDismissed, h.At, note
			if same {
				c.State = homthu.ConflictConfirmed
			}
			if old == c.State {
				return homthu.Errorf(homthu.EINVALID, "Cảnh báo này đã được xác nhận như vậy.")
			}
			h.Changes = homthu.Diff(nil, "Trùng người: "+c.Person.Name, old.Label(), c.State.Label())
			h.Note = note
			return store.DecideConflict(ctx, tx, c, s.User.ID)
		})
		if err != nil {
			return err
		}
		out = it
		if c.State != homthu.ConflictConfirmed {
			return nil
		}
		switch {
		case c.Person.Agency == 0 && c.Person.Unit == it.Unit:
			if _, err := homthu.Step(who.role, it.Status, homthu.EvEscalate); err != nil {
				return nil // referred already: the item stays, hidden from that person
			}
			out, err = a.changeTx(ctx, tx, who, "", id, it.Version, homthu.EvEscalate, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
				return a.escalateTx(ctx, it, h, "Người bị phản ánh là cán bộ Mặt trận "+it.UnitName+" ("+c.Person.Name+"): chuyển lên cấp trên. "+note)
			})
			return err
		case c.Person.Agency != 0 && c.Person.Agency == it.Agency && it.Status == homthu.StatusReferred:
			out, err = a.changeTx(ctx, tx, who, "", id, it.Version, homthu.EvRecall, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
				return a.recallTx(ctx, tx, it, h, "Người bị phản ánh đứng đầu hoặc làm việc tại "+it.AgencyName+": rút lại để chuyển cơ quan cấp trên. "+note)
			})
			return err
		}
		return nil
	})
	return out, err
}

// Conflicts lists an item's possible conflicts of interest for staff who
// may see the item.
func (a *App) Conflicts(ctx context.Context, s *homthu.Session, id string) ([]*homthu.Conflict, error) {
	if _, err := a.visibleItem(ctx, s, id); err != nil {
		return nil, err
	}
	return a.Store.Conflicts(ctx, id)
}

// visibleItem reads an item the session may read: in its scope, and not
// hidden from it by a conflict of interest.
func (a *App) visibleItem(ctx context.Context, s *homthu.Session, id string) (*homthu.Item, error) {
	if err := need(s, homthu.ActReadItems); err != nil {
		return nil, err
	}
	it, err := a.Store.FindItem(ctx, s.User.Unit, id)
	if err != nil {
		return nil, err
	}
	// The reader against the person concerned, every time: an account
	// whose holder may be that person never sees the item, even one
	// created after the item was checked.
	me := homthu.Person{User: s.User.ID, Name: s.User.FullName, Position: s.User.Position, Unit: s.User.Unit, UnitName: s.User.UnitName,
		Workplace: "Ủy ban Mặt trận Tổ quốc " + s.User.UnitName}
	if err := a.flagConflicts(ctx, it, []homthu.Person{me}); err != nil {
		return nil, err
	}
	if hidden, err := a.Store.Excluded(ctx, id, s.User.ID); err != nil {
		return nil, err
	} else if hidden {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
	}
	return it, nil
}

// FlagAccount compares a new or renamed staff account with the people
// concerned by the open items it can see (a Front or leader account: those
// addressed to its unit; a handler: those referred to its agency), and
// records each possible match, so that the account never sees an item
// that may be about its holder. It returns how many items were flagged.
func (a *App) FlagAccount(ctx context.Context, u *homthu.User) (int, error) {
	if u.FullName == "" {
		return 0, nil
	}
	var scope string
	var p homthu.Person
	switch {
	case u.Role == homthu.RoleAgency && u.Agency != 0:
		ag, err := a.Store.FindAgency(ctx, u.Agency)
		if err != nil {
			return 0, err
		}
		scope = ag.Unit
		p = homthu.Person{User: u.ID, Name: u.FullName, Position: u.Position, Unit: ag.Unit, UnitName: ag.UnitName, Workplace: ag.Name, Agency: ag.ID}
		// Referred items may come from the province above the agency.
		if _, path, err := a.Store.UnitKindPath(ctx, ag.Unit); err == nil && len(path) > 0 {
			scope = path[0]
		}
	case u.Role == homthu.RoleFront || u.Role == homthu.RoleLeader:
		scope = u.Unit
		p = homthu.Person{User: u.ID, Name: u.FullName, Position: u.Position, Unit: u.Unit, UnitName: u.UnitName, Workplace: "Ủy ban Mặt trận Tổ quốc " + u.UnitName}
	default:
		return 0, nil
	}
	items, err := a.Store.ItemsAbout(ctx, scope, p.Agency, vntext.Fold(u.FullName))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		if m := vnText.MatchPerson(it.Subject, p); m.Level == homthu.MatchNone {
			continue
		}
		if err := a.flagConflicts(ctx, it, []homthu.Person{p}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
