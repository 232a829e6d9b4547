package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/upload"
	"homthu/internal/vntext"
)

// SubmitPage is the sending form (step 2), shown first empty and again,
// with everything typed and every file already accepted, after an error.
type SubmitPage struct {
	Base
	Area UnitResult
	// Key is the idempotency key generated when the form was first
	// rendered: a double click or a resent form makes one item.
	Key     string
	To      homthu.Level
	Content string
	Subject homthu.Subject
	// Anonymous is the choice "ẩn danh" (the default); Submitter is kept
	// for a named letter, with Consent the ticked consent box that a named
	// letter needs (Law 91/2025/QH15 on personal data protection).
	Anonymous bool
	Submitter homthu.Identity
	Consent   bool
	// Retention is how long a named submitter's identity is kept after the
	// item is closed, as the notice says it ("" when not configured).
	Retention string
	// Files are the attachments already accepted, carried by token.
	Files []KeptFileView
	// Error is the message of what to correct; ErrorField the field it is
	// about ("" when it concerns the whole form).
	Error      string
	ErrorField string

	AnswerDays int
	MaxFiles   int
	MaxMB      int
}

func (*SubmitPage) templateName() string { return "submit.html" }

// KeptFileView is an accepted attachment in a re-rendered form.
type KeptFileView struct {
	Token, Name, Size string
}

// ErrFor returns the error message if it concerns field.
func (p *SubmitPage) ErrFor(field string) string {
	if p.ErrorField == field {
		return p.Error
	}
	return ""
}

// ToProvince reports whether the letter goes to the province's Front.
func (p *SubmitPage) ToProvince() bool { return p.To == homthu.ToProvince }

// FilesLeft is how many more files may be attached.
func (p *SubmitPage) FilesLeft() int { return p.MaxFiles - len(p.Files) }

// Accept is the accept attribute of the file input: the types upload
// takes (checked again by content on the server).
func (p *SubmitPage) Accept() string { return "image/jpeg,image/png,image/webp,application/pdf" }

func (s *Server) newSubmitPage(u *homthu.Unit) *SubmitPage {
	p := &SubmitPage{
		Area:       unitResult(u, ""),
		Key:        secret.Token(),
		To:         homthu.ToCommune,
		Anonymous:  true,
		AnswerDays: homthu.AnswerDays,
		MaxFiles:   homthu.MaxAttachments,
		MaxMB:      upload.MaxInput >> 20,
		Retention:  retentionLabel(s.cfg.Retention),
	}
	p.Title = "Gửi phản ánh"
	return p
}

// submitForm answers GET /gui: the area search (?q=), browsing (?duoi=),
// or, once an area is chosen (?area=), the form.
func (s *Server) submitForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if code := q.Get("area"); code != "" {
		u, err := s.chooseArea(r.Context(), code)
		if err != nil {
			if homthu.ErrorCode(err) == homthu.EINTERNAL {
				return err
			}
			p, _ := s.areaPage(r.Context(), "", "")
			p.Error = homthu.ErrorMessage(err)
			s.render(w, r, statusOf(err), p)
			return nil
		}
		s.render(w, r, http.StatusOK, s.newSubmitPage(u))
		return nil
	}
	p, status := s.areaPage(r.Context(), q.Get("q"), q.Get("duoi"))
	s.render(w, r, status, p)
	return nil
}

// errorFields maps the start of a domain validation message to the form
// field it is about, so that the message is shown beside that field and
// linked to it (aria-describedby). Longer prefixes first.
var errorFields = []struct{ prefix, field string }{
	{"Nội dung phản ánh", "content"},
	{"Nội dung quá dài", "content"},
	{"Họ tên người bị phản ánh", "subject_name"},
	{"Chức vụ người bị phản ánh", "subject_position"},
	{"Nơi công tác người bị phản ánh", "subject_workplace"},
	{"Họ tên của bạn", "name"},
	{"Xin ghi họ tên của bạn", "name"},
	{"Số điện thoại", "phone"},
	{"Địa chỉ thư điện tử", "email"},
	{"Thư điện tử", "email"},
	{"Địa chỉ", "address"},
	{"Nơi nhận", "to"},
	{"Xin đánh dấu vào ô đồng ý", "consent"},
	{"Chỉ được đính kèm", "files"},
	{"Tệp", "files"},
	{"Các tệp", "files"},
	{"Một tệp", "files"},
}

func fieldOf(msg string) string {
	for _, e := range errorFields {
		if strings.HasPrefix(msg, e.prefix) {
			return e.field
		}
	}
	return ""
}

// submit answers POST /gui: the receipt page, or the form again with what
// to correct and everything typed and attached kept.
func (s *Server) submit(w http.ResponseWriter, r *http.Request) error {
	in, err := s.readSubmitForm(w, r)
	if err != nil {
		return err
	}
	v := in.vals
	u, err := s.chooseArea(r.Context(), v.Get("area"))
	if err != nil {
		if homthu.ErrorCode(err) == homthu.EINTERNAL {
			return err
		}
		p, _ := s.areaPage(r.Context(), "", "")
		p.Error = homthu.ErrorMessage(err)
		s.render(w, r, statusOf(err), p)
		return nil
	}
	p := s.newSubmitPage(u)
	if k := v.Get("key"); k != "" && len(k) <= 100 {
		p.Key = k
	}
	if v.Get("to") == string(homthu.ToProvince) {
		p.To = homthu.ToProvince
	}
	p.Content = v.Get("content")
	p.Subject = homthu.Subject{Name: v.Get("subject_name"), Position: v.Get("subject_position"), Workplace: v.Get("subject_workplace")}
	p.Anonymous = v.Get("anonymous") != "0"
	p.Submitter = homthu.Identity{Name: v.Get("name"), Phone: v.Get("phone"), Email: v.Get("email"), Address: v.Get("address")}
	p.Consent = v.Get("consent") == "1"

	// The attachments: those kept from an earlier try (unless the person
	// removed them), then the new ones, at most MaxAttachments.
	drop := map[string]bool{}
	for _, t := range v["drop"] {
		drop[t] = true
	}
	var atts []homthu.Attachment
	for _, t := range v["kept"] {
		if drop[t] {
			continue
		}
		a, err := s.parseAttachmentToken(t)
		if err != nil {
			in.fail(err)
			continue
		}
		atts = append(atts, a)
	}
	atts = append(atts, in.added...)
	if len(atts) > homthu.MaxAttachments {
		atts = atts[:homthu.MaxAttachments]
		in.fail(homthu.Errorf(homthu.EINVALID, "Chỉ được đính kèm tối đa %d tệp; các tệp sau tệp thứ %d chưa được nhận.", homthu.MaxAttachments, homthu.MaxAttachments))
	}
	for _, a := range atts {
		p.Files = append(p.Files, KeptFileView{Token: s.attachmentToken(a), Name: a.Name, Size: sizeLabel(a.Size)})
	}
	if in.fileErr != nil {
		return s.formError(w, r, p, in.fileErr)
	}

	sub := homthu.Submission{
		Area:        u.Code,
		To:          p.To,
		Channel:     homthu.ChannelOnline,
		Content:     p.Content,
		Subject:     p.Subject,
		Anonymous:   p.Anonymous,
		Attachments: atts,
	}
	// An anonymous letter never carries an identity, even one typed before
	// the person chose "ẩn danh" (the fields are then hidden, not emptied).
	if !p.Anonymous {
		sub.Submitter = p.Submitter
	}
	if !p.Anonymous && !p.Consent {
		// What else is wrong is said first (as app.Submit would), then the
		// consent, which only a named letter needs.
		chk := sub
		chk.Normalize(vntext.NFC)
		if err := chk.Validate(); err != nil {
			return s.formError(w, r, p, err)
		}
		return s.formError(w, r, p, errNoConsent)
	}
	rec, err := s.app.Submit(r.Context(), sub, "web:"+p.Key)
	if homthu.ErrorCode(err) == homthu.ECONFLICT {
		// The key was used for another letter: this one was sent already
		// and then changed. A fresh key lets the person send it as new.
		p.Key = secret.Token()
		err = homthu.Errorf(homthu.ECONFLICT, "Biểu mẫu này đã được gửi trước đó với nội dung khác. Nếu bạn muốn gửi nội dung này thành một thư mới, xin bấm “Gửi phản ánh” một lần nữa.")
	}
	if err != nil {
		return s.formError(w, r, p, err)
	}
	return s.renderReceipt(w, r, http.StatusOK, rec.Code, rec.ReceivedAt, p.Anonymous, "")
}

// errNoConsent refuses a named letter without the consent box ticked. The
// consent is the affirmative act that Law 91/2025/QH15 asks before a
// submitter's name and contact are stored; anonymous sending needs none.
var errNoConsent = homthu.Errorf(homthu.EINVALID, "Xin đánh dấu vào ô đồng ý để Mặt trận lưu và xử lý họ tên, thông tin liên hệ của bạn — hoặc chọn gửi ẩn danh.")

// retentionLabel writes a retention period in years or months for the
// notice; zero (not configured here) is "".
func retentionLabel(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d <= 0:
		return ""
	case d >= 365*day && d%(365*day) == 0:
		return strconv.Itoa(int(d/(365*day))) + " năm"
	case d >= 30*day:
		return strconv.Itoa(int((d+15*day)/(30*day))) + " tháng"
	}
	return strconv.Itoa(max(int(d/day), 1)) + " ngày"
}

// formError renders the form again with the error's message beside its
// field, keeping everything typed and attached — an internal error too (its
// message says nothing was lost; the person can simply send again).
func (s *Server) formError(w http.ResponseWriter, r *http.Request, p *SubmitPage, err error) error {
	s.logIfInternal(r, err)
	p.Error = homthu.ErrorMessage(err)
	p.ErrorField = fieldOf(p.Error)
	s.render(w, r, statusOf(err), p)
	return nil
}
