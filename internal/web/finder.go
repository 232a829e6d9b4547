package web

import (
	"net/http"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// The mailbox finder answers the home page's question "where is my area's
// box?": a citizen types the name of their village, residential group or
// commune (with or without diacritics, the unit search of step 1 of
// sending) and reads where each box hangs and when it is opened. A
// commune lists its areas' boxes on its own page. Only what is posted on
// the box itself is shown: the place, the day, whether it is damaged.

// FinderPage is GET /tim-hom-thu?q= (a search) or ?duoi=CODE (a commune's boxes).
type FinderPage struct {
	Base
	Query    string
	Searched bool
	// Commune is the commune listed with ?duoi=, nil for a search.
	Commune *UnitResult
	Results []FoundUnit
	// More says the commune has more boxes than the page lists.
	More bool
}

func (*FinderPage) templateName() string { return "finder.html" }

// FoundUnit is an area or a commune with its boxes in place.
type FoundUnit struct {
	UnitResult
	Boxes []PublicBox
}

// PublicBox is a box as posted: where, when, and whether it is damaged.
type PublicBox struct {
	Place, Schedule string
	Damaged         bool
}

func publicBox(m *homthu.Mailbox) PublicBox {
	return PublicBox{Place: m.Place, Schedule: m.ScheduleLabel(), Damaged: m.Status == homthu.MailboxDamaged}
}

// maxFinderBoxes bounds a commune's list of boxes on one page.
const maxFinderBoxes = 200

// finder answers GET /tim-hom-thu.
func (s *Server) finder(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &FinderPage{Query: strings.TrimSpace(q.Get("q"))}
	p.Title = "Hòm thư góp ý của khu dân cư bạn ở đâu?"
	ctx := r.Context()
	st := s.app.Store
	if len([]rune(p.Query)) > 100 {
		return homthu.Errorf(homthu.EINVALID, "Tên cần tìm dài quá 100 chữ; xin gõ ngắn hơn, chỉ tên riêng của thôn, tổ dân phố hoặc xã, phường.")
	}
	switch {
	case q.Get("duoi") != "":
		u, err := st.FindUnit(ctx, q.Get("duoi"))
		if err != nil {
			return err
		}
		if u.Kind != homthu.KindCommune {
			return homthu.Errorf(homthu.ENOTFOUND, "Không có xã, phường có mã %q.", q.Get("duoi"))
		}
		c := unitResult(u, "")
		p.Commune = &c
		p.Title = "Hòm thư góp ý ở " + c.Name
		boxes, next, err := st.ListMailboxes(ctx, store.MailboxFilter{Scope: u.Code, Limit: maxFinderBoxes})
		if err != nil {
			return err
		}
		p.More = next != ""
		byUnit := map[string]int{}
		for _, m := range boxes {
			if m.Status == homthu.MailboxRemoved {
				continue
			}
			i, ok := byUnit[m.Unit]
			if !ok {
				i = len(p.Results)
				byUnit[m.Unit] = i
				p.Results = append(p.Results, FoundUnit{UnitResult: UnitResult{Code: m.Unit, Name: m.UnitName, Choose: true}})
			}
			p.Results[i].Boxes = append(p.Results[i].Boxes, publicBox(m))
		}
	case p.Query != "":
		p.Searched = true
		us, err := st.SearchUnits(ctx, homthu.UnitFilter{Query: p.Query, Limit: maxResults})
		if err != nil {
			return err
		}
		var codes []string
		at := map[string]int{}
		for _, u := range us {
			if u.Kind != homthu.KindArea && u.Kind != homthu.KindCommune {
				continue
			}
			at[u.Code] = len(p.Results)
			codes = append(codes, u.Code)
			p.Results = append(p.Results, FoundUnit{UnitResult: unitResult(u, p.Query)})
		}
		boxes, err := st.PublicMailboxes(ctx, codes)
		if err != nil {
			return err
		}
		for _, m := range boxes {
			i := at[m.Unit]
			p.Results[i].Boxes = append(p.Results[i].Boxes, publicBox(m))
		}
	}
	s.publicCache(w)
	return s.renderOK(w, r, p)
}

// IsCommune says the unit is a commune, whose areas' boxes have a page.
func (u FoundUnit) IsCommune() bool { return u.Kind == homthu.KindCommune }
