package web

import "net/http"

// routes lists every page with its method. Citizen pages are in Vietnamese
// words a person can read aloud; nothing secret is ever in a path or query
// (receipts travel in POST bodies only).
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	h := s.handle

	// Citizens.
	mux.Handle("GET /{$}", h(s.home))
	mux.Handle("GET /gui", h(s.submitForm))           // ?q= search, ?duoi= browse, ?area= the form
	mux.Handle("POST /gui", h(s.submit))              // the form → the receipt page
	mux.Handle("POST /gui/da-luu", h(s.confirmSaved)) // "I saved the receipt" → /da-gui
	mux.Handle("GET /da-gui", h(s.thanks))
	mux.Handle("GET /tra-cuu", h(s.trackForm))
	mux.Handle("POST /tra-cuu", h(s.track))                 // receipt in the body → status and thread
	mux.Handle("POST /tra-cuu/tin-nhan", h(s.trackReply))   // receipt + message → thread again
	mux.Handle("POST /tra-cuu/bang-chung", h(s.trackProof)) // receipt → the proof bundle as a download
	mux.Handle("GET /minh-bach", h(s.transparency))         // the transparency log: key, checkpoint, how to check
	mux.Handle("POST /minh-bach", h(s.verifyBundle))        // a proof bundle → valid or not

	// Front staff.
	mux.Handle("GET /can-bo/dang-nhap", h(s.loginForm))
	mux.Handle("POST /can-bo/dang-nhap", h(s.login))
	mux.Handle("POST /can-bo/dang-xuat", h(s.logout))
	mux.Handle("GET /can-bo", http.RedirectHandler(staffPath, http.StatusMovedPermanently))
	mux.Handle("GET /can-bo/{$}", h(s.staff(s.inbox)))
	mux.Handle("GET /can-bo/thu/{id}", h(s.staff(s.item)))
	mux.Handle("POST /can-bo/thu/{id}/tin-nhan", h(s.staff(s.itemMessage)))
	mux.Handle("GET /can-bo/thu/{id}/tep/{n}", h(s.staff(s.attachment)))
	mux.Handle("GET /can-bo/don-vi-chua-co-can-bo", h(s.staff(s.unstaffed)))

	mux.HandleFunc("GET /static/{name}", s.static.serve)
	mux.Handle("/", h(s.notFound))
	return mux
}
