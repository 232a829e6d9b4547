package web

import (
	"net/http"

	"homthu/internal/homthu"
)

// HomePage says what the mailbox is and offers the two things a citizen
// comes to do: send feedback, or follow one up with a receipt.
type HomePage struct {
	Base
	AnswerDays int
}

func (*HomePage) templateName() string { return "home.html" }

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	p := &HomePage{AnswerDays: homthu.AnswerDays}
	p.Title = "Hòm thư góp ý của Mặt trận Tổ quốc"
	s.render(w, r, http.StatusOK, p)
	return nil
}

// ThanksPage follows the confirmation that the receipt was saved.
type ThanksPage struct {
	Base
	AnswerDays int
}

func (*ThanksPage) templateName() string { return "thanks.html" }

func (s *Server) thanks(w http.ResponseWriter, r *http.Request) error {
	p := &ThanksPage{AnswerDays: homthu.AnswerDays}
	p.Title = "Cảm ơn bạn"
	s.render(w, r, http.StatusOK, p)
	return nil
}
