package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/store"
	"homthu/internal/upload"
)

// "Gửi ban biên tập": a message to the editorial board about the site (a
// correction, a question, a request), and the editors' inbox where they
// read it, answer it by mail and mark it done. The form works without
// JavaScript and keeps what was typed, and its one attachment, when it
// comes back with something to correct. Its defences against spam are in
// app.SendEditorial; the honeypot is here: a field hidden from people
// (display:none, so that no screen reader announces it) that only a bot
// fills, whose message is thanked for and dropped.

const (
	editorialPath      = "/gui-ban-bien-tap"
	editorialInboxPath = "/can-bo/ban-bien-tap"
	// honeypotField is the hidden field; its name is one a form-filling
	// bot wants to fill.
	honeypotField = "website"
)

// EditorialFormPage is the form, empty or with what was typed and what to
// correct.
type EditorialFormPage struct {
	Base
	Token                        string
	Name, Contact, Subject, Text string
	File                         *KeptFileView
	Error, ErrorField            string
	MaxMB                        int
}

func (*EditorialFormPage) templateName() string { return "editorial_form.html" }

// ErrFor is the error message when it is about field.
func (p *EditorialFormPage) ErrFor(field string) string {
	if p.ErrorField == field {
		return p.Error
	}
	return ""
}

// Accept is the file input's accept attribute: what upload.Sanitize takes.
func (*EditorialFormPage) Accept() string { return "image/jpeg,image/png,image/webp,application/pdf" }

func (s *Server) newEditorialForm() *EditorialFormPage {
	p := &EditorialFormPage{Token: s.app.EditorialToken(), MaxMB: upload.MaxInput >> 20}
	p.Title = "Gửi ban biên tập"
	return p
}

// editorialForm answers GET /gui-ban-bien-tap.
func (s *Server) editorialForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderOK(w, r, s.newEditorialForm())
}

// editorialFields maps the start of a validation message to its field.
var editorialFields = []struct{ prefix, field string }{
	{"Họ tên", "name"}, {"Liên hệ", "contact"}, {"Tiêu đề", "subject"}, {"Nội dung", "text"},
	{"Tệp", "file"}, {"Chỉ được đính kèm", "file"}, {"Một tệp", "file"}, {"Các tệp", "file"},
}

// sendEditorial answers POST /gui-ban-bien-tap: the thanks page, or the
// form again with everything typed and attached kept.
func (s *Server) sendEditorial(w http.ResponseWriter, r *http.Request) error {
	in, err := s.readSubmitForm(w, r)
	if err != nil {
		return err
	}
	v := in.vals
	if v.Get(honeypotField) != "" {
		http.Redirect(w, r, editorialPath+"/da-gui", http.StatusSeeOther)
		return nil
	}
	p := s.newEditorialForm()
	p.Name, p.Contact, p.Subject, p.Text = v.Get("name"), v.Get("contact"), v.Get("subject"), v.Get("text")
	var att *homthu.Attachment
	if t := v.Get("kept"); t != "" && v.Get("drop") != "1" {
		a, err := s.parseAttachmentToken(t)
		if err != nil {
			in.fail(err)
		} else {
			att = &a
		}
	}
	if len(in.added) > 0 {
		att = &in.added[0]
		if len(in.added) > 1 {
			in.fail(homthu.Errorf(homthu.EINVALID, "Chỉ được đính kèm một tệp; các tệp sau tệp thứ nhất chưa được nhận."))
		}
	}
	if att != nil {
		p.File = &KeptFileView{Token: s.attachmentToken(*att), Name: att.Name, Size: sizeLabel(att.Size)}
	}
	fail := func(err error) error {
		if homthu.ErrorCode(err) == homthu.EINTERNAL {
			return err
		}
		p.Error = homthu.ErrorMessage(err)
		for _, f := range editorialFields {
			if strings.HasPrefix(p.Error, f.prefix) {
				p.ErrorField = f.field
				break
			}
		}
		s.render(w, r, statusOf(err), p)
		return nil
	}
	if in.fileErr != nil {
		return fail(in.fileErr)
	}
	if _, err := s.app.SendEditorial(r.Context(), homthu.EditorialInput{Name: p.Name, Contact: p.Contact, Subject: p.Subject, Text: p.Text, Attachment: att},
		v.Get("token")); err != nil {
		return fail(err)
	}
	http.Redirect(w, r, editorialPath+"/da-gui", http.StatusSeeOther)
	return nil
}

// EditorialThanksPage follows a message sent.
type EditorialThanksPage struct{ Base }

func (*EditorialThanksPage) templateName() string { return "editorial_thanks.html" }

// editorialThanks answers GET /gui-ban-bien-tap/da-gui.
func (s *Server) editorialThanks(w http.ResponseWriter, r *http.Request) error {
	p := &EditorialThanksPage{}
	p.Title = "Đã gửi thư đến ban biên tập"
	return s.renderOK(w, r, p)
}

// EditorialInboxPage lists the messages to the editorial board of one state.
type EditorialInboxPage struct {
	Base
	Tabs []EditorialTab
	Rows []EditorialRow
	// Next is the address of the next (older) page; empty for none.
	Next string
}

func (*EditorialInboxPage) templateName() string { return "editorial_inbox.html" }

// EditorialTab is a state of the inbox with its count.
type EditorialTab struct {
	Label, Href string
	Count       int
	Current     bool
}

// EditorialRow is one message in the list.
type EditorialRow struct {
	Href, Subject, Name, Received, Status string
	Attachment                            bool
}

// editorialInbox answers GET /can-bo/ban-bien-tap?tinh-trang=&truoc=.
func (s *Server) editorialInbox(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	q := r.URL.Query()
	f := store.EditorialFilter{Status: homthu.EditorialStatus(q.Get("tinh-trang"))}
	if f.Status == "" {
		f.Status = homthu.EditorialNew
	}
	if f.Status == "tat-ca" {
		f.Status = ""
	}
	if t := q.Get("truoc"); t != "" {
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil || n <= 0 {
			return homthu.Errorf(homthu.EINVALID, "Trang %q không hợp lệ.", t)
		}
		f.Before = n
	}
	ms, next, counts, err := s.app.EditorialInbox(r.Context(), sess, f)
	if err != nil {
		return err
	}
	p := &EditorialInboxPage{Base: staffBase("Thư gửi ban biên tập", sess)}
	total := 0
	for _, st := range []homthu.EditorialStatus{homthu.EditorialNew, homthu.EditorialReplied, homthu.EditorialDone} {
		total += counts[st]
		p.Tabs = append(p.Tabs, EditorialTab{Label: st.Label(), Href: editorialInboxPath + "?tinh-trang=" + string(st), Count: counts[st], Current: f.Status == st})
	}
	p.Tabs = append(p.Tabs, EditorialTab{Label: "Tất cả", Href: editorialInboxPath + "?tinh-trang=tat-ca", Count: total, Current: f.Status == ""})
	for _, m := range ms {
		p.Rows = append(p.Rows, EditorialRow{Href: editorialInboxPath + "/" + strconv.FormatInt(m.ID, 10), Subject: m.Subject, Name: m.Name,
			Received: vnTime(m.Received), Status: m.Status.Label(), Attachment: m.Attachment != nil})
	}
	if next != 0 {
		st := string(f.Status)
		if st == "" {
			st = "tat-ca"
		}
		p.Next = fmt.Sprintf("%s?tinh-trang=%s&truoc=%d", editorialInboxPath, st, next)
	}
	return s.renderOK(w, r, p)
}

// EditorialMessagePage is one message, its answer and the forms.
type EditorialMessagePage struct {
	Base
	Msg               *homthu.EditorialMessage
	Href, Received    string
	RepliedAt, DoneAt string
	Status            string
	Done              bool
	// CanMail says the contact is a mail address, so that the answer goes by mail.
	CanMail bool
	// Reply is the text of a reply form that came back with an error.
	Reply, Key, Error, Notice string
	AttachmentSize            string
}

func (*EditorialMessagePage) templateName() string { return "editorial_message.html" }

func editorialID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("message"), 10, 64)
	if err != nil || id <= 0 {
		return 0, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư này.")
	}
	return id, nil
}

func (s *Server) editorialPage(r *http.Request, sess *homthu.Session) (*EditorialMessagePage, error) {
	id, err := editorialID(r)
	if err != nil {
		return nil, err
	}
	m, err := s.app.EditorialMessage(r.Context(), sess, id)
	if err != nil {
		return nil, err
	}
	p := &EditorialMessagePage{Msg: m, Href: editorialInboxPath + "/" + strconv.FormatInt(id, 10), Received: vnTime(m.Received),
		Status: m.Status.Label(), Done: m.Status == homthu.EditorialDone, CanMail: strings.Contains(m.Contact, "@"), Key: secret.Token()}
	p.Base = staffBase(m.Subject, sess)
	if !m.RepliedAt.IsZero() {
		p.RepliedAt = vnTime(m.RepliedAt)
	}
	if !m.DoneAt.IsZero() {
		p.DoneAt = vnTime(m.DoneAt)
	}
	if m.Attachment != nil {
		p.AttachmentSize = sizeLabel(m.Attachment.Size)
	}
	return p, nil
}

// editorialMessage answers GET /can-bo/ban-bien-tap/{id}.
func (s *Server) editorialMessage(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p, err := s.editorialPage(r, sess)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("xong") {
	case "tra-loi":
		p.Notice = "Đã ghi thư trả lời và xếp vào hàng đợi gửi thư; thư sẽ được gửi đi ngay khi máy chủ thư nhận."
	case "da-xong":
		p.Notice = "Đã đánh dấu thư này là đã xong."
	case "mo-lai":
		p.Notice = "Đã mở lại thư này."
	}
	return s.renderOK(w, r, p)
}

// replyEditorial answers POST /can-bo/ban-bien-tap/{id}/tra-loi: the
// answer goes into the mail queue; the form comes back with its text on
// an error.
func (s *Server) replyEditorial(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	p, err := s.editorialPage(r, sess)
	if err != nil {
		return err
	}
	if err := s.app.ReplyEditorial(r.Context(), sess, p.Msg.ID, r.PostForm.Get("reply"), r.PostForm.Get("key")); err != nil {
		if homthu.ErrorCode(err) == homthu.EINTERNAL {
			return err
		}
		p.Reply, p.Error = r.PostForm.Get("reply"), homthu.ErrorMessage(err)
		if k := r.PostForm.Get("key"); k != "" && len(k) <= 100 {
			p.Key = k
		}
		s.render(w, r, statusOf(err), p)
		return nil
	}
	http.Redirect(w, r, p.Href+"?xong=tra-loi", http.StatusSeeOther)
	return nil
}

// doneEditorial answers POST /can-bo/ban-bien-tap/{id}/xong: xong=1 marks
// the message done, xong=0 opens it again.
func (s *Server) doneEditorial(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	id, err := editorialID(r)
	if err != nil {
		return err
	}
	var done bool
	switch r.PostForm.Get("xong") {
	case "1":
		done = true
	case "0":
	default:
		return homthu.Errorf(homthu.EINVALID, "Thiếu lựa chọn: đánh dấu đã xong (xong=1) hay mở lại (xong=0).")
	}
	if err := s.app.SetEditorialDone(r.Context(), sess, id, done); err != nil {
		return err
	}
	flash := "da-xong"
	if !done {
		flash = "mo-lai"
	}
	http.Redirect(w, r, editorialInboxPath+"/"+strconv.FormatInt(id, 10)+"?xong="+flash, http.StatusSeeOther)
	return nil
}

// editorialFile answers GET /can-bo/ban-bien-tap/{id}/tep: the attachment,
// as a download that the browser does not render (sandboxed).
func (s *Server) editorialFile(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := editorialID(r)
	if err != nil {
		return err
	}
	m, err := s.app.EditorialMessage(r.Context(), sess, id)
	if err != nil {
		return err
	}
	a := m.Attachment
	if a == nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Thư này không có tệp đính kèm.")
	}
	if s.app.Blobs == nil {
		return fmt.Errorf("web.editorialFile: no blob store configured")
	}
	f, err := s.app.Blobs.Open(a.SHA256)
	if err != nil {
		return fmt.Errorf("web.editorialFile: %w", err)
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", a.Type)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if _, err := io.Copy(w, f); err != nil {
		s.log.Warn("web: editorial attachment copy", "err", err)
	}
	return nil
}
