package web

import (
	"context"
	"net/http"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// AreaPage is step 1 of sending: find the residential area (or the commune)
// the feedback is about, by typing its name — with or without diacritics,
// or the name the commune had before the 2025 merger — or by browsing
// province → commune → area.
type AreaPage struct {
	Base
	Query    string
	Searched bool
	Results  []UnitResult
	// Parent is the unit being browsed (?duoi=CODE), with Results its children.
	Parent *UnitResult
	// Provinces are offered for browsing when nothing was typed.
	Provinces []UnitResult
	Error     string
}

func (*AreaPage) templateName() string { return "area.html" }

// UnitResult is one unit in a search result or a list.
type UnitResult struct {
	Code string
	Name string // full name, e.g. "Tổ dân phố Hòa Bình"
	Kind homthu.UnitKind
	// Path is the units above, nearest first: "Phường Hoa Lư › Tỉnh Ninh Bình".
	Path string
	// Formerly lists the former names that matched the query, shown as
	// "trước đây: …" when the current name did not match.
	Formerly []string
	// Choose says the unit can receive feedback (an area or a commune);
	// Browse that it has units below worth listing.
	Choose, Browse bool
}

// KindLabel is the Vietnamese name of the unit's level.
func (u UnitResult) KindLabel() string { return u.Kind.Label() }

// unitResult describes u for a list; query (possibly empty) decides which
// former names to show.
func unitResult(u *homthu.Unit, query string) UnitResult {
	res := UnitResult{
		Code:   u.Code,
		Name:   u.FullName,
		Kind:   u.Kind,
		Choose: u.Kind == homthu.KindArea || u.Kind == homthu.KindCommune,
		Browse: u.Kind != homthu.KindArea,
	}
	if res.Name == "" {
		res.Name = u.Name
	}
	var above []string
	for i := len(u.PathNames) - 2; i >= 0; i-- {
		above = append(above, u.PathNames[i])
	}
	res.Path = strings.Join(above, " › ")
	if q := vntext.Fold(query); q != "" && !strings.Contains(vntext.Fold(u.FullName+" "+u.Name), q) {
		for _, f := range u.Formerly {
			if strings.Contains(vntext.Fold(f), q) {
				res.Formerly = append(res.Formerly, f)
			}
		}
		if len(res.Formerly) == 0 {
			res.Formerly = u.Formerly
		}
	}
	return res
}

// maxResults bounds a search result list on a phone screen.
const maxResults = 30

func (s *Server) areaPage(ctx context.Context, query, under string) (*AreaPage, int) {
	p := &AreaPage{Query: strings.TrimSpace(query)}
	p.Title = "Gửi phản ánh — chọn nơi xảy ra việc"
	p.Script = true
	st := s.app.Store
	switch {
	case under != "":
		u, err := st.FindUnit(ctx, under)
		if err != nil {
			p.Error = homthu.ErrorMessage(err)
			s.logIfInternalCtx(err)
			return p, statusOf(err)
		}
		parent := unitResult(u, "")
		p.Parent = &parent
		kids, err := st.ChildUnits(ctx, u.Code, 5000)
		if err != nil {
			s.logIfInternalCtx(err)
			p.Error = homthu.ErrorMessage(err)
			return p, statusOf(err)
		}
		for _, k := range kids {
			k.PathNames = append(append([]string(nil), u.PathNames...), k.FullName)
			p.Results = append(p.Results, unitResult(k, ""))
		}
	case p.Query != "":
		p.Searched = true
		us, err := st.SearchUnits(ctx, homthu.UnitFilter{Query: p.Query, Limit: maxResults})
		if err != nil {
			s.logIfInternalCtx(err)
			p.Error = homthu.ErrorMessage(err)
			return p, statusOf(err)
		}
		for _, u := range us {
			p.Results = append(p.Results, unitResult(u, p.Query))
		}
	default:
		provs, err := st.ChildUnits(ctx, "", 100)
		if err != nil {
			s.logIfInternalCtx(err)
			p.Error = homthu.ErrorMessage(err)
			return p, statusOf(err)
		}
		for _, u := range provs {
			u.PathNames = []string{u.FullName}
			p.Provinces = append(p.Provinces, unitResult(u, ""))
		}
	}
	return p, http.StatusOK
}

// logIfInternalCtx logs an internal error met while building a page that
// still renders (with the error's message in it).
func (s *Server) logIfInternalCtx(err error) {
	if homthu.ErrorCode(err) == homthu.EINTERNAL {
		s.log.Error("web: internal error", "err", err)
	}
}

// chooseArea returns the unit a citizen chose, if feedback can be sent
// about it: a current residential area or commune.
func (s *Server) chooseArea(ctx context.Context, code string) (*homthu.Unit, error) {
	u, err := s.app.Store.FindUnit(ctx, code)
	if homthu.ErrorCode(err) == homthu.ENOTFOUND {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy khu dân cư hoặc xã, phường này. Xin tìm và chọn lại.")
	} else if err != nil {
		return nil, err
	}
	if !u.ValidTo.IsZero() {
		return nil, homthu.Errorf(homthu.EINVALID, "%s không còn là đơn vị hành chính (đã sáp nhập). Xin tìm theo tên cũ hoặc tên mới để chọn đơn vị hiện nay.", u.FullName)
	}
	if u.Kind != homthu.KindArea && u.Kind != homthu.KindCommune {
		return nil, homthu.Errorf(homthu.EINVALID, "Xin chọn một khu dân cư (thôn, xóm, tổ dân phố…) hoặc một xã, phường; %s là cấp %s.", u.FullName, u.Kind.Label())
	}
	return u, nil
}
