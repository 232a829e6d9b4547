package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
)

// The Front's records (issue 10) on one page per unit and period: the ratio
// of the units below that signed a coordination programme ("8/8"), the
// programmes, the activities and the pilot units, and the three forms that
// add them. Without JavaScript: the forms are plain multipart posts, and
// one that comes back with an error keeps what was typed.

const recordsPath = "/can-bo/cong-tac"

// RecordsPage is GET /can-bo/cong-tac?don-vi=&tu=&den=.
type RecordsPage struct {
	Base
	Unit       UnitResult
	From, To   string
	Records    *app.Records
	ChildLabel string
	// Units are the unit and the units below it, for the forms' unit choice.
	Units []UnitResult
	Kinds []homthu.ActivityKind
	// CanWrite shows the forms.
	CanWrite bool
	// Form is the form that came back ("programme", "activity", "pilot"),
	// with its values and error.
	Form, Error string
	vals        url.Values
	// NextProgrammes and NextActivities page on.
	NextProgrammes, NextActivities string
}

func (*RecordsPage) templateName() string { return "records.html" }

// V is the value a field of form had when it came back, or def.
func (p *RecordsPage) V(form, name, def string) string {
	if p.Form == form && p.vals != nil {
		return p.vals.Get(name)
	}
	return def
}

// ErrFor is the error when form came back.
func (p *RecordsPage) ErrFor(form string) string {
	if p.Form == form {
		return p.Error
	}
	return ""
}

// UnitChoice is the unit select of a form.
type UnitChoice struct {
	Prefix, Selected string
	Units            []UnitResult
}

// UnitChoice is the unit select of form, its ids prefixed.
func (p *RecordsPage) UnitChoice(prefix, form string) UnitChoice {
	return UnitChoice{Prefix: prefix, Selected: p.V(form, "don_vi", p.Unit.Code), Units: p.Units}
}

// Ratio is "8/8".
func (p *RecordsPage) Ratio() string {
	return strconv.Itoa(p.Records.Signed) + "/" + strconv.Itoa(p.Records.Units)
}

// recordsPeriod reads ?tu= and ?den= (YYYY-MM-DD), this year by default.
func (s *Server) recordsPeriod(q url.Values) (string, string, error) {
	y := s.now().In(homthu.VNTime).Year()
	from, to := q.Get("tu"), q.Get("den")
	if from == "" {
		from = fmt.Sprintf("%d-01-01", y)
	}
	if to == "" {
		to = fmt.Sprintf("%d-12-31", y)
	}
	for _, d := range []string{from, to} {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return "", "", homthu.Errorf(homthu.EINVALID, "Ngày %q không hợp lệ; xin ghi theo dạng năm-tháng-ngày, ví dụ 2026-01-31.", d)
		}
	}
	if to < from {
		return "", "", homthu.Errorf(homthu.EINVALID, "Ngày kết thúc (%s) trước ngày bắt đầu (%s).", to, from)
	}
	return from, to, nil
}

func (s *Server) recordsPage(r *http.Request, sess *homthu.Session, q url.Values) (*RecordsPage, error) {
	from, to, err := s.recordsPeriod(q)
	if err != nil {
		return nil, err
	}
	unit := q.Get("don-vi")
	if unit == "" {
		unit = sess.User.Unit
	}
	var bp, ba int64
	for _, c := range []struct {
		key string
		dst *int64
	}{{"truoc-ct", &bp}, {"truoc-hd", &ba}} {
		if v := q.Get(c.key); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return nil, homthu.Errorf(homthu.EINVALID, "Trang %q không hợp lệ.", v)
			}
			*c.dst = n
		}
	}
	recs, err := s.app.Records(r.Context(), sess, unit, from, to, bp, ba)
	if err != nil {
		return nil, err
	}
	u, err := s.app.Store.FindUnit(r.Context(), unit)
	if err != nil {
		return nil, err
	}
	p := &RecordsPage{Base: staffBase("Chương trình phối hợp, hoạt động, điểm chỉ đạo", sess), Unit: unitResult(u, ""), From: from, To: to,
		Records: recs, ChildLabel: recs.ChildKind.Label(), Kinds: homthu.ActivityKinds, CanWrite: sess.User.Role.Can(homthu.ActManageRecords)}
	p.Units = append(p.Units, p.Unit)
	if u.Kind != homthu.KindArea {
		kids, err := s.app.Store.ChildUnits(r.Context(), u.Code, 500)
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			p.Units = append(p.Units, UnitResult{Code: k.Code, Name: k.FullName, Kind: k.Kind})
		}
	}
	base := fmt.Sprintf("%s?don-vi=%s&tu=%s&den=%s", recordsPath, url.QueryEscape(unit), from, to)
	if recs.NextProgramme != 0 {
		p.NextProgrammes = fmt.Sprintf("%s&truoc-ct=%d", base, recs.NextProgramme)
	}
	if recs.NextActivity != 0 {
		p.NextActivities = fmt.Sprintf("%s&truoc-hd=%d", base, recs.NextActivity)
	}
	return p, nil
}

// records answers GET /can-bo/cong-tac.
func (s *Server) records(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p, err := s.recordsPage(r, sess, r.URL.Query())
	if err != nil {
		return err
	}
	return s.renderOK(w, r, p)
}

// recordPost handles the three forms: read (multipart), build, create,
// and back to the page of the unit and period, or the page again with
// the form's values and error.
func (s *Server) recordPost(form string, create func(r *http.Request, sess *homthu.Session, in *submitInput) error) staffFunc {
	return func(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
		in, err := s.readSubmitForm(w, r)
		if err != nil {
			return err
		}
		v := in.vals
		q := url.Values{"don-vi": {v.Get("trang_don_vi")}, "tu": {v.Get("tu")}, "den": {v.Get("den")}}
		err = in.fileErr
		if err == nil {
			err = create(r, sess, in)
		}
		if err != nil {
			if homthu.ErrorCode(err) == homthu.EINTERNAL {
				return err
			}
			p, perr := s.recordsPage(r, sess, q)
			if perr != nil {
				return perr
			}
			p.Form, p.Error, p.vals = form, homthu.ErrorMessage(err), v
			s.render(w, r, statusOf(err), p)
			return nil
		}
		http.Redirect(w, r, recordsPath+"?"+q.Encode()+"#"+form, http.StatusSeeOther)
		return nil
	}
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// parseByOrg reads "Hội Nông dân: 25" lines.
func parseByOrg(s string) ([]homthu.OrgCount, error) {
	var out []homthu.OrgCount
	for _, l := range lines(s) {
		i := strings.LastIndex(l, ":")
		n, err := strconv.Atoi(strings.TrimSpace(l[i+1:]))
		if i < 0 || err != nil {
			return nil, homthu.Errorf(homthu.EINVALID, "Số người theo tổ chức: dòng “%s” cần dạng “tên tổ chức: số người”, ví dụ “Hội Nông dân: 25”.", l)
		}
		out = append(out, homthu.OrgCount{Org: strings.TrimSpace(l[:i]), Count: n})
	}
	return out, nil
}

func (s *Server) createProgramme(r *http.Request, sess *homthu.Session, in *submitInput) error {
	v := in.vals
	p := homthu.Programme{Unit: v.Get("don_vi"), Number: v.Get("so"), SignedOn: v.Get("ngay_ky"), Title: v.Get("ten"),
		Parties: lines(v.Get("cac_ben")), Scope: v.Get("pham_vi"), From: v.Get("tu_ngay"), To: v.Get("den_ngay")}
	if len(in.added) > 1 {
		return homthu.Errorf(homthu.EINVALID, "Tệp: chương trình có một tệp văn bản.")
	}
	if len(in.added) == 1 {
		p.File = &in.added[0]
	}
	_, err := s.app.CreateProgramme(r.Context(), sess, p)
	return err
}

func (s *Server) createActivity(r *http.Request, sess *homthu.Session, in *submitInput) error {
	v := in.vals
	n, err := strconv.Atoi(strings.TrimSpace(v.Get("so_nguoi")))
	if err != nil {
		return homthu.Errorf(homthu.EINVALID, "Số người tham dự: %q không phải một số.", v.Get("so_nguoi"))
	}
	by, err := parseByOrg(v.Get("theo_to_chuc"))
	if err != nil {
		return err
	}
	_, err = s.app.CreateActivity(r.Context(), sess, homthu.Activity{Unit: v.Get("don_vi"), Kind: homthu.ActivityKind(v.Get("loai")),
		HeldOn: v.Get("ngay"), Topic: v.Get("chu_de"), Participants: n, ByOrg: by, Outcome: v.Get("ket_qua"), Files: in.added})
	return err
}

func (s *Server) createPilot(r *http.Request, sess *homthu.Session, in *submitInput) error {
	v := in.vals
	_, err := s.app.CreatePilot(r.Context(), sess, homthu.Pilot{Unit: v.Get("don_vi"), From: v.Get("tu_ngay"), To: v.Get("den_ngay"), Note: v.Get("ghi_chu")})
	return err
}

// serveRecordFile sends a stored file as a download the browser does not render.
func (s *Server) serveRecordFile(w http.ResponseWriter, a *homthu.Attachment) error {
	if s.app.Blobs == nil {
		return fmt.Errorf("web.serveRecordFile: no blob store configured")
	}
	f, err := s.app.Blobs.Open(a.SHA256)
	if err != nil {
		return fmt.Errorf("web.serveRecordFile: %w", err)
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", a.Type)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if _, err := io.Copy(w, f); err != nil {
		s.log.Warn("web: record file copy", "err", err)
	}
	return nil
}

// programmeFile answers GET /can-bo/cong-tac/chuong-trinh/{programme}/tep.
func (s *Server) programmeFile(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := strconv.ParseInt(r.PathValue("programme"), 10, 64)
	if err != nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy chương trình phối hợp này.")
	}
	p, err := s.app.Programme(r.Context(), sess, id)
	if err != nil {
		return err
	}
	if p.File == nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Chương trình này chưa có tệp văn bản.")
	}
	return s.serveRecordFile(w, p.File)
}

// activityFile answers GET /can-bo/cong-tac/hoat-dong/{activity}/tep/{n}.
func (s *Server) activityFile(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err1 := strconv.ParseInt(r.PathValue("activity"), 10, 64)
	n, err2 := strconv.Atoi(r.PathValue("n"))
	if err1 != nil || err2 != nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Không có tệp này.")
	}
	a, err := s.app.ActivityFile(r.Context(), sess, id, n)
	if err != nil {
		return err
	}
	return s.serveRecordFile(w, a)
}
