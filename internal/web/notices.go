package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"homthu/internal/homthu"
)

// NoticesPage is a staff member's notices ("Thông báo"): reminders of
// mailbox openings, deadlines, finished reports — their own, newest first,
// twenty a page, the unread ones marked.
type NoticesPage struct {
	Base
	Notices []NoticeRow
	// Unread counts the account's unread notices (all pages);
	// UnreadOnly lists only those.
	Unread     int
	UnreadOnly bool
	// Next is the address of the next page, "" on the last; First that of
	// the first page when this is not it.
	Next, First string
	// Done says what was just done.
	Done string
}

func (*NoticesPage) templateName() string { return "notices.html" }

// NoticeRow is one notice as the page shows it.
type NoticeRow struct {
	ID   int64
	Text string
	At   string
	// Href opens the notice's page (and marks it read); "" when it has none.
	Href string
	Read bool
}

// noticesPerPage is a page of the notices list.
const noticesPerPage = 20

// notices answers GET /can-bo/thong-bao: ?chua-doc=1 only the unread ones,
// ?truoc=ID the page below that notice, ?xong= what was just done.
func (s *Server) notices(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	q := r.URL.Query()
	var before int64
	if v := q.Get("truoc"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return homthu.Errorf(homthu.EINVALID, "Địa chỉ trang không hợp lệ (tham số truoc).")
		}
		before = n
	}
	p := &NoticesPage{Base: staffBase("Thông báo", sess), UnreadOnly: q.Get("chua-doc") == "1"}
	switch q.Get("xong") {
	case "tat-ca":
		p.Done = "Đã đánh dấu mọi thông báo là đã đọc."
	case "mot":
		p.Done = "Đã đánh dấu thông báo là đã đọc."
	}
	ns, next, unread, err := s.app.Notices(r.Context(), sess, before, p.UnreadOnly, noticesPerPage)
	if err != nil {
		return err
	}
	p.Unread = unread
	for _, n := range ns {
		row := NoticeRow{ID: n.ID, Text: n.Text, At: vnTime(n.Created), Read: n.Read()}
		if n.Link != "" {
			row.Href = "/can-bo/thong-bao/" + strconv.FormatInt(n.ID, 10)
		}
		p.Notices = append(p.Notices, row)
	}
	v := url.Values{}
	if p.UnreadOnly {
		v.Set("chua-doc", "1")
	}
	if before > 0 {
		p.First = noticesURL(v)
	}
	if next > 0 {
		v.Set("truoc", strconv.FormatInt(next, 10))
		p.Next = noticesURL(v)
	}
	return s.renderOK(w, r, p)
}

func noticesURL(v url.Values) string {
	if len(v) == 0 {
		return "/can-bo/thong-bao"
	}
	return "/can-bo/thong-bao?" + v.Encode()
}

// noticeID reads the {notice} of a path.
func noticeID(r *http.Request) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue("notice"), 10, 64)
	if err != nil || n < 1 {
		return 0, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thông báo này.")
	}
	return n, nil
}

// openNotice answers GET /can-bo/thong-bao/{notice}: the notice is marked
// read and the person goes to its page. (A GET that marks read, as mail
// clients do: it changes nothing but the reader's own mark.)
func (s *Server) openNotice(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := noticeID(r)
	if err != nil {
		return err
	}
	n, err := s.app.ReadNotice(r.Context(), sess, id)
	if err != nil {
		return err
	}
	to := n.Link
	if !strings.HasPrefix(to, "/can-bo/") {
		to = "/can-bo/thong-bao" // validated when stored; never leave the staff side
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// readNotice answers POST /can-bo/thong-bao/{notice}/da-doc.
func (s *Server) readNotice(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := noticeID(r)
	if err != nil {
		return err
	}
	if _, err := s.app.ReadNotice(r.Context(), sess, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/can-bo/thong-bao?xong=mot", http.StatusSeeOther)
	return nil
}

// readAllNotices answers POST /can-bo/thong-bao/da-doc-het.
func (s *Server) readAllNotices(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if _, err := s.app.ReadAllNotices(r.Context(), sess); err != nil {
		return err
	}
	http.Redirect(w, r, "/can-bo/thong-bao?xong=tat-ca", http.StatusSeeOther)
	return nil
}

// setNoticeEmail answers POST /can-bo/tai-khoan/thu-dien-tu: the address
// at which the account also gets its notices by mail ("" for none).
func (s *Server) setNoticeEmail(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	err := s.app.SetNoticeEmail(r.Context(), sess, r.PostForm.Get("email"))
	if homthu.ErrorCode(err) == homthu.EINVALID {
		p := s.accountPage(sess)
		p.EmailError, p.EmailValue = homthu.ErrorMessage(err), r.PostForm.Get("email")
		s.render(w, r, http.StatusBadRequest, p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/can-bo/tai-khoan?thong-bao=thu-dien-tu", http.StatusSeeOther)
	return nil
}
