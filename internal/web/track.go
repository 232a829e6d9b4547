package web

import (
	"net/http"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// TrackPage is the follow-up of an item with its receipt alone: the status,
// the day received and the thread with the Front, and a form to answer. The
// receipt comes in the body of a POST and goes back out only in the hidden
// field of the reply form — never in a URL.
type TrackPage struct {
	Base
	// Receipt is what the person typed, grouped when valid.
	Receipt string
	// Found says the receipt matched an item; the fields below are then set.
	Found      bool
	Status     homthu.Status
	StatusOpen bool
	Received   string
	Messages   []MessageView
	// Reply is a message being written (kept after an error); Sent says one
	// was just added.
	Reply      string
	ReplyError string
	Sent       bool
	Error      string
	AnswerDays int
	// Anonymous says the item was sent without a name (its leaf enters the
	// transparency log in the day's batch).
	Anonymous bool
	// Proof offers the proof bundle (the server runs a transparency log);
	// ProofWait says when to come back for it, ProofError why it failed.
	Proof      bool
	ProofWait  string
	ProofError string
}

func (*TrackPage) templateName() string { return "track.html" }

// StatusLabel is what the status means, in words that never say "done"
// while the case is open.
func (p *TrackPage) StatusLabel() string { return p.Status.Label() }

func (s *Server) newTrackPage() *TrackPage {
	p := &TrackPage{AnswerDays: homthu.AnswerDays, Proof: s.app.TransLog != nil}
	p.Title = "Tra cứu bằng mã"
	return p
}

func (s *Server) trackForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, s.newTrackPage())
	return nil
}

func parseSmallForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return homthu.Errorf(homthu.EINVALID, "Không đọc được nội dung biểu mẫu (có thể quá dài). Xin thử lại.")
	}
	return nil
}

// track answers POST /tra-cuu.
func (s *Server) track(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	p := s.newTrackPage()
	p.Receipt = r.PostForm.Get("receipt")
	status := s.fillTrack(r, p)
	s.render(w, r, status, p)
	return nil
}

// fillTrack looks the receipt up and fills the page; it returns the status
// to answer with: an unknown receipt is 404, a malformed one 400.
func (s *Server) fillTrack(r *http.Request, p *TrackPage) int {
	v, err := s.app.Track(r.Context(), p.Receipt)
	if err != nil {
		s.logIfInternal(r, err)
		p.Error = homthu.ErrorMessage(err)
		return statusOf(err)
	}
	if c, err := homthu.NormalizeReceipt(p.Receipt); err == nil {
		p.Receipt = homthu.GroupReceipt(c)
	}
	p.Found = true
	p.Status = v.Status
	p.Anonymous = v.Anonymous
	p.StatusOpen = v.Status.Open()
	p.Received = receivedLabel(v.ReceivedLabel())
	p.Messages = messageViews(v.Messages, "Bạn")
	return http.StatusOK
}

// trackReply answers POST /tra-cuu/tin-nhan: the message is added and the
// thread shown again (or the error shown with the message kept).
func (s *Server) trackReply(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	p := s.newTrackPage()
	p.Receipt = r.PostForm.Get("receipt")
	body := r.PostForm.Get("body")
	var err error
	if v, terr := s.app.Track(r.Context(), p.Receipt); terr != nil || !repeated(v.Messages, "citizen", body) {
		err = s.app.TrackMessage(r.Context(), p.Receipt, body)
	}
	status := s.fillTrack(r, p)
	if status != http.StatusOK {
		s.render(w, r, status, p)
		return nil
	}
	if err != nil {
		s.logIfInternal(r, err)
		p.Reply = body
		p.ReplyError = homthu.ErrorMessage(err)
		s.render(w, r, statusOf(err), p)
		return nil
	}
	p.Sent = true
	s.render(w, r, http.StatusOK, p)
	return nil
}

// repeated reports whether body is the same as the thread's last message,
// from the same side: a double click, or a reload that posts the form
// again, then adds nothing. (The receipt cannot go in a URL, so the
// citizen's reply cannot be a POST-redirect-GET.)
func repeated(thread []homthu.Message, from, body string) bool {
	if len(thread) == 0 {
		return false
	}
	last := thread[len(thread)-1]
	return last.From == from && last.Body == strings.TrimSpace(vntext.NFC(body))
}
