package web

import (
	"net/http"
	"strconv"

	"homthu/internal/homthu"
)

// TriagePage is the triage form of one item (issue 9, "Triage"): the kind,
// the standards of the catalogues it concerns (several allowed, grouped as
// posted), the person concerned, the priority and the staff's notes, and
// for an item outside the Front's remit the explanation the submitter
// reads. The form carries the item's version: a form made stale by another
// change is refused with a conflict message, and nothing is saved.
type TriagePage struct {
	Base
	Item     *homthu.Item
	Version  int
	Kinds    []Option
	Catalogs []CatalogChoice
	Subject  homthu.Subject
	Party    []Option
	Managed  []Option
	Priority []Option
	Notes    string
	// Explanation is the text for the submitter of an item outside scope.
	Explanation string
	// Error says why the form was refused; Conflict marks a stale form.
	Error    string
	Conflict bool
}

func (*TriagePage) templateName() string { return "triage.html" }

// CatalogChoice is one catalogue of standards as checkboxes, by group.
type CatalogChoice struct {
	Title  string
	Groups []GroupChoice
}

// GroupChoice is one group of a catalogue.
type GroupChoice struct {
	Title     string
	Standards []StandardChoice
}

// StandardChoice is one checkbox: a standard's code, heading and title.
type StandardChoice struct {
	Code, Heading, Title string
	Checked, Retired     bool
}

// triageForm is what the form sent, as the app takes it.
func triageForm(r *http.Request) (homthu.Triage, int, error) {
	f := r.PostForm
	t := homthu.Triage{
		Kind:       homthu.Kind(f.Get("kind")),
		Categories: f["category"],
		Subject: homthu.Subject{Name: f.Get("subject_name"), Position: f.Get("subject_position"), Workplace: f.Get("subject_workplace"),
			PartyMember: homthu.YesNo(f.Get("subject_party")), ManagedBy: homthu.ManagedBy(f.Get("subject_managed")), Unit: f.Get("subject_unit")},
		Priority:    homthu.Priority(f.Get("priority")),
		Notes:       f.Get("notes"),
		Explanation: f.Get("explanation"),
	}
	v, err := strconv.Atoi(f.Get("version"))
	if err != nil || v < 0 {
		return t, 0, homthu.Errorf(homthu.EINVALID, "Biểu mẫu thiếu phiên bản của thư, đơn. Xin mở lại trang phân loại rồi làm lại.")
	}
	return t, v, nil
}

// triagePage fills the form from the item (GET) or from what was sent.
func (s *Server) triagePage(r *http.Request, sess *homthu.Session, it *homthu.Item, t *homthu.Triage, version int) (*TriagePage, error) {
	p := &TriagePage{Base: staffBase("Phân loại thư, đơn", sess), Item: it, Version: version}
	if t == nil {
		t = &homthu.Triage{Kind: it.Kind, Categories: homthu.CategoryCodes(it.Categories), Subject: it.Subject, Priority: it.Priority, Notes: it.Notes}
	}
	p.Subject, p.Notes, p.Explanation = t.Subject, t.Notes, t.Explanation
	for _, k := range homthu.Kinds {
		p.Kinds = append(p.Kinds, Option{Value: string(k), Label: k.Label(), Selected: t.Kind == k})
	}
	for _, v := range []homthu.YesNo{homthu.Unknown, homthu.Yes, homthu.No} {
		p.Party = append(p.Party, Option{Value: string(v), Label: v.Label(), Selected: t.Subject.PartyMember == v})
	}
	p.Managed = append(p.Managed, Option{Value: "", Label: homthu.ManagedUnknown.Label(), Selected: t.Subject.ManagedBy == ""})
	for _, m := range homthu.ManagementLevels {
		p.Managed = append(p.Managed, Option{Value: string(m), Label: m.Label(), Selected: t.Subject.ManagedBy == m})
	}
	prio := t.Priority
	if prio == "" {
		prio = homthu.PriorityNormal
	}
	for _, v := range homthu.Priorities {
		p.Priority = append(p.Priority, Option{Value: string(v), Label: v.Label(), Selected: prio == v})
	}
	checked := map[string]bool{}
	for _, c := range t.Categories {
		checked[c] = true
	}
	had := map[string]bool{}
	for _, c := range it.Categories {
		had[c.Code] = true
	}
	cats, err := s.app.Catalogs(r.Context())
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		cc := CatalogChoice{Title: c.ShortTitle()}
		for _, g := range c.Groups {
			gc := GroupChoice{Title: g.Title}
			for _, st := range c.InGroup(g.Code) {
				// A retired standard is offered only to an item already
				// classified under it, which keeps it (internal/catalog).
				if st.Retired && !had[st.Code] {
					continue
				}
				gc.Standards = append(gc.Standards, StandardChoice{Code: st.Code, Heading: st.Heading(), Title: st.Title,
					Checked: checked[st.Code], Retired: st.Retired})
			}
			if len(gc.Standards) > 0 {
				cc.Groups = append(cc.Groups, gc)
			}
		}
		p.Catalogs = append(p.Catalogs, cc)
	}
	return p, nil
}

// triageEdit answers GET /can-bo/thu/{id}/phan-loai.
func (s *Server) triageEdit(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	it, _, err := s.app.Item(r.Context(), sess, r.PathValue("id"))
	if err != nil {
		return err
	}
	p, err := s.triagePage(r, sess, it, nil, it.Version)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, p)
	return nil
}

// triage answers POST /can-bo/thu/{id}/phan-loai: the classification saved,
// then the item page with what the rules say; refused, the form again with
// what was typed and why (400), or, made stale by another change, with the
// item as it is now and the conflict message (409).
func (s *Server) triage(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	t, version, err := triageForm(r)
	if err == nil {
		_, err = s.app.Triage(r.Context(), sess, id, version, t)
	}
	if err == nil {
		http.Redirect(w, r, itemPath(id)+"?xong="+string(homthu.EvTriage), http.StatusSeeOther)
		return nil
	}
	code := homthu.ErrorCode(err)
	if code != homthu.EINVALID && code != homthu.ECONFLICT {
		return err
	}
	it, _, ierr := s.app.Item(r.Context(), sess, id)
	if ierr != nil {
		return ierr
	}
	// A stale form shows the item's classification and version as they are
	// now, so that sending it again is a decision made on what is there.
	stale := code == homthu.ECONFLICT && version != it.Version
	kept := &t
	if stale {
		kept, version = nil, it.Version
	}
	p, perr := s.triagePage(r, sess, it, kept, version)
	if perr != nil {
		return perr
	}
	p.Error, p.Conflict = homthu.ErrorMessage(err), stale
	s.render(w, r, statusOf(err), p)
	return nil
}

// itemPath is the staff page of an item.
func itemPath(id string) string { return "/can-bo/thu/" + id }
