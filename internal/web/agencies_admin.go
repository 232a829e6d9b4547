package web

import (
	"net/http"
	"strconv"

	"homthu/internal/homthu"
)

// The administrators' pages of agencies (issue 9): the competent bodies of
// their unit and below — party committees, inspection committees and
// managing agencies, each at a commune or the province, with the person who
// heads it (the conflict-of-interest check compares the person concerned
// with the head and the handlers) — and the handler accounts of each, whose
// generated password is shown once, on the answer that created it, as the
// users page does for a reset.

// agenciesPath is the list of agencies.
const agenciesPath = "/can-bo/co-quan-tham-quyen"

// AgencyForm is the values of the agency form, kept after an error.
type AgencyForm struct {
	Unit, Kind, Name, HeadName, HeadPosition string
	Disabled                                 bool
}

// AgenciesPage lists the agencies in the administrator's scope with a
// form to add one.
type AgenciesPage struct {
	Base
	Agencies []*homthu.Agency
	Units    []Option
	Kinds    []Option
	Form     AgencyForm
	Error    string
}

func (*AgenciesPage) templateName() string { return "agencies.html" }

// HandlerRow is a handler account of an agency.
type HandlerRow struct {
	ID                           int64
	Username, FullName, Position string
	Disabled                     bool
}

// AgencyPage is one agency: its form, its handlers and a form to add one;
// NewPassword is the generated password of NewUsername, on this answer only.
type AgencyPage struct {
	Base
	Agency       *homthu.Agency
	Form         AgencyForm
	Handlers     []HandlerRow
	Error        string
	HandlerError string
	// The handler form's values, kept after an error.
	Username, FullName, Position string
	NewUsername, NewPassword     string
	Notice                       string
}

func (*AgencyPage) templateName() string { return "agency.html" }

func agencyKindOptions(sel string) []Option {
	var out []Option
	for _, k := range homthu.AgencyKinds {
		out = append(out, Option{Value: string(k), Label: k.Label(), Selected: string(k) == sel})
	}
	return out
}

func (s *Server) agenciesPage(r *http.Request, sess *homthu.Session, form AgencyForm) (*AgenciesPage, error) {
	ags, err := s.app.Agencies(r.Context(), sess)
	if err != nil {
		return nil, err
	}
	p := &AgenciesPage{Base: staffBase("Cơ quan có thẩm quyền", sess), Agencies: ags, Kinds: agencyKindOptions(form.Kind), Form: form}
	// The units an agency may sit at: the administrator's own (a commune
	// or a province) and the communes below it.
	if sess.User.Unit != "" {
		u, err := s.app.Store.FindUnit(r.Context(), sess.User.Unit)
		if err != nil {
			return nil, err
		}
		if u.Kind == homthu.KindCommune || u.Kind == homthu.KindProvince {
			p.Units = append(p.Units, Option{Value: u.Code, Label: u.Name, Selected: form.Unit == u.Code})
		}
		kids, err := s.app.Store.ChildUnits(r.Context(), sess.User.Unit, 5000)
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			if k.Kind == homthu.KindCommune {
				p.Units = append(p.Units, Option{Value: k.Code, Label: k.FullName, Selected: form.Unit == k.Code})
			}
		}
	}
	return p, nil
}

func agencyFormOf(r *http.Request) AgencyForm {
	return AgencyForm{Unit: r.PostForm.Get("don_vi"), Kind: r.PostForm.Get("loai"), Name: r.PostForm.Get("ten"),
		HeadName: r.PostForm.Get("nguoi_dung_dau"), HeadPosition: r.PostForm.Get("chuc_vu"), Disabled: r.PostForm.Get("ngung") == "1"}
}

// agencies answers GET /can-bo/co-quan-tham-quyen.
func (s *Server) agencies(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p, err := s.agenciesPage(r, sess, AgencyForm{})
	if err != nil {
		return err
	}
	return s.renderOK(w, r, p)
}

// createAgency answers POST /can-bo/co-quan-tham-quyen: don_vi, loai, ten,
// nguoi_dung_dau, chuc_vu → the new agency's page.
func (s *Server) createAgency(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	form := agencyFormOf(r)
	ag := &homthu.Agency{Unit: form.Unit, Kind: homthu.AgencyKind(form.Kind), Name: form.Name, HeadName: form.HeadName, HeadPosition: form.HeadPosition}
	err := s.app.CreateAgency(r.Context(), sess, ag)
	if err == nil {
		http.Redirect(w, r, agencyAdminPath(ag.ID)+"?da=tao", http.StatusSeeOther)
		return nil
	}
	c := homthu.ErrorCode(err)
	if c != homthu.EINVALID && c != homthu.ECONFLICT && c != homthu.ENOTFOUND {
		return err
	}
	p, perr := s.agenciesPage(r, sess, form)
	if perr != nil {
		return perr
	}
	p.Error = homthu.ErrorMessage(err)
	status := statusOf(err)
	if c == homthu.ENOTFOUND {
		status = http.StatusBadRequest // a unit outside the scope is a bad choice in the form
	}
	s.render(w, r, status, p)
	return nil
}

func agencyAdminPath(id int64) string { return agenciesPath + "/" + strconv.FormatInt(id, 10) }

// agencyParam reads the {agency} of the path; a malformed one is not found.
func agencyParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("agency"), 10, 64)
	if err != nil || id <= 0 {
		return 0, homthu.Errorf(homthu.ENOTFOUND, "Không có cơ quan này.")
	}
	return id, nil
}

func (s *Server) agencyAdminPage(r *http.Request, sess *homthu.Session) (*AgencyPage, error) {
	id, err := agencyParam(r)
	if err != nil {
		return nil, err
	}
	ag, err := s.app.Agency(r.Context(), sess, id)
	if err != nil {
		return nil, err
	}
	p := &AgencyPage{Base: staffBase(ag.Name, sess), Agency: ag,
		Form: AgencyForm{Unit: ag.Unit, Kind: string(ag.Kind), Name: ag.Name, HeadName: ag.HeadName, HeadPosition: ag.HeadPosition, Disabled: ag.Disabled}}
	hs, err := s.app.Handlers(r.Context(), sess, id)
	if err != nil {
		return nil, err
	}
	for _, u := range hs {
		p.Handlers = append(p.Handlers, HandlerRow{ID: u.ID, Username: u.Username, FullName: u.FullName, Position: u.Position, Disabled: u.Disabled})
	}
	return p, nil
}

// agencyAdmin answers GET /can-bo/co-quan-tham-quyen/{agency}.
func (s *Server) agencyAdmin(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p, err := s.agencyAdminPage(r, sess)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("da") {
	case "tao":
		p.Notice = "Đã thêm cơ quan. Xin tạo tài khoản cho cán bộ của cơ quan để họ nhận văn bản chuyển."
	case "luu":
		p.Notice = "Đã lưu thông tin cơ quan."
	}
	return s.renderOK(w, r, p)
}

// updateAgency answers POST /can-bo/co-quan-tham-quyen/{agency}: ten,
// nguoi_dung_dau, chuc_vu, ngung (1: no longer receives referrals).
func (s *Server) updateAgency(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	id, err := agencyParam(r)
	if err != nil {
		return err
	}
	form := agencyFormOf(r)
	err = s.app.UpdateAgency(r.Context(), sess, &homthu.Agency{ID: id, Name: form.Name, HeadName: form.HeadName, HeadPosition: form.HeadPosition, Disabled: form.Disabled})
	if err == nil {
		http.Redirect(w, r, agencyAdminPath(id)+"?da=luu", http.StatusSeeOther)
		return nil
	}
	if c := homthu.ErrorCode(err); c != homthu.EINVALID && c != homthu.ECONFLICT {
		return err
	}
	p, perr := s.agencyAdminPage(r, sess)
	if perr != nil {
		return perr
	}
	form.Unit, form.Kind = p.Form.Unit, p.Form.Kind
	p.Form, p.Error = form, homthu.ErrorMessage(err)
	s.render(w, r, statusOf(err), p)
	return nil
}

// createHandler answers POST /can-bo/co-quan-tham-quyen/{agency}/can-bo:
// ten_dang_nhap, ho_ten, chuc_vu → the agency's page with the generated
// password, shown once.
func (s *Server) createHandler(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	id, err := agencyParam(r)
	if err != nil {
		return err
	}
	username, fullName, position := r.PostForm.Get("ten_dang_nhap"), r.PostForm.Get("ho_ten"), r.PostForm.Get("chuc_vu")
	u, pw, err := s.app.CreateHandler(r.Context(), sess, id, username, fullName, position)
	if err != nil {
		if c := homthu.ErrorCode(err); c != homthu.EINVALID && c != homthu.ECONFLICT {
			return err
		}
	}
	p, perr := s.agencyAdminPage(r, sess)
	if perr != nil {
		return perr
	}
	if err != nil {
		p.Username, p.FullName, p.Position, p.HandlerError = username, fullName, position, homthu.ErrorMessage(err)
		s.render(w, r, statusOf(err), p)
		return nil
	}
	p.NewUsername, p.NewPassword = u.Username, pw
	return s.renderOK(w, r, p)
}
