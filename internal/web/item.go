package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"homthu/internal/homthu"
)

// ItemPage is one item for Front staff: its content, the person concerned,
// its attachments and the thread with the submitter, and a form to write to
// them. The submitter's identity is not here: revealing it needs a reason,
// a second factor and an audit record (a later issue).
type ItemPage struct {
	Base
	Item        *homthu.Item
	Received    string
	Attachments []AttachmentView
	Messages    []MessageView
	CanMessage  bool
	Reply       string
	ReplyError  string
	Sent        bool
}

func (*ItemPage) templateName() string { return "item.html" }

// AttachmentView is one attachment, downloadable.
type AttachmentView struct {
	Href, Name, Type, Size string
}

// Channel and Status are the item's labels.
func (p *ItemPage) Channel() string { return p.Item.Channel.Label() }

// Status is the item's status label.
func (p *ItemPage) Status() string { return p.Item.Status.Label() }

func (s *Server) itemPage(r *http.Request, sess *homthu.Session) (*ItemPage, error) {
	id := r.PathValue("id")
	it, msgs, err := s.app.Item(r.Context(), sess, id)
	if err != nil {
		return nil, err
	}
	p := &ItemPage{Base: staffBase("Thư, đơn ngày "+vnDate(it.ReceivedOn), sess), Item: it,
		Messages: messageViews(msgs, "Người phản ánh"), CanMessage: sess.User.Role.Can(homthu.ActMessage)}
	p.Received = "ngày " + vnDate(it.ReceivedOn)
	if !it.ReceivedAt.IsZero() {
		p.Received = vnTime(it.ReceivedAt)
	}
	for i, a := range it.Attachments {
		p.Attachments = append(p.Attachments, AttachmentView{
			Href: fmt.Sprintf("/can-bo/thu/%s/tep/%d", it.ID, i), Name: a.Name, Type: a.Type, Size: sizeLabel(a.Size)})
	}
	return p, nil
}

// item answers GET /can-bo/thu/{id}. An item outside the user's scope is
// the same 404 as one that does not exist.
func (s *Server) item(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p, err := s.itemPage(r, sess)
	if err != nil {
		return err
	}
	p.Sent = r.URL.Query().Get("da-gui") == "1"
	s.render(w, r, http.StatusOK, p)
	return nil
}

// itemMessage answers POST /can-bo/thu/{id}/tin-nhan, then redirects to the
// item (staff URLs hold no secret, so POST-redirect-GET is safe here).
func (s *Server) itemMessage(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	body := r.PostForm.Get("body")
	err := s.app.StaffMessage(r.Context(), sess, r.PathValue("id"), body)
	if err == nil {
		http.Redirect(w, r, "/can-bo/thu/"+r.PathValue("id")+"?da-gui=1", http.StatusSeeOther)
		return nil
	}
	if c := homthu.ErrorCode(err); c != homthu.EINVALID {
		return err
	}
	p, perr := s.itemPage(r, sess)
	if perr != nil {
		return perr
	}
	p.Reply, p.ReplyError = body, homthu.ErrorMessage(err)
	s.render(w, r, statusOf(err), p)
	return nil
}

// attachment answers GET /can-bo/thu/{id}/tep/{n}: the file as a download
// (Content-Disposition: attachment), never displayed inline by the browser.
func (s *Server) attachment(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Không có tệp đính kèm này.")
	}
	a, err := s.app.Attachment(r.Context(), sess, r.PathValue("id"), n)
	if err != nil {
		return err
	}
	if s.app.Blobs == nil {
		return fmt.Errorf("web.attachment: no blob store configured")
	}
	f, err := s.app.Blobs.Open(a.SHA256)
	if err != nil {
		return fmt.Errorf("web.attachment: %w", err)
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", a.Type)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if _, err := io.Copy(w, f); err != nil {
		s.log.Warn("web: attachment copy", "err", err)
	}
	return nil
}
