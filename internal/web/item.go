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
// them. A named submitter's identity is not on it: a role that may reveal it
// gets a step-up form (a fresh second-factor code and a reason, issue 5),
// and the identity appears only on the answer to that form — never stored,
// never in a session, and the look is audited.
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

	// CanReveal offers the step-up form (a named item, a role that may
	// reveal); HasTOTP says the user has the second factor it needs.
	CanReveal bool
	HasTOTP   bool
	// Reason is kept after a failed step-up, RevealError says why it failed.
	Reason      string
	RevealError string
	// Identity is the revealed identity, on the answer to the step-up only.
	Identity *homthu.Identity

	// Processing (issue 9): the classification, what the rules of its kind
	// say, the history, and what the session may do next.
	Categories []CategoryView
	Rules      []string
	History    []HistoryView
	CanTriage  bool
	// Done says what was just saved (after a POST-redirect-GET).
	Done string

	// CanQuote offers "quote in the digest" (Front staff, an item that is
	// not spam); Quoted says the item is quoted in their unit's digests.
	CanQuote, Quoted bool
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
	c, err := s.app.OpenCase(r.Context(), sess, id)
	if err != nil {
		return nil, err
	}
	it := c.Item
	p := &ItemPage{Base: staffBase("Thư, đơn ngày "+vnDate(it.ReceivedOn), sess), Item: it,
		Messages: messageViews(c.Messages, "Người phản ánh"), CanMessage: sess.User.Role.Can(homthu.ActMessage),
		CanReveal: !it.Anonymous && sess.User.Role.Can(homthu.ActRevealIdentity), HasTOTP: sess.User.HasTOTP,
		CanTriage: c.Allowed[homthu.EvTriage] || c.Allowed[homthu.EvRedirect],
		Rules:     ruleLines(it), History: historyViews(c.History)}
	if p.Categories, err = s.categoryViews(r, it.Categories); err != nil {
		return nil, err
	}
	p.Received = "ngày " + vnDate(it.ReceivedOn)
	if !it.ReceivedAt.IsZero() {
		p.Received = vnTime(it.ReceivedAt)
	}
	for i, a := range it.Attachments {
		p.Attachments = append(p.Attachments, AttachmentView{
			Href: fmt.Sprintf("/can-bo/thu/%s/tep/%d", it.ID, i), Name: a.Name, Type: a.Type, Size: sizeLabel(a.Size)})
	}
	if p.CanQuote = sess.User.Role.Can(homthu.ActQuoteItems) && it.Status != homthu.StatusSpam; p.CanQuote {
		var err error
		if p.Quoted, err = s.app.IsQuoted(r.Context(), sess, it.ID); err != nil {
			return nil, err
		}
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
	p.Done = doneLabel(homthu.Event(r.URL.Query().Get("xong")))
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

// revealIdentity answers POST /can-bo/thu/{id}/danh-tinh: with a fresh
// second-factor code and a reason, the item page with the submitter's
// identity (app.RevealIdentity audits the look before it decrypts). The
// answer is not cached (Cache-Control: no-store, as every page) and the
// identity goes nowhere else: a reload asks again, and is audited again.
func (s *Server) revealIdentity(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	reason := r.PostForm.Get("reason")
	idn, err := s.app.RevealIdentity(r.Context(), sess, r.PathValue("id"), r.PostForm.Get("otp"), reason)
	switch homthu.ErrorCode(err) {
	case "":
	case homthu.EINVALID, homthu.EUNAUTHORIZED, homthu.EFORBIDDEN, homthu.ERATELIMITED:
		p, perr := s.itemPage(r, sess)
		if perr != nil {
			return perr
		}
		p.Reason, p.RevealError = reason, homthu.ErrorMessage(err)
		s.render(w, r, statusOf(err), p)
		return nil
	default:
		return err // not found (or anonymous), internal
	}
	p, err := s.itemPage(r, sess)
	if err != nil {
		return err
	}
	p.Identity = idn
	s.render(w, r, http.StatusOK, p)
	return nil
}
