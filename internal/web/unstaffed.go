package web

import (
	"net/http"

	"homthu/internal/homthu"
)

// UnstaffedPage lists, for an administrator, the provinces and communes
// under their unit with no Front staff account: items addressed to them go
// to the nearest unit above that has staff (issue 3: "never left unseen").
type UnstaffedPage struct {
	Base
	Units []UnitResult
	Limit int
}

func (*UnstaffedPage) templateName() string { return "unstaffed.html" }

const unstaffedLimit = 1000

func (s *Server) unstaffed(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	us, err := s.app.Store.UnitsWithoutStaff(r.Context(), sess.User.Unit, unstaffedLimit)
	if err != nil {
		return err
	}
	p := &UnstaffedPage{Base: staffBase("Đơn vị chưa có cán bộ", sess), Limit: unstaffedLimit}
	for _, u := range us {
		p.Units = append(p.Units, unitResult(u, ""))
	}
	return s.renderOK(w, r, p)
}

func (s *Server) renderOK(w http.ResponseWriter, r *http.Request, p page) error {
	s.render(w, r, http.StatusOK, p)
	return nil
}
