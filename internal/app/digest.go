package app

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// DigestRequest asks for the digest of a unit over a period.
type DigestRequest struct {
	Unit   string // "" for the session's unit
	Period homthu.Period
}

// Digest is a unit's compiled report for a period (tổng hợp ý kiến, kiến
// nghị): the one computation behind the report page, the leaders'
// dashboard, the exports, the API and the charts, so that none of them can
// disagree with another.
type Digest struct {
	Unit      *homthu.Unit
	Period    homthu.Period
	Generated time.Time
	// Total is the unit's figures: the sum of Rows.
	Total *homthu.DigestCounts
	// Rows has a row per child unit (communes, or districts for older
	// data) and, first, a row for what was addressed to the unit itself
	// (Own), when the unit has children. Their figures add up to Total.
	Rows []DigestRow
	// Channels, Kinds, Statuses, Categories and Agencies are Total's
	// breakdowns in the order a report lists them, with their labels.
	Channels, Kinds, Statuses []Figure
	Categories                []CategoryFigure
	Agencies                  []Figure
	// Months is the trend, one entry per month the period touches.
	Months []DigestMonth
	// Openings sums the compliance board's monthly tallies of the areas
	// (app.Board, rule 5 of homthu/compliance.go) over OpeningMonths, the
	// period's months up to this one, at most the last 24.
	Openings      homthu.Tally
	OpeningMonths []homthu.Month
	// Quotes are the items staff chose to quote, without identity.
	Quotes []Quote
}

// DigestRow is one row of the roll-up.
type DigestRow struct {
	Code, Name string
	Kind       homthu.UnitKind
	Own        bool // the items addressed to the unit itself
	Counts     *homthu.DigestCounts
	Openings   homthu.Tally
}

// Figure is one labelled count.
type Figure struct {
	Key   string
	Label string
	N     int
}

// CategoryFigure counts the items under one standard of a catalogue.
type CategoryFigure struct {
	Code, Catalog, CatalogShort, Title string
	Number                             int
	N                                  int
}

// DigestMonth is one month of the trend.
type DigestMonth struct {
	Month                    homthu.Month
	Received, Answered, Spam int
	Openings                 homthu.Tally
	OpeningsKnown            bool // the month is within the board's range
}

// Quote is an item quoted in a digest: its text and where it came from,
// never who sent it.
type Quote struct {
	Item       string
	ReceivedOn string
	AreaName   string
	Channel    homthu.Channel
	Kind       homthu.Kind
	Status     homthu.Status
	Content    string
	Note       string
}

// Digest returns the digest of a unit in the session's scope; a unit
// outside it is ENOTFOUND.
func (a *App) Digest(ctx context.Context, s *homthu.Session, req DigestRequest) (*Digest, error) {
	if err := need(s, homthu.ActReadReports); err != nil {
		return nil, err
	}
	if req.Unit == "" {
		req.Unit = s.User.Unit
	}
	if _, _, err := a.inScope(ctx, s, req.Unit); err != nil {
		return nil, err
	}
	return a.BuildDigest(ctx, req)
}

// BuildDigest computes a digest without a session: for background jobs
// and the command line, and under Digest once the scope is checked.
func (a *App) BuildDigest(ctx context.Context, req DigestRequest) (*Digest, error) {
	u, err := a.Store.FindUnit(ctx, req.Unit)
	if err != nil {
		return nil, err
	}
	now := a.now()
	p := req.Period
	data, err := a.Store.Digest(ctx, u.Code, p.From, p.To, homthu.Today(now))
	if err != nil {
		return nil, err
	}
	d := &Digest{Unit: u, Period: p, Generated: now, Total: homthu.NewDigestCounts()}

	// Rows: the children in code order, with those that received nothing.
	if u.Kind != homthu.KindCommune && u.Kind != homthu.KindArea {
		kids, err := a.Store.ChildUnits(ctx, u.Code, 5000)
		if err != nil {
			return nil, err
		}
		d.Rows = append(d.Rows, DigestRow{Code: u.Code, Name: u.FullName, Kind: u.Kind, Own: true})
		for _, k := range kids {
			if k.Kind == homthu.KindArea {
				continue
			}
			d.Rows = append(d.Rows, DigestRow{Code: k.Code, Name: k.FullName, Kind: k.Kind})
		}
		sort.SliceStable(d.Rows[1:], func(i, j int) bool { return d.Rows[1+i].Code < d.Rows[1+j].Code })
	}
	index := map[string]int{}
	for i := range d.Rows {
		if d.Rows[i].Own {
			index[""] = i
		} else {
			index[d.Rows[i].Code] = i
		}
		d.Rows[i].Counts = homthu.NewDigestCounts()
	}
	for code, c := range data.Groups {
		d.Total.Merge(c)
		if len(d.Rows) == 0 {
			continue
		}
		i, ok := index[code]
		if !ok { // an item addressed to an area, or to a unit since moved: the unit's own
			i = index[""]
		}
		d.Rows[i].Counts.Merge(c)
	}
	tallies, err := a.digestOpenings(ctx, d, index)
	if err != nil {
		return nil, err
	}
	for _, m := range p.Months() {
		dm := DigestMonth{Month: m}
		if mc := data.Months[m]; mc != nil {
			dm.Received, dm.Answered, dm.Spam = mc.Received, mc.Answered, mc.Spam
		}
		d.Months = append(d.Months, dm)
	}
	for i, m := range d.Months {
		for j, om := range d.OpeningMonths {
			if om == m.Month {
				d.Months[i].Openings, d.Months[i].OpeningsKnown = tallies[j], true
			}
		}
	}
	if err := a.digestLabels(ctx, d); err != nil {
		return nil, err
	}
	quotes, err := a.Store.DigestQuotes(ctx, u.Code, p.From, p.To, 200)
	if err != nil {
		return nil, err
	}
	for _, q := range quotes {
		d.Quotes = append(d.Quotes, Quote{Item: q.Item, ReceivedOn: q.ReceivedOn, AreaName: q.AreaName, Channel: q.Channel,
			Kind: q.Kind, Status: q.Status, Content: q.Content, Note: q.Note})
	}
	return d, nil
}

// digestOpenings fills the opening figures from the compliance board of
// the period's months (the last 24 of them up to this month), and returns
// the tallies of those months.
func (a *App) digestOpenings(ctx context.Context, d *Digest, index map[string]int) ([]homthu.Tally, error) {
	this := homthu.MonthOf(a.now())
	var months []homthu.Month
	for _, m := range d.Period.Months() {
		if m.Index() <= this.Index() {
			months = append(months, m)
		}
	}
	if len(months) > 24 {
		months = months[len(months)-24:]
	}
	if len(months) == 0 {
		return nil, nil
	}
	b, err := a.Board(ctx, BoardRequest{Unit: d.Unit.Code, Last: months[len(months)-1], Months: len(months), Limit: 1})
	if err != nil {
		return nil, err
	}
	d.OpeningMonths = b.Months
	for _, t := range b.Total {
		d.Openings.Merge(t)
	}
	if b.ByArea {
		return b.Total, nil
	}
	for _, r := range b.Rows {
		i, ok := index[r.Code]
		if !ok {
			continue
		}
		for _, t := range r.Tallies {
			d.Rows[i].Openings.Merge(t)
		}
	}
	return b.Total, nil
}

// digestLabels orders Total's breakdowns and labels them.
func (a *App) digestLabels(ctx context.Context, d *Digest) error {
	t := d.Total
	for _, c := range homthu.Channels {
		d.Channels = append(d.Channels, Figure{Key: string(c), Label: c.Label(), N: t.ByChannel[c]})
	}
	for _, k := range append(append([]homthu.Kind{}, homthu.Kinds...), "") {
		if k == "" && t.ByKind[k] == 0 {
			continue
		}
		label := k.Label()
		if k == "" {
			label = "Chưa phân loại"
		}
		d.Kinds = append(d.Kinds, Figure{Key: string(k), Label: label, N: t.ByKind[k]})
	}
	for _, st := range homthu.Statuses {
		if st == homthu.StatusSpam {
			continue
		}
		d.Statuses = append(d.Statuses, Figure{Key: string(st), Label: st.Label(), N: t.ByStatus[st]})
	}
	if len(t.ByCategory) > 0 {
		cats, err := a.Store.Catalogs(ctx)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, c := range cats {
			for _, st := range c.Standards {
				if n := t.ByCategory[st.Code]; n > 0 && !seen[st.Code] {
					seen[st.Code] = true
					d.Categories = append(d.Categories, CategoryFigure{Code: st.Code, Catalog: c.Code, CatalogShort: c.Short,
						Title: st.Title, Number: st.Number, N: n})
				}
			}
		}
		for code, n := range t.ByCategory { // a standard of a catalogue since removed
			if !seen[code] {
				d.Categories = append(d.Categories, CategoryFigure{Code: code, Title: code, N: n})
			}
		}
	}
	var ids []int64
	for id := range t.ByAgency {
		ids = append(ids, id)
	}
	names, err := a.Store.AgencyNames(ctx, ids)
	if err != nil {
		return err
	}
	for id, n := range t.ByAgency {
		d.Agencies = append(d.Agencies, Figure{Key: strconv.FormatInt(id, 10), Label: names[id], N: n})
	}
	sort.Slice(d.Agencies, func(i, j int) bool {
		if d.Agencies[i].N != d.Agencies[j].N {
			return d.Agencies[i].N > d.Agencies[j].N
		}
		return d.Agencies[i].Label < d.Agencies[j].Label
	})
	return nil
}

// QuoteItem chooses an item in the session's scope to be quoted in the
// digests of the session's unit, with a note (why it is quoted). Its text
// is quoted, never who sent it.
func (a *App) QuoteItem(ctx context.Context, s *homthu.Session, item, note string) error {
	if err := need(s, homthu.ActQuoteItems); err != nil {
		return err
	}
	if _, err := a.visibleItem(ctx, s, item); err != nil {
		return err
	}
	note = vntext.NFC(strings.TrimSpace(note))
	if utf8.RuneCountInString(note) > 500 {
		return homthu.Errorf(homthu.EINVALID, "Ghi chú trích dẫn dài tối đa 500 ký tự.")
	}
	return a.Store.AddDigestQuote(ctx, s.User.Unit, item, note, s.User.ID, a.now())
}

// UnquoteItem takes an item out of the quotes of the session's unit.
func (a *App) UnquoteItem(ctx context.Context, s *homthu.Session, item string) error {
	if err := need(s, homthu.ActQuoteItems); err != nil {
		return err
	}
	if _, err := a.visibleItem(ctx, s, item); err != nil {
		return err
	}
	return a.Store.RemoveDigestQuote(ctx, s.User.Unit, item)
}

// IsQuoted reports whether an item is quoted in the digests of the
// session's unit, for the item page's button.
func (a *App) IsQuoted(ctx context.Context, s *homthu.Session, item string) (bool, error) {
	if !s.User.Role.Can(homthu.ActQuoteItems) {
		return false, nil
	}
	return a.Store.IsDigestQuote(ctx, s.User.Unit, item)
}
