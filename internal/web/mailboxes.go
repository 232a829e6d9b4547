package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// The mailbox registry (issue 8): the feedback boxes of a unit's areas,
// each with its place, install date, state and schedule; a box's page with
// its latest openings and the button that starts one. Commune staff and
// administrators register and change boxes; the area committee sees its
// own area's boxes and opens them.

const mailboxesPath = "/can-bo/hom-thu"

// MailboxesPage lists the mailboxes of a unit of the session's scope.
type MailboxesPage struct {
	Base
	UnitName, UnitCode string
	Up                 string // the list of the unit above, when in scope
	Below              []Option
	Statuses           []Option
	Boxes              []MailboxRow
	Next, First        string
	CanManage          bool
	New                string // the form for a new box, in this unit
}

func (*MailboxesPage) templateName() string { return "mailboxes.html" }

// MailboxRow is one mailbox of the list.
type MailboxRow struct {
	Href, Place, Unit, Commune, Installed, Status, Schedule string
	Damaged, Removed                                        bool
}

func mailboxHref(id int64) string { return mailboxesPath + "/" + strconv.FormatInt(id, 10) }

func mailboxRow(m *homthu.Mailbox) MailboxRow {
	return MailboxRow{Href: mailboxHref(m.ID), Place: m.Place, Unit: m.UnitName, Commune: m.CommuneName,
		Installed: vnDate(m.InstalledOn), Status: m.Status.Label(), Schedule: m.ScheduleLabel(),
		Damaged: m.Status == homthu.MailboxDamaged, Removed: m.Status == homthu.MailboxRemoved}
}

func boxStatusOptions(selected homthu.MailboxStatus, any bool) []Option {
	var out []Option
	if any {
		out = append(out, Option{Value: "", Label: "Mọi tình trạng", Selected: selected == ""})
	}
	for _, st := range homthu.MailboxStatuses {
		out = append(out, Option{Value: string(st), Label: st.Label(), Selected: st == selected})
	}
	return out
}

// mailboxes answers GET /can-bo/hom-thu?don-vi=&tinh-trang=&sau=.
func (s *Server) mailboxes(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	q := r.URL.Query()
	unit, below, err := s.app.MailboxUnits(r.Context(), sess, q.Get("don-vi"))
	if err != nil {
		return err
	}
	status := homthu.MailboxStatus(q.Get("tinh-trang"))
	if status != "" && !status.Valid() {
		return homthu.Errorf(homthu.EINVALID, "Tình trạng hòm thư %q không hợp lệ.", status)
	}
	if len(q.Get("sau")) > 200 {
		return homthu.Errorf(homthu.EINVALID, "Con trỏ phân trang (cursor) không hợp lệ.")
	}
	boxes, next, err := s.app.Mailboxes(r.Context(), sess, store.MailboxFilter{Unit: unit.Code, Status: status, Cursor: q.Get("sau"), Limit: 50})
	if err != nil {
		return err
	}
	link := func(unit string, cursor string) string {
		v := url.Values{}
		if unit != sess.User.Unit {
			v.Set("don-vi", unit)
		}
		if status != "" {
			v.Set("tinh-trang", string(status))
		}
		if cursor != "" {
			v.Set("sau", cursor)
		}
		if len(v) == 0 {
			return mailboxesPath
		}
		return mailboxesPath + "?" + v.Encode()
	}
	p := &MailboxesPage{Base: staffBase("Hòm thư góp ý", sess), UnitName: unit.FullName, UnitCode: unit.Code,
		Statuses: boxStatusOptions(status, true), CanManage: sess.User.Role.Can(homthu.ActManageMailboxes)}
	if unit.Code != sess.User.Unit && unit.Parent != "" {
		p.Up = link(unit.Parent, "")
	}
	if len(below) > 0 {
		p.Below = append(p.Below, Option{Value: unit.Code, Label: "Tất cả (" + unit.FullName + ")"})
		for _, u := range below {
			p.Below = append(p.Below, Option{Value: u.Code, Label: u.FullName})
		}
	}
	for _, m := range boxes {
		p.Boxes = append(p.Boxes, mailboxRow(m))
	}
	if next != "" {
		p.Next = link(unit.Code, next)
	}
	if q.Get("sau") != "" {
		p.First = link(unit.Code, "")
	}
	if p.CanManage && unit.Kind != homthu.KindProvince && unit.Kind != homthu.KindDistrict {
		p.New = mailboxesPath + "/moi?don-vi=" + url.QueryEscape(unit.Code)
	} else if p.CanManage {
		p.New = mailboxesPath + "/moi"
	}
	return s.renderOK(w, r, p)
}

// MailboxFormPage registers a mailbox (ID 0) or changes one.
type MailboxFormPage struct {
	Base
	ID int64
	// Unit is the chosen area (or commune) code. A box being changed
	// keeps its unit, named UnitName. A new one is chosen among Units, the
	// areas of the commune Commune (and its office); a province's officer
	// first chooses the commune among Communes.
	Unit, UnitName, Commune string
	Units                   []Option
	Communes                []Option
	In                      homthu.MailboxInput
	Statuses                []Option
	Error                   string
}

func (*MailboxFormPage) templateName() string { return "mailbox_form.html" }

// Action is where the form posts.
func (p *MailboxFormPage) Action() string {
	if p.ID != 0 {
		return mailboxHref(p.ID)
	}
	return mailboxesPath
}

// DayValue is the day of the month as the field shows it.
func (p *MailboxFormPage) DayValue() string { return strconv.Itoa(p.In.Day) }

// newMailboxForm answers GET /can-bo/hom-thu/moi?don-vi=: the areas of a
// commune to choose from (a province's officer first chooses the commune).
func (s *Server) newMailboxForm(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p := &MailboxFormPage{Base: staffBase("Đăng ký hòm thư", sess), In: homthu.MailboxInput{Day: 10, InstalledOn: homthu.Today(s.now())}}
	if err := s.fillMailboxUnits(r, sess, p, r.URL.Query().Get("don-vi")); err != nil {
		return err
	}
	p.Statuses = boxStatusOptions(homthu.MailboxInUse, false)
	return s.renderOK(w, r, p)
}

// fillMailboxUnits fills the choice of the box's unit from code (a commune
// or an area of the session's scope, or "" for the session's unit).
func (s *Server) fillMailboxUnits(r *http.Request, sess *homthu.Session, p *MailboxFormPage, code string) error {
	unit, below, err := s.app.MailboxUnits(r.Context(), sess, code)
	if err != nil {
		return err
	}
	switch unit.Kind {
	case homthu.KindArea:
		p.Unit = unit.Code
		parent, err := s.app.Store.FindUnit(r.Context(), unit.Parent)
		if err != nil || !inPath(parent.Path, sess.User.Unit) {
			p.UnitName = unit.FullName // an area's own session: nothing to choose
			return nil
		}
		return s.fillMailboxUnits(r, sess, p, parent.Code)
	case homthu.KindCommune:
		p.Commune = unit.FullName
		if p.Unit == "" && len(below) > 0 {
			p.Unit = below[0].Code
		} else if p.Unit == "" {
			p.Unit = unit.Code
		}
		for _, u := range below {
			p.Units = append(p.Units, Option{Value: u.Code, Label: u.FullName, Selected: p.Unit == u.Code})
		}
		p.Units = append(p.Units, Option{Value: unit.Code, Label: "Trụ sở Mặt trận " + unit.FullName, Selected: p.Unit == unit.Code})
	default:
		for _, u := range below {
			p.Communes = append(p.Communes, Option{Value: u.Code, Label: u.FullName})
		}
	}
	return nil
}

// inPath reports whether code is one of the path's units.
func inPath(path []string, code string) bool {
	for _, c := range path {
		if c == code {
			return true
		}
	}
	return false
}

// mailboxInput reads the mailbox form.
func mailboxInput(v url.Values) (homthu.MailboxInput, error) {
	in := homthu.MailboxInput{Unit: v.Get("don_vi"), Place: v.Get("noi_dat"), InstalledOn: v.Get("ngay_lap"),
		Status: homthu.MailboxStatus(v.Get("tinh_trang")), RemovedOn: v.Get("ngay_go"), Note: v.Get("ghi_chu")}
	if d := strings.TrimSpace(v.Get("ngay_mo")); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			return in, homthu.Errorf(homthu.EINVALID, "Ngày mở hòm hằng tháng phải là một số từ 1 đến 31 (hoặc 0: ngày bất kỳ trong tháng).")
		}
		in.Day = n
	}
	return in, nil
}

// createMailbox answers POST /can-bo/hom-thu.
func (s *Server) createMailbox(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	in, err := mailboxInput(r.PostForm)
	var m *homthu.Mailbox
	if err == nil {
		m, err = s.app.CreateMailbox(r.Context(), sess, in)
	}
	if err != nil {
		return s.mailboxFormError(w, r, sess, 0, in, err)
	}
	http.Redirect(w, r, mailboxHref(m.ID)+"?da-luu=1", http.StatusSeeOther)
	return nil
}

// mailboxFormError shows the form again with the error and what was typed
// (an invalid input); any other error is the error page.
func (s *Server) mailboxFormError(w http.ResponseWriter, r *http.Request, sess *homthu.Session, id int64, in homthu.MailboxInput, err error) error {
	if homthu.ErrorCode(err) != homthu.EINVALID {
		return err
	}
	title := "Đăng ký hòm thư"
	if id != 0 {
		title = "Sửa thông tin hòm thư"
	}
	p := &MailboxFormPage{Base: staffBase(title, sess), ID: id, In: in, Unit: in.Unit, Error: homthu.ErrorMessage(err),
		Statuses: boxStatusOptions(in.Status, false)}
	if id == 0 {
		code := in.Unit
		if _, _, uerr := s.app.MailboxUnits(r.Context(), sess, code); uerr != nil {
			code, p.Unit = "", ""
		}
		if ferr := s.fillMailboxUnits(r, sess, p, code); ferr != nil {
			return ferr
		}
	} else if m, merr := s.app.Mailbox(r.Context(), sess, id); merr == nil {
		p.Unit, p.UnitName = m.Unit, m.UnitName
	} else {
		return merr
	}
	s.render(w, r, http.StatusBadRequest, p)
	return nil
}

// mailboxID reads the {mailbox} of the path; a malformed one is not found.
func mailboxID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("mailbox"), 10, 64)
	if err != nil || id <= 0 {
		return 0, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy hòm thư này.")
	}
	return id, nil
}

// editMailboxForm answers GET /can-bo/hom-thu/{mailbox}/sua.
func (s *Server) editMailboxForm(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := mailboxID(r)
	if err != nil {
		return err
	}
	m, err := s.app.Mailbox(r.Context(), sess, id)
	if err != nil {
		return err
	}
	p := &MailboxFormPage{Base: staffBase("Sửa thông tin hòm thư", sess), ID: id, Unit: m.Unit, UnitName: m.UnitName,
		In:       homthu.MailboxInput{Unit: m.Unit, Place: m.Place, InstalledOn: m.InstalledOn, Status: m.Status, RemovedOn: m.RemovedOn, Day: m.Day, Note: m.Note},
		Statuses: boxStatusOptions(m.Status, false)}
	return s.renderOK(w, r, p)
}

// updateMailbox answers POST /can-bo/hom-thu/{mailbox}.
func (s *Server) updateMailbox(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := mailboxID(r)
	if err != nil {
		return err
	}
	if _, err := s.app.Mailbox(r.Context(), sess, id); err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	in, err := mailboxInput(r.PostForm)
	if err == nil {
		_, err = s.app.UpdateMailbox(r.Context(), sess, id, in)
	}
	if err != nil {
		return s.mailboxFormError(w, r, sess, id, in, err)
	}
	http.Redirect(w, r, mailboxHref(id)+"?da-luu=1", http.StatusSeeOther)
	return nil
}

// MailboxPage is one mailbox: its facts, its latest openings, and the
// ways to open it, change it and print its logbook.
type MailboxPage struct {
	Base
	Box       MailboxRow
	Note      string
	Saved     bool
	CanManage bool
	CanOpen   bool
	Edit      string
	Start     string
	Openings  []OpeningRow
	More      string
	Logbooks  []Option // a year's logbook: Value is its link, Label the year
}

func (*MailboxPage) templateName() string { return "mailbox.html" }

// OpeningRow is one opening in a list.
type OpeningRow struct {
	Href, When, State, Symbol string
	Letters                   int
	Sealed, OnTime, Late      bool
}

func openingHref(id int64) string { return openingsPath + "/" + strconv.FormatInt(id, 10) }

func openingRow(o *homthu.Opening) OpeningRow {
	return OpeningRow{Href: openingHref(o.ID), When: vnTime(o.EffectiveOpenedAt()), State: o.State.Label(), Symbol: o.Symbol(),
		Letters: o.LetterCount, Sealed: o.Sealed(), OnTime: o.Sealed() && o.OnTime, Late: o.Sealed() && !o.OnTime}
}

// mailboxPage answers GET /can-bo/hom-thu/{mailbox}?truoc=.
func (s *Server) mailboxPage(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := mailboxID(r)
	if err != nil {
		return err
	}
	m, err := s.app.Mailbox(r.Context(), sess, id)
	if err != nil {
		return err
	}
	cursor := r.URL.Query().Get("truoc")
	if len(cursor) > 200 {
		return homthu.Errorf(homthu.EINVALID, "Con trỏ phân trang (cursor) không hợp lệ.")
	}
	list, next, err := s.app.Openings(r.Context(), sess, store.OpeningFilter{Mailbox: id, Limit: 24, Cursor: cursor})
	if err != nil {
		return err
	}
	href := mailboxHref(id)
	p := &MailboxPage{Base: staffBase(m.Place, sess), Box: mailboxRow(m), Note: m.Note, Saved: r.URL.Query().Get("da-luu") == "1",
		CanManage: sess.User.Role.Can(homthu.ActManageMailboxes), CanOpen: sess.User.Role.Can(homthu.ActRecordOpening) && m.Status != homthu.MailboxRemoved,
		Edit: href + "/sua", Start: href + "/mo"}
	for _, o := range list {
		p.Openings = append(p.Openings, openingRow(o))
	}
	if next != "" {
		p.More = href + "?truoc=" + url.QueryEscape(next)
	}
	first, _ := strconv.Atoi(m.InstalledOn[:4])
	for y := homthu.MonthOf(s.now()).Year; y >= max(first, 2000); y-- {
		p.Logbooks = append(p.Logbooks, Option{Value: href + "/so-theo-doi?nam=" + strconv.Itoa(y), Label: strconv.Itoa(y)})
	}
	return s.renderOK(w, r, p)
}
