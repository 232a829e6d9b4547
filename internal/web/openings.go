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

	"homthu/internal/homthu"
	"homthu/internal/secret"
)

// The opening flow (issue 8), for a cheap phone at the cultural house and
// without JavaScript: start an opening (when, who is present, the seal's
// state), register each letter found — each saved as it is registered,
// with an idempotency key in the form so that a re-submit on a weak
// connection never makes a second letter —, remove one registered by
// mistake, then count and seal. Sealed minutes never change; a correction
// is a new record linked to them.

const openingsPath = "/can-bo/mo-hom-thu"

// ParticipantRow is one row of the people-present fieldset.
type ParticipantRow struct {
	N                int // 0 is the person presiding
	Name, Role, Org  string
	Chair, Required  bool
	Legend, NameHint string
}

// participantRows makes the rows of the fieldset from ps, with blank rows
// up to the witnesses needed and two more.
func participantRows(ps []homthu.Participant, witnesses int) []ParticipantRow {
	n := max(len(ps), witnesses+1) + 2
	n = min(n, homthu.MaxParticipants)
	out := make([]ParticipantRow, n)
	for i := range out {
		r := ParticipantRow{N: i, Chair: i == 0, Required: i <= witnesses}
		if i < len(ps) {
			r.Name, r.Role, r.Org = ps[i].Name, ps[i].Role, ps[i].Org
		}
		switch {
		case i == 0:
			r.Legend = "Người chủ trì mở hòm thư"
		case i <= witnesses:
			r.Legend = "Người chứng kiến thứ " + strconv.Itoa(i)
		default:
			r.Legend = "Người chứng kiến thứ " + strconv.Itoa(i) + " (nếu có)"
		}
		out[i] = r
	}
	return out
}

// participantsOf reads the participants of the form: ten_N, chuc_vu_N,
// to_chuc_N for N from 0 (the person presiding); blank rows are dropped by
// OpeningInput.Normalize.
func participantsOf(v url.Values) []homthu.Participant {
	var ps []homthu.Participant
	for i := 0; i < homthu.MaxParticipants+1; i++ {
		n := strconv.Itoa(i)
		if _, ok := v["ten_"+n]; !ok {
			break
		}
		ps = append(ps, homthu.Participant{Name: v.Get("ten_" + n), Role: v.Get("chuc_vu_" + n), Org: v.Get("to_chuc_" + n), Chair: i == 0})
	}
	if len(ps) > 0 && strings.TrimSpace(ps[0].Name) == "" {
		ps[0].Chair = false // no one presides: CheckParticipants says so
	}
	return ps
}

// sealOptions are the states of the seal as radio buttons.
func sealOptions(selected homthu.SealState) []Option {
	var out []Option
	for _, st := range homthu.SealStates {
		out = append(out, Option{Value: string(st), Label: st.Label(), Selected: st == selected})
	}
	return out
}

// openedAt reads the day (YYYY-MM-DD) and time (HH:MM) fields of a form,
// in Vietnam's time.
func openedAt(day, clock string) (time.Time, error) {
	day, clock = strings.TrimSpace(day), strings.TrimSpace(clock)
	if day == "" || clock == "" {
		return time.Time{}, homthu.Errorf(homthu.EINVALID, "Xin ghi ngày và giờ mở hòm thư.")
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, homthu.VNTime)
	if err != nil || t.Year() < 2000 {
		return time.Time{}, homthu.Errorf(homthu.EINVALID, "Ngày, giờ mở hòm thư không hợp lệ: ngày viết NĂM-THÁNG-NGÀY (ví dụ 2026-12-07), giờ viết GIỜ:PHÚT (ví dụ 08:30).")
	}
	return t, nil
}

// StartOpeningPage is the form that starts an opening of a mailbox.
type StartOpeningPage struct {
	Base
	Box          MailboxRow
	Action       string
	Key          string
	Day, Clock   string
	Seals        []Option
	SealNote     string
	Participants []ParticipantRow
	Witnesses    int
	Error        string
	// Edit is set on the form that changes an open opening (no key: a
	// change applied twice is the same change).
	Edit bool
	Back string
}

func (*StartOpeningPage) templateName() string { return "opening_start.html" }

// startOpeningForm answers GET /can-bo/hom-thu/{mailbox}/mo.
func (s *Server) startOpeningForm(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := mailboxID(r)
	if err != nil {
		return err
	}
	m, err := s.app.Mailbox(r.Context(), sess, id)
	if err != nil {
		return err
	}
	now := s.now().In(homthu.VNTime)
	p := &StartOpeningPage{Base: staffBase("Mở hòm thư", sess), Box: mailboxRow(m), Action: mailboxHref(id) + "/mo", Key: secret.Token(),
		Day: now.Format(time.DateOnly), Clock: now.Format("15:04"), Seals: sealOptions(homthu.SealIntact),
		Participants: participantRows(nil, s.app.MinWitnesses()), Witnesses: s.app.MinWitnesses()}
	return s.renderOK(w, r, p)
}

// startOpening answers POST /can-bo/hom-thu/{mailbox}/mo: the opening is
// recorded (once per key) and the person goes on to register the letters.
func (s *Server) startOpening(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := mailboxID(r)
	if err != nil {
		return err
	}
	m, err := s.app.Mailbox(r.Context(), sess, id)
	if err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	v := r.PostForm
	key := v.Get("key")
	in := homthu.OpeningInput{Mailbox: id, Seal: homthu.SealState(v.Get("niem_phong")), SealNote: v.Get("ghi_chu_niem_phong"),
		Participants: participantsOf(v)}
	var opening int64
	in.OpenedAt, err = openedAt(v.Get("ngay"), v.Get("gio"))
	if err == nil {
		opening, err = s.app.StartOpening(r.Context(), sess, in, "web:"+key)
	}
	if homthu.ErrorCode(err) == homthu.EINVALID {
		if key == "" || len(key) > 100 {
			key = secret.Token()
		}
		p := &StartOpeningPage{Base: staffBase("Mở hòm thư", sess), Box: mailboxRow(m), Action: mailboxHref(id) + "/mo", Key: key,
			Day: v.Get("ngay"), Clock: v.Get("gio"), Seals: sealOptions(in.Seal), SealNote: in.SealNote,
			Participants: participantRows(in.Participants, s.app.MinWitnesses()), Witnesses: s.app.MinWitnesses(), Error: homthu.ErrorMessage(err)}
		s.render(w, r, http.StatusBadRequest, p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, openingHref(opening), http.StatusSeeOther)
	return nil
}

// openingID reads the {opening} of the path; a malformed one is not found.
func openingID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("opening"), 10, 64)
	if err != nil || id <= 0 {
		return 0, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy lần mở hòm thư này.")
	}
	return id, nil
}

// OpeningPage is one opening: while open, the letters registered so far,
// the form that registers the next one and the form that seals the
// minutes; once sealed, the minutes with their number, the reference of
// each letter and of the minutes in the transparency log, the prints and
// the corrections.
type OpeningPage struct {
	Base
	ID         int64
	Href       string
	Box        MailboxRow
	BoxHref    string
	When       string
	State      string
	Sealed     bool
	Seal       string
	SealNote   string
	Chair      homthu.Participant
	Witnesses  []homthu.Participant
	Letters    []LetterRow
	Notice     string
	CanRecord  bool // open, and the role records openings
	CanCorrect bool
	// While open.
	Letter      LetterForm
	LetterError string
	Counted     string
	SealError   string
	// Once sealed.
	Symbol, SealedAt, SealedBy string
	LetterCount                int
	OnTime, RecordedLate       bool
	LeafIndex                  int64 // -1 until the log has sequenced the minutes
	Minutes, MinutesPDF, Proof string
	Corrections                []CorrectionRow
	Kinds                      []Option
	Correction                 CorrectionForm
	CorrectionError            string
}

func (*OpeningPage) templateName() string { return "opening.html" }

// LetterRow is one letter of an opening.
type LetterRow struct {
	Seq, Number                  int
	Content, Signed, Subject, To string
	Full, Hidden, Province       bool
	Pages                        int
	Registered, ItemHref, Remove string
	// PageLinks are the photos of a letter not yet sealed.
	PageLinks []Option
}

// LetterForm is what the letter form carries (again, after an error).
type LetterForm struct {
	Key                          string
	Content                      string
	Full, Signed, Province       bool
	SignerName, SignerAddress    string
	SignerPhone                  string
	SubjectName, SubjectPosition string
	SubjectWorkplace             string
	Files                        []KeptFileView
}

// CorrectionRow is one correction of sealed minutes.
type CorrectionRow struct {
	Kind, Body, Reason, By, At, OpenedAt string
	Letter                               int
}

// CorrectionForm is what the correction form carries (again, after an
// error).
type CorrectionForm struct {
	Kind, Letter, Day, Clock, Body, Reason string
}

func letterRows(o *homthu.Opening, canItems bool) []LetterRow {
	var out []LetterRow
	for _, l := range o.Letters {
		row := LetterRow{Seq: l.Seq, Number: l.Number, Content: l.Content, Full: l.Full, Signed: l.SignedLabel(), Hidden: l.Hidden,
			Province: l.To == homthu.ToProvince, Pages: max(l.PageCount, len(l.Pages)), Registered: vnTime(l.RegisteredAt)}
		if sj := l.Subject; sj.Name != "" || sj.Position != "" || sj.Workplace != "" {
			var parts []string
			for _, p := range []string{sj.Name, sj.Position, sj.Workplace} {
				if p != "" {
					parts = append(parts, p)
				}
			}
			row.Subject = strings.Join(parts, ", ")
		}
		if o.Sealed() && canItems && !l.Hidden && l.ItemID != "" {
			row.ItemHref = "/can-bo/thu/" + l.ItemID
		}
		if !o.Sealed() {
			row.Remove = openingHref(o.ID) + "/thu/" + strconv.Itoa(l.Seq) + "/xoa"
			if !l.Hidden {
				for i, pg := range l.Pages {
					row.PageLinks = append(row.PageLinks, Option{Value: openingHref(o.ID) + "/thu/" + strconv.Itoa(l.Seq) + "/trang/" + strconv.Itoa(i),
						Label: "Ảnh " + strconv.Itoa(i+1) + " (" + pg.Name + ", " + sizeLabel(pg.Size) + ")"})
				}
			}
		}
		out = append(out, row)
	}
	return out
}

// openingPage builds the page of an opening of the session's scope.
func (s *Server) openingPage(r *http.Request, sess *homthu.Session, id int64) (*OpeningPage, error) {
	o, err := s.app.Opening(r.Context(), sess, id)
	if err != nil {
		return nil, err
	}
	m, err := s.app.Mailbox(r.Context(), sess, o.Mailbox)
	if err != nil {
		return nil, err
	}
	title := "Mở hòm thư — " + o.Place
	if o.Sealed() {
		title = "Biên bản mở hòm thư số " + o.Symbol()
	}
	p := &OpeningPage{Base: staffBase(title, sess), ID: id, Href: openingHref(id), Box: mailboxRow(m), BoxHref: mailboxHref(m.ID),
		When: vnTime(o.EffectiveOpenedAt()), State: o.State.Label(), Sealed: o.Sealed(), Seal: o.Seal.Label(), SealNote: o.SealNote,
		Chair: o.Chair(), Witnesses: o.Witnesses(), Letters: letterRows(o, sess.User.Role.Can(homthu.ActReadItems)),
		CanRecord:  !o.Sealed() && sess.User.Role.Can(homthu.ActRecordOpening),
		CanCorrect: o.Sealed() && sess.User.Role.Can(homthu.ActCorrectOpening),
		Symbol:     o.Symbol(), SealedBy: o.SealedBy, LetterCount: o.LetterCount, OnTime: o.OnTime, RecordedLate: o.RecordedLate(),
		LeafIndex: o.LeafIndex}
	if o.Sealed() {
		p.SealedAt = vnTime(o.SealedAt)
		p.Minutes, p.MinutesPDF, p.Proof = p.Href+"/bien-ban", p.Href+"/bien-ban.pdf", p.Href+"/bang-chung"
	}
	p.Letter.Key = secret.Token()
	for _, c := range o.Corrections {
		row := CorrectionRow{Kind: c.Kind.Label(), Body: c.Body, Reason: c.Reason, By: c.By, At: vnTime(c.At), Letter: c.Letter}
		if !c.OpenedAt.IsZero() {
			row.OpenedAt = vnTime(c.OpenedAt)
		}
		p.Corrections = append(p.Corrections, row)
	}
	for _, k := range homthu.CorrectionKinds {
		p.Kinds = append(p.Kinds, Option{Value: string(k), Label: k.Label()})
	}
	return p, nil
}

// opening answers GET /can-bo/mo-hom-thu/{opening}.
func (s *Server) opening(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := openingID(r)
	if err != nil {
		return err
	}
	p, err := s.openingPage(r, sess, id)
	if err != nil {
		return err
	}
	switch q := r.URL.Query(); {
	case q.Get("da-luu") != "":
		p.Notice = "Đã lưu thư số " + strconv.Itoa(atoiOr(q.Get("da-luu"))) + ". Có thể đăng ký thư tiếp theo."
	case q.Get("da-xoa") != "":
		p.Notice = "Đã xóa thư khỏi lần mở này."
	case q.Get("da-niem-phong") != "":
		p.Notice = "Đã niêm phong biên bản. Từ nay biên bản và các thư không thay đổi được nữa."
	case q.Get("da-sua") != "":
		p.Notice = "Đã lưu thời gian, người tham dự và tình trạng niêm phong."
	case q.Get("da-dinh-chinh") != "":
		p.Notice = "Đã ghi đính chính."
	}
	return s.renderOK(w, r, p)
}

func atoiOr(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// letterInput reads the letter form: the text, signed or not (and who
// signed), the person concerned, the addressee, and the pages kept from an
// earlier try followed by those just sent.
func (s *Server) letterInput(in *submitInput) (homthu.LetterInput, LetterForm) {
	v := in.vals
	f := LetterForm{Key: v.Get("key"), Content: v.Get("noi_dung"), Full: v.Get("toan_van") == "1", Signed: v.Get("ky_ten") == "1",
		Province: v.Get("gui_den") == string(homthu.ToProvince), SignerName: v.Get("ten_nguoi_ky"), SignerAddress: v.Get("dia_chi_nguoi_ky"),
		SignerPhone: v.Get("dt_nguoi_ky"), SubjectName: v.Get("ten_bi_phan_anh"), SubjectPosition: v.Get("chuc_vu_bi_phan_anh"),
		SubjectWorkplace: v.Get("noi_cong_tac_bi_phan_anh")}
	l := homthu.LetterInput{Content: f.Content, Full: f.Full, Signed: f.Signed,
		Subject: homthu.Subject{Name: f.SubjectName, Position: f.SubjectPosition, Workplace: f.SubjectWorkplace}}
	if f.Province {
		l.To = homthu.ToProvince
	}
	// A signer typed for a letter marked unsigned is refused, not dropped:
	// the person may have forgotten to mark it signed.
	l.Signer = homthu.Identity{Name: f.SignerName, Address: f.SignerAddress, Phone: f.SignerPhone}
	for _, t := range v["kept"] {
		a, err := s.parseAttachmentToken(t)
		if err != nil {
			in.fail(err)
			continue
		}
		l.Pages = append(l.Pages, a)
	}
	l.Pages = append(l.Pages, in.added...)
	if len(l.Pages) > homthu.MaxAttachments {
		l.Pages = l.Pages[:homthu.MaxAttachments]
		in.fail(homthu.Errorf(homthu.EINVALID, "Mỗi thư chỉ đính kèm tối đa %d ảnh, bản quét; các tệp sau tệp thứ %d chưa được nhận.", homthu.MaxAttachments, homthu.MaxAttachments))
	}
	for _, a := range l.Pages {
		f.Files = append(f.Files, KeptFileView{Token: s.attachmentToken(a), Name: a.Name, Size: sizeLabel(a.Size)})
	}
	return l, f
}

// registerLetter answers POST /can-bo/mo-hom-thu/{opening}/thu: the letter
// is saved at once (a repeat with the same key is the letter saved, not a
// second one) and the page comes back ready for the next letter.
func (s *Server) registerLetter(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := openingID(r)
	if err != nil {
		return err
	}
	if _, err := s.app.Opening(r.Context(), sess, id); err != nil {
		return err
	}
	in, err := s.readSubmitForm(w, r)
	if err != nil {
		return err
	}
	l, f := s.letterInput(in)
	if len(f.Key) > 100 {
		f.Key = ""
	}
	err = in.fileErr
	var seq int
	if err == nil {
		seq, _, err = s.app.RegisterLetter(r.Context(), sess, id, l, "web:"+f.Key)
	}
	if homthu.ErrorCode(err) == homthu.EINVALID || homthu.ErrorCode(err) == homthu.ETOOLARGE {
		p, perr := s.openingPage(r, sess, id)
		if perr != nil {
			return perr
		}
		if f.Key == "" {
			f.Key = secret.Token()
		}
		p.Letter, p.LetterError = f, homthu.ErrorMessage(err)
		s.render(w, r, statusOf(err), p)
		return nil
	} else if err != nil {
		return err
	}
	o, err := s.app.Opening(r.Context(), sess, id)
	if err != nil {
		return err
	}
	n := len(o.Letters)
	for i, x := range o.Letters {
		if x.Seq == seq {
			n = i + 1
		}
	}
	http.Redirect(w, r, openingHref(id)+"?da-luu="+strconv.Itoa(n)+"#thu-moi", http.StatusSeeOther)
	return nil
}

// confirmed checks the confirmation a destructive form carries (xac_nhan=1):
// without it nothing is done.
func confirmed(v url.Values, what string) error {
	if v.Get("xac_nhan") != "1" {
		return homthu.Errorf(homthu.EINVALID, "Xin xác nhận %s.", what)
	}
	return nil
}

// removeLetter answers POST /can-bo/mo-hom-thu/{opening}/thu/{seq}/xoa: a
// letter registered by mistake leaves the open opening.
func (s *Server) removeLetter(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := openingID(r)
	if err != nil {
		return err
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil || seq <= 0 {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư này.")
	}
	if _, err := s.app.Opening(r.Context(), sess, id); err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	if err := confirmed(r.PostForm, "xóa thư"); err != nil {
		return err
	}
	if err := s.app.RemoveLetter(r.Context(), sess, id, seq); err != nil {
		return err
	}
	http.Redirect(w, r, openingHref(id)+"?da-xoa=1", http.StatusSeeOther)
	return nil
}

// sealOpening answers POST /can-bo/mo-hom-thu/{opening}/niem-phong: with
// the count of letters in the box (so_thu, 0 for an empty box) equal to
// the letters registered, the minutes are sealed.
func (s *Server) sealOpening(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := openingID(r)
	if err != nil {
		return err
	}
	if _, err := s.app.Opening(r.Context(), sess, id); err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	counted := strings.TrimSpace(r.PostForm.Get("so_thu"))
	n, err := strconv.Atoi(counted)
	if err != nil || n < 0 {
		err = homthu.Errorf(homthu.EINVALID, "Xin ghi số thư đếm được trong hòm (0 nếu hòm không có thư).")
	} else {
		err = s.app.SealOpening(r.Context(), sess, id, n)
	}
	if code := homthu.ErrorCode(err); code == homthu.EINVALID || code == homthu.ECONFLICT {
		// A count that differs from the letters registered is shown on
		// the form; a conflict with sealed minutes is the error page.
		p, perr := s.openingPage(r, sess, id)
		if perr != nil {
			return perr
		}
		if !p.CanRecord {
			if p.Sealed && p.LetterCount == n {
				// A re-submit of the seal that was done (the answer lost
				// on a weak connection): the sealed minutes.
				http.Redirect(w, r, openingHref(id)+"?da-niem-phong=1", http.StatusSeeOther)
				return nil
			}
			return err
		}
		p.Counted, p.SealError = counted, homthu.ErrorMessage(err)
		s.render(w, r, statusOf(err), p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, openingHref(id)+"?da-niem-phong=1", http.StatusSeeOther)
	return nil
}

// discardOpening answers POST /can-bo/mo-hom-thu/{opening}/huy: an open
// opening without letters, started by mistake, is deleted.
func (s *Server) discardOpening(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := openingID(r)
	if err != nil {
		return err
	}
	o, err := s.app.Opening(r.Context(), sess, id)
	if err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	if err := confirmed(r.PostForm, "hủy lần mở hòm thư này"); err != nil {
		return err
	}
	if err := s.app.DiscardOpening(r.Context(), sess, id); err != nil {
		return err
	}
	http.Redirect(w, r, mailboxHref(o.Mailbox), http.StatusSeeOther)
	return nil
}

// correctOpening answers POST /can-bo/mo-hom-thu/{opening}/dinh-chinh: a
// correction of sealed minutes, a new record that says what it corrects
// and why (the minutes never change).
func (s *Server) correctOpening(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := openingID(r)
	if err != nil {
		return err
	}
	if _, err := s.app.Opening(r.Context(), sess, id); err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	v := r.PostForm
	f := CorrectionForm{Kind: v.Get("loai"), Letter: strings.TrimSpace(v.Get("thu_so")), Day: v.Get("ngay"), Clock: v.Get("gio"),
		Body: v.Get("noi_dung"), Reason: v.Get("ly_do")}
	in := homthu.CorrectionInput{Kind: homthu.CorrectionKind(f.Kind), Body: f.Body, Reason: f.Reason}
	if f.Letter != "" {
		if in.Letter, err = strconv.Atoi(f.Letter); err != nil {
			err = homthu.Errorf(homthu.EINVALID, "Số thứ tự thư cần đính chính phải là một số.")
		}
	}
	if err == nil && in.Kind == homthu.CorrectOpenedAt {
		in.OpenedAt, err = openedAt(f.Day, f.Clock)
	}
	if err == nil {
		_, err = s.app.Correct(r.Context(), sess, id, in)
	}
	if homthu.ErrorCode(err) == homthu.EINVALID {
		p, perr := s.openingPage(r, sess, id)
		if perr != nil {
			return perr
		}
		p.Correction, p.CorrectionError = f, homthu.ErrorMessage(err)
		for i := range p.Kinds {
			p.Kinds[i].Selected = p.Kinds[i].Value == f.Kind
		}
		s.render(w, r, http.StatusBadRequest, p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, openingHref(id)+"?da-dinh-chinh=1#dinh-chinh", http.StatusSeeOther)
	return nil
}

// editOpeningForm answers GET /can-bo/mo-hom-thu/{opening}/sua: the time,
// the people present and the seal of an open opening, to correct before
// sealing.
func (s *Server) editOpeningForm(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := openingID(r)
	if err != nil {
		return err
	}
	o, err := s.app.Opening(r.Context(), sess, id)
	if err != nil {
		return err
	}
	if o.Sealed() {
		return homthu.Errorf(homthu.ECONFLICT, "Biên bản lần mở hòm thư này đã niêm phong: không sửa được nữa. Nếu có sai sót, cán bộ Mặt trận xã ghi đính chính.")
	}
	m, err := s.app.Mailbox(r.Context(), sess, o.Mailbox)
	if err != nil {
		return err
	}
	at := o.OpenedAt.In(homthu.VNTime)
	p := &StartOpeningPage{Base: staffBase("Sửa thông tin lần mở hòm thư", sess), Box: mailboxRow(m), Action: openingHref(id), Edit: true, Back: openingHref(id),
		Day: at.Format(time.DateOnly), Clock: at.Format("15:04"), Seals: sealOptions(o.Seal), SealNote: o.SealNote,
		Participants: participantRows(o.Participants, s.app.MinWitnesses()), Witnesses: s.app.MinWitnesses()}
	return s.renderOK(w, r, p)
}

// updateOpening answers POST /can-bo/mo-hom-thu/{opening}: the changed
// time, people present and seal of an open opening.
func (s *Server) updateOpening(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := openingID(r)
	if err != nil {
		return err
	}
	o, err := s.app.Opening(r.Context(), sess, id)
	if err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	v := r.PostForm
	in := homthu.OpeningInput{Mailbox: o.Mailbox, Seal: homthu.SealState(v.Get("niem_phong")), SealNote: v.Get("ghi_chu_niem_phong"),
		Participants: participantsOf(v)}
	in.OpenedAt, err = openedAt(v.Get("ngay"), v.Get("gio"))
	if err == nil {
		err = s.app.UpdateOpening(r.Context(), sess, id, in)
	}
	if homthu.ErrorCode(err) == homthu.EINVALID {
		m, merr := s.app.Mailbox(r.Context(), sess, o.Mailbox)
		if merr != nil {
			return merr
		}
		p := &StartOpeningPage{Base: staffBase("Sửa thông tin lần mở hòm thư", sess), Box: mailboxRow(m), Action: openingHref(id), Edit: true, Back: openingHref(id),
			Day: v.Get("ngay"), Clock: v.Get("gio"), Seals: sealOptions(in.Seal), SealNote: in.SealNote,
			Participants: participantRows(in.Participants, s.app.MinWitnesses()), Witnesses: s.app.MinWitnesses(), Error: homthu.ErrorMessage(err)}
		s.render(w, r, http.StatusBadRequest, p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, openingHref(id)+"?da-sua=1", http.StatusSeeOther)
	return nil
}

// letterPage answers GET /can-bo/mo-hom-thu/{opening}/thu/{seq}/trang/{n}:
// a photo or scan of a page of a letter not yet sealed, for the committee
// to check what it registered (once sealed, the pages are the item's
// attachments, on the item's page). A letter the reader may not read is
// not found.
func (s *Server) letterPage(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := openingID(r)
	if err != nil {
		return err
	}
	seq, err1 := strconv.Atoi(r.PathValue("seq"))
	n, err2 := strconv.Atoi(r.PathValue("n"))
	notFound := homthu.Errorf(homthu.ENOTFOUND, "Không có ảnh, bản quét này.")
	if err1 != nil || err2 != nil {
		return notFound
	}
	o, err := s.app.Opening(r.Context(), sess, id)
	if err != nil {
		return err
	}
	for _, l := range o.Letters {
		if l.Seq != seq || l.Hidden || n < 0 || n >= len(l.Pages) {
			continue
		}
		a := l.Pages[n]
		if s.app.Blobs == nil {
			return fmt.Errorf("web.letterPage: no blob store configured")
		}
		f, err := s.app.Blobs.Open(a.SHA256)
		if err != nil {
			return fmt.Errorf("web.letterPage: %w", err)
		}
		defer f.Close()
		h := w.Header()
		h.Set("Content-Type", a.Type)
		h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": a.Name}))
		h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
		h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
		if _, err := io.Copy(w, f); err != nil {
			s.log.Warn("web: letter page copy", "err", err)
		}
		return nil
	}
	return notFound
}
