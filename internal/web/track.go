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

	// Steps are the steps of processing that concern the submitter, in
	// plain words, oldest first (issue 9): received, classified, referred
	// to a body, answered, closed, reopened.
	Steps []StepView
	// Answer is the competent body's answer once the Front passed it on.
	Answer *AnswerView
	// CanRate offers the rating form (the case is closed); Rating is the
	// rating given. Rated says one was just recorded; RateError why it was
	// not, with the form's values kept.
	CanRate     bool
	Rating      *RatingView
	Rated       bool
	RateError   string
	RateComment string
	RateChoice  string
}

// StepView is one step of processing on the receipt page. Only its day is
// shown: the time of a step is no one's business but the Front's.
type StepView struct {
	Day, Text string
}

// AnswerView is the agency's answer as the submitter reads it.
type AnswerView struct {
	Agency, Outcome, Text, Day string
	// File names the written answer's file, downloaded with the receipt.
	File, FileSize string
}

// RatingView is the submitter's rating.
type RatingView struct {
	Satisfied    bool
	Comment, Day string
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
	p.Steps = append(p.Steps, StepView{Day: vnDate(v.ReceivedOn), Text: "Mặt trận nhận thư, đơn của bạn."})
	for _, st := range v.Steps {
		if st.PublicNote != "" {
			p.Steps = append(p.Steps, StepView{Day: vnDate(homthu.Today(st.At)), Text: st.PublicNote})
		}
	}
	if a := v.Answer; a != nil {
		p.Answer = &AnswerView{Agency: a.Agency, Outcome: a.Outcome.Label(), Text: a.Text, Day: vnDate(a.On)}
		if a.File != nil {
			p.Answer.File, p.Answer.FileSize = a.File.Name, sizeLabel(a.File.Size)
		}
	}
	p.CanRate = v.CanRate
	if rt := v.Rating; rt != nil {
		p.Rating = &RatingView{Satisfied: rt.Satisfied, Comment: rt.Comment, Day: vnDate(homthu.Today(rt.At))}
	}
	return http.StatusOK
}

// trackRate answers POST /tra-cuu/danh-gia: receipt, hai_long (1 satisfied,
// 0 not) and y_kien (the comment, required when not satisfied). Not
// satisfied reopens the case for the Front (app.Rate).
func (s *Server) trackRate(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	p := s.newTrackPage()
	p.Receipt = r.PostForm.Get("receipt")
	choice, comment := r.PostForm.Get("hai_long"), r.PostForm.Get("y_kien")
	var err error
	switch choice {
	case "1", "0":
		// A reload that posts the same rating again adds nothing.
		if v, terr := s.app.Track(r.Context(), p.Receipt); terr == nil && v.Rating != nil && v.Rating.Satisfied == (choice == "1") &&
			v.Rating.Comment == strings.TrimSpace(vntext.NFC(comment)) {
			break
		}
		err = s.app.Rate(r.Context(), p.Receipt, choice == "1", comment)
	default:
		err = homthu.Errorf(homthu.EINVALID, "Xin chọn: hài lòng hoặc chưa hài lòng với kết quả.")
	}
	status := s.fillTrack(r, p)
	if status != http.StatusOK {
		s.render(w, r, status, p)
		return nil
	}
	if err != nil {
		s.logIfInternal(r, err)
		p.RateError, p.RateComment, p.RateChoice = homthu.ErrorMessage(err), comment, choice
		s.render(w, r, statusOf(err), p)
		return nil
	}
	p.Rated = true
	s.render(w, r, http.StatusOK, p)
	return nil
}

// trackAnswerFile answers POST /tra-cuu/van-ban-tra-loi: the receipt in
// the body → the written answer's file, as a download.
func (s *Server) trackAnswerFile(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	a, err := s.app.AnswerFile(r.Context(), r.PostForm.Get("receipt"))
	if err != nil {
		p := s.newTrackPage()
		p.Receipt = r.PostForm.Get("receipt")
		if status := s.fillTrack(r, p); status != http.StatusOK {
			s.render(w, r, status, p)
			return nil
		}
		return err
	}
	return s.download(w, a)
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
