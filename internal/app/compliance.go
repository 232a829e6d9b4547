package app

import (
	"context"
	"sort"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// BoardRequest asks for a compliance board.
type BoardRequest struct {
	Unit   string       // the unit whose board it is; "" for the session's
	Last   homthu.Month // the last month shown; zero for this month
	Months int          // how many months, 1 to 24; 0 for 12
	// Focus is the month whose areas without an opening are listed; zero
	// for the last month before this one (the last complete month).
	Focus  homthu.Month
	Offset int // of the list of areas without an opening
	Limit  int // of that list; 0 for 50, at most 500
}

// Board is the compliance board of a unit (homthu/compliance.go has the
// rules): a row per unit just below it — communes for a province, areas
// (and the commune's own box) for a commune — and a column per month.
type Board struct {
	Unit   *homthu.Unit
	Months []homthu.Month
	Today  homthu.Month
	Rows   []BoardRow
	Total  []homthu.Tally
	// ByArea is set when each row is one area (a commune's board): its
	// cells are Statuses, not tallies.
	ByArea bool
	Focus  homthu.Month
	// Missing lists, for Focus, the areas that missed it (or are overdue,
	// or have no mailbox), a page of them in the tree's order.
	Missing      []MissingArea
	MissingTotal int
	// NextOffset is the offset of the next page of Missing, -1 at the end.
	NextOffset int
}

// BoardRow is one row of the board.
type BoardRow struct {
	Code, Name string
	Kind       homthu.UnitKind
	// OwnBox marks the row of a commune's own box (at its office): shown,
	// but not counted in the share of areas.
	OwnBox   bool
	Areas    int // areas counted in the row
	Tallies  []homthu.Tally
	Statuses []homthu.ComplianceStatus // ByArea only
}

// MissingArea is an area without an opening in the focus month.
type MissingArea struct {
	Code, Name           string
	Commune, CommuneName string // the area's commune
	Status               homthu.ComplianceStatus
}

// Compliance returns the compliance board of a unit in the session's scope.
func (a *App) Compliance(ctx context.Context, s *homthu.Session, req BoardRequest) (*Board, error) {
	if err := need(s, homthu.ActReadCompliance); err != nil {
		return nil, err
	}
	if req.Unit == "" {
		req.Unit = s.User.Unit
	}
	if _, _, err := a.inScope(ctx, s, req.Unit); err != nil {
		return nil, err
	}
	return a.Board(ctx, req)
}

// Board computes the board of req.Unit ("" for the whole country, grouped
// by province) without a session: for the command line, and under
// Compliance once the session's scope is checked. It reads each area with
// its boxes' marks in one query (store.ComplianceUnits) and counts in
// memory (homthu.BuildBoard): linear in areas × months.
func (a *App) Board(ctx context.Context, req BoardRequest) (*Board, error) {
	now := a.now()
	today := homthu.DayNumOf(now)
	b := &Board{Today: homthu.MonthOf(now), NextOffset: -1}
	if req.Last == (homthu.Month{}) {
		req.Last = b.Today
	}
	if req.Months == 0 {
		req.Months = 12
	}
	if req.Months < 1 || req.Months > 24 {
		return nil, homthu.Errorf(homthu.EINVALID, "Bảng theo dõi hiển thị từ 1 đến 24 tháng.")
	}
	if req.Last.Index() > b.Today.Index() {
		req.Last = b.Today
	}
	first := req.Last.Add(1 - req.Months)
	if first.Index() < 0 {
		return nil, homthu.Errorf(homthu.EINVALID, "Bảng theo dõi bắt đầu từ tháng 01/2000.")
	}
	for i := 0; i < req.Months; i++ {
		b.Months = append(b.Months, first.Add(i))
	}
	if req.Focus == (homthu.Month{}) {
		req.Focus = b.Today.Add(-1)
		if req.Last.Index() < b.Today.Index() {
			req.Focus = req.Last
		}
	}
	focus := req.Focus.Index() - first.Index()
	if focus < 0 || focus >= req.Months {
		focus = req.Months - 1
	}
	b.Focus = b.Months[focus]
	if req.Limit <= 0 {
		req.Limit = 50
	}
	req.Limit = min(req.Limit, 500)

	if req.Unit != "" {
		u, err := a.Store.FindUnit(ctx, req.Unit)
		if err != nil {
			return nil, err
		}
		b.Unit = u
		b.ByArea = u.Kind == homthu.KindCommune || u.Kind == homthu.KindArea
	}
	units, err := a.Store.ComplianceUnits(ctx, req.Unit, first, req.Months)
	if err != nil {
		return nil, err
	}

	// Rows: the units just below, in code order (the official order of the
	// list of administrative units), with those that have no area yet.
	index := map[string]int{}
	addRow := func(code string, kind homthu.UnitKind) int {
		if i, ok := index[code]; ok {
			return i
		}
		index[code] = len(b.Rows)
		b.Rows = append(b.Rows, BoardRow{Code: code, Kind: kind, Tallies: make([]homthu.Tally, req.Months)})
		return index[code]
	}
	var areas []homthu.ComplianceArea
	var groups []int
	for i := range units {
		u := &units[i]
		kind := homthu.KindCommune
		if b.ByArea {
			kind = u.Kind
		} else if req.Unit == "" {
			kind = homthu.KindProvince
		}
		g := addRow(u.Group, kind)
		if u.Kind != homthu.KindArea {
			if b.ByArea {
				b.Rows[g].OwnBox = true
				b.Rows[g].Statuses = statuses(&u.ComplianceArea, b.Months, today)
			}
			continue
		}
		areas, groups = append(areas, u.ComplianceArea), append(groups, g)
		b.Rows[g].Areas++
		if b.ByArea {
			b.Rows[g].Statuses = statuses(&u.ComplianceArea, b.Months, today)
		}
	}
	if !b.ByArea && req.Unit != "" {
		kids, err := a.Store.ChildUnits(ctx, req.Unit, 5000)
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			addRow(k.Code, k.Kind)
		}
	}
	tallies, total := homthu.BuildBoard(areas, groups, len(b.Rows), b.Months, today)
	for i := range b.Rows {
		b.Rows[i].Tallies = tallies[i]
	}
	b.Total = total

	// The areas without an opening in the focus month, a page of them.
	var missing []int
	for k := range areas {
		switch areas[k].Status(focus, b.Focus, today) {
		case homthu.StatusMissed, homthu.StatusOverdue, homthu.StatusNoMailbox:
			missing = append(missing, k)
		}
	}
	b.MissingTotal = len(missing)
	lo := min(max(req.Offset, 0), len(missing))
	hi := min(lo+req.Limit, len(missing))
	if hi < len(missing) {
		b.NextOffset = hi
	}
	areaUnits := make([]*store.ComplianceUnit, 0, len(areas))
	for i := range units {
		if units[i].Kind == homthu.KindArea {
			areaUnits = append(areaUnits, &units[i])
		}
	}
	var codes []string
	for _, r := range b.Rows {
		codes = append(codes, r.Code)
	}
	for _, k := range missing[lo:hi] {
		codes = append(codes, areaUnits[k].Code, areaUnits[k].Parent)
	}
	names, err := a.Store.UnitNames(ctx, codes)
	if err != nil {
		return nil, err
	}
	for _, k := range missing[lo:hi] {
		u := areaUnits[k]
		b.Missing = append(b.Missing, MissingArea{Code: u.Code, Name: names[u.Code], Commune: u.Parent, CommuneName: names[u.Parent],
			Status: areas[k].Status(focus, b.Focus, today)})
	}
	for i := range b.Rows {
		b.Rows[i].Name = names[b.Rows[i].Code]
	}
	sort.SliceStable(b.Rows, func(i, j int) bool {
		ri, rj := b.Rows[i], b.Rows[j]
		if ri.OwnBox != rj.OwnBox {
			return ri.OwnBox
		}
		return ri.Code < rj.Code
	})
	return b, nil
}

func statuses(a *homthu.ComplianceArea, months []homthu.Month, today int) []homthu.ComplianceStatus {
	out := make([]homthu.ComplianceStatus, len(months))
	for i, m := range months {
		out[i] = a.Status(i, m, today)
	}
	return out
}
