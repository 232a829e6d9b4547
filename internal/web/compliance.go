package web

import (
	"net/http"
	"net/url"
	"strconv"

	"homthu/internal/app"
	"homthu/internal/homthu"
)

// The compliance board of mailbox openings (issue 8, Regulation 124-QĐ/TW:
// every area's box opened at least once a month): for a province, a row
// per commune with the share of its areas opened each month; for a commune,
// a row per area with each month's status. Below it, the areas that did not
// open in the focus month (the last complete month unless chosen), so that
// the officer knows whom to call.

const compliancePath = "/can-bo/mo-hom-thu/tuan-thu"

// CompliancePage is one unit's board.
type CompliancePage struct {
	Base
	UnitName, UnitCode string
	ByArea             bool
	Months             []string // column heads, "MM/YYYY"
	Rows               []ComplianceRow
	Total              []ComplianceCell
	Focus              string // "MM/YYYY"
	FocusOptions       []Option
	Last               string // the last month shown, YYYY-MM, for the form
	Missing            []MissingRow
	MissingTotal       int
	More               string // the next page of Missing
	Up                 string // the board of the unit above, when in scope
	Legend             []LegendEntry
}

func (*CompliancePage) templateName() string { return "compliance.html" }

// ComplianceRow is one commune or area.
type ComplianceRow struct {
	Name, Href string
	OwnBox     bool
	Areas      int
	Cells      []ComplianceCell
}

// ComplianceCell is one month of a row: a share ("85", the header says
// it is a percentage) or one area's status (Short, explained by Title and
// the legend). A province's board is a table of 130 rows by 12 months, so
// its cells carry nothing but the figure: the counts behind a share are on
// the commune's own board, one click away (a title and a hidden label on
// each of 1,700 cells made the page 511 KB).
type ComplianceCell struct {
	Text, Title string
	Class       string // "ok", "late", "bad", "none" (no box yet), "" for neutral
}

// MissingRow is an area without an opening in the focus month.
type MissingRow struct {
	Name, Code, Commune, Status string
}

// LegendEntry explains a cell code.
type LegendEntry struct{ Short, Label string }

func statusClass(st homthu.ComplianceStatus) string {
	switch st {
	case homthu.StatusOnTime:
		return "ok"
	case homthu.StatusLate, homthu.StatusOverdue:
		return "late"
	case homthu.StatusMissed, homthu.StatusNoMailbox:
		return "bad"
	}
	return ""
}

// tallyCell is a share of areas opened. A group whose areas have no
// mailbox at all says so ("chưa có hòm"), not a red 0 %: nothing could be
// opened there, which is a different failing from boxes left shut.
func tallyCell(t homthu.Tally) ComplianceCell {
	pc, ok := t.Percent()
	switch {
	case !ok:
		return ComplianceCell{Text: "–"}
	case t.Opened() == 0 && t.NoMailbox == t.Expected():
		return ComplianceCell{Text: "chưa có hòm", Class: "none"}
	}
	c := ComplianceCell{Text: strconv.Itoa(pc)}
	switch {
	case pc == 100:
		c.Class = "ok"
	case t.Missed+t.NoMailbox > 0:
		c.Class = "bad"
	default:
		c.Class = "late"
	}
	return c
}

func (s *Server) compliance(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	q := r.URL.Query()
	req := app.BoardRequest{Unit: q.Get("don-vi")}
	var err error
	if v := q.Get("den"); v != "" {
		if req.Last, err = homthu.ParseMonth(v); err != nil {
			return err
		}
	}
	if v := q.Get("thang"); v != "" {
		if req.Focus, err = homthu.ParseMonth(v); err != nil {
			return err
		}
	}
	if v := q.Get("tu"); v != "" {
		if req.Offset, err = strconv.Atoi(v); err != nil || req.Offset < 0 {
			return homthu.Errorf(homthu.EINVALID, "Vị trí trang danh sách không hợp lệ.")
		}
	}
	b, err := s.app.Compliance(r.Context(), sess, req)
	if err != nil {
		return err
	}
	return s.renderOK(w, r, boardPage(b, req, sess))
}

// boardPage is the page of a board computed for req.
func boardPage(b *app.Board, req app.BoardRequest, sess *homthu.Session) *CompliancePage {
	link := func(unit string, last, focus homthu.Month, offset int) string {
		v := url.Values{}
		if unit != "" {
			v.Set("don-vi", unit)
		}
		if req.Last != (homthu.Month{}) {
			v.Set("den", last.String())
		}
		if req.Focus != (homthu.Month{}) || offset > 0 {
			v.Set("thang", focus.String())
		}
		if offset > 0 {
			v.Set("tu", strconv.Itoa(offset))
		}
		if len(v) == 0 {
			return compliancePath
		}
		return compliancePath + "?" + v.Encode()
	}
	last := b.Months[len(b.Months)-1]
	p := &CompliancePage{Base: staffBase("Tình hình mở hòm thư", sess), ByArea: b.ByArea,
		Focus: b.Focus.Label(), Last: last.String(), MissingTotal: b.MissingTotal}
	if b.Unit != nil {
		p.UnitName, p.UnitCode = b.Unit.FullName, b.Unit.Code
		// A unit below the session's has its parent in scope too.
		if b.Unit.Parent != "" && b.Unit.Code != sess.User.Unit {
			p.Up = link(b.Unit.Parent, last, b.Focus, 0)
		}
	}
	for _, m := range b.Months {
		p.Months = append(p.Months, m.Label())
		if m.Index() <= b.Today.Index() {
			p.FocusOptions = append(p.FocusOptions, Option{Value: m.String(), Label: m.Label(), Selected: m == b.Focus})
		}
	}
	for _, row := range b.Rows {
		cr := ComplianceRow{Name: row.Name, OwnBox: row.OwnBox, Areas: row.Areas}
		if !b.ByArea && row.Kind != homthu.KindArea {
			cr.Href = link(row.Code, last, b.Focus, 0)
		}
		if b.ByArea {
			for _, st := range row.Statuses {
				cr.Cells = append(cr.Cells, ComplianceCell{Text: st.Short(), Title: st.Label(), Class: statusClass(st)})
			}
		} else {
			for _, t := range row.Tallies {
				cr.Cells = append(cr.Cells, tallyCell(t))
			}
		}
		p.Rows = append(p.Rows, cr)
	}
	for _, t := range b.Total {
		p.Total = append(p.Total, tallyCell(t))
	}
	for _, m := range b.Missing {
		p.Missing = append(p.Missing, MissingRow{Name: m.Name, Code: m.Code, Commune: m.CommuneName, Status: m.Status.Label()})
	}
	if b.NextOffset >= 0 {
		p.More = link(req.Unit, last, b.Focus, b.NextOffset)
	}
	for _, st := range homthu.ComplianceStatuses {
		if st != homthu.StatusFuture {
			p.Legend = append(p.Legend, LegendEntry{Short: st.Short(), Label: st.Label()})
		}
	}
	return p
}
