package web

import (
	"net/http"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// HomePage says what the mailbox is and offers the two things a citizen
// comes to do: send feedback, or follow one up with a receipt.
type HomePage struct {
	Base
	AnswerDays int
	Catalogs   []CatalogView
	News       []PostRow
}

func (*HomePage) templateName() string { return "home.html" }

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	p := &HomePage{AnswerDays: homthu.AnswerDays}
	p.Title = "Hòm thư góp ý của Mặt trận Tổ quốc"
	cs, err := s.app.Catalogs(r.Context())
	if err != nil {
		return err
	}
	for _, c := range cs {
		p.Catalogs = append(p.Catalogs, catalogView(c))
	}
	posts, _, err := s.app.PublicPosts(r.Context(), store.PostFilter{Limit: 3})
	if err != nil {
		return err
	}
	for _, post := range posts {
		p.News = append(p.News, postRow(post))
	}
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
