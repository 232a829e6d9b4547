package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/upload"
)

// The agency handler's side (issue 9): a handler of a party committee, an
// inspection committee or a managing agency sees the referrals addressed
// to their body — never another body's (a 404), never the submitter's
// identity, never the Front's notes — acknowledges them, asks the Front
// for more time, and records the outcome with the written answer. Every
// check is the app's (AgencyInbox, AgencyReferral, Acknowledge…); these
// handlers only read forms and draw pages.

// agencyPath is the handler's inbox, where their login lands.
const agencyPath = "/can-bo/co-quan"

// AgencyInboxPage is a handler's inbox: the referrals to their agency,
// filtered by state, newest or soonest deadline first, paginated.
type AgencyInboxPage struct {
	Base
	// State is "open" (the default), "answered" or "all"; ByDue orders by
	// deadline; Overdue keeps only the overdue.
	State   string
	ByDue   bool
	Overdue bool
	States  []Option
	Rows    []AgencyRow
	// Next is the URL of the next page, "" on the last; First that of the
	// first page when this is not it.
	Next, First string
	Error       string
}

func (*AgencyInboxPage) templateName() string { return "agency_inbox.html" }

// AgencyRow is one referral in the inbox.
type AgencyRow struct {
	ID                    int64
	Number, Sent, Due     string
	State, Kind, Area     string
	Snippet               string
	Overdue, Soon, Closed bool
}

// soonDays is how close a deadline is for the inbox to mark it "due soon".
const soonDays = 5

// agencyStates are the inbox's state filters.
var agencyStates = []Option{{Value: "open", Label: "Đang chờ xử lý"}, {Value: "answered", Label: "Đã trả lời"}, {Value: "all", Label: "Tất cả"}}

func (p *AgencyInboxPage) values() url.Values {
	v := url.Values{}
	if p.State != "open" {
		v.Set("loc", p.State)
	}
	if p.ByDue {
		v.Set("sap-xep", "han")
	}
	if p.Overdue {
		v.Set("qua-han", "1")
	}
	return v
}

func agencyURL(v url.Values) string {
	if len(v) == 0 {
		return agencyPath
	}
	return agencyPath + "?" + v.Encode()
}

// StateHref is the inbox of state st with the other filters kept.
func (p *AgencyInboxPage) StateHref(st string) string {
	v := p.values()
	v.Del("loc")
	if st != "open" {
		v.Set("loc", st)
	}
	return agencyURL(v)
}

// agencyInbox answers GET /can-bo/co-quan?loc=&sap-xep=han&qua-han=1&sau=.
func (s *Server) agencyInbox(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	q := r.URL.Query()
	p := &AgencyInboxPage{Base: staffBase("Văn bản chuyển đến", sess), State: q.Get("loc"), ByDue: q.Get("sap-xep") == "han", Overdue: q.Get("qua-han") == "1"}
	if p.State == "" {
		p.State = "open"
	}
	for _, o := range agencyStates {
		o.Selected = o.Value == p.State
		p.States = append(p.States, o)
	}
	rows, next, err := s.app.AgencyInbox(r.Context(), sess, store.AgencyInboxFilter{State: p.State, ByDue: p.ByDue, Overdue: p.Overdue,
		Cursor: q.Get("sau"), Limit: inboxPageSize})
	status := http.StatusOK
	if err != nil {
		if homthu.ErrorCode(err) != homthu.EINVALID {
			return err
		}
		p.Error, status = homthu.ErrorMessage(err), http.StatusBadRequest
	}
	today := homthu.Today(s.now())
	soon := homthu.Today(s.now().AddDate(0, 0, soonDays))
	for _, it := range rows {
		ref := it.Referral
		open := ref.State == homthu.ReferralSent || ref.State == homthu.ReferralAcknowledged
		p.Rows = append(p.Rows, AgencyRow{ID: ref.ID, Number: ref.Number, Sent: vnDate(ref.SentOn), Due: vnDate(ref.DueOn),
			State: ref.State.Label(), Kind: it.Kind.Label(), Area: it.AreaName, Snippet: snippet(it.Snippet, 180),
			Overdue: ref.Overdue(today), Soon: open && !ref.Overdue(today) && ref.DueOn <= soon, Closed: !open})
	}
	if next != "" {
		v := p.values()
		v.Set("sau", next)
		p.Next = agencyURL(v)
	}
	if q.Get("sau") != "" {
		p.First = agencyURL(p.values())
	}
	s.render(w, r, status, p)
	return nil
}

// AgencyReferralPage is one referral as the agency sees it: the covering
// letter, the item's content, kind, categories and the person concerned,
// the attachments if the Front sent them, the requests for more time, and
// the forms to acknowledge, ask for more time and record the outcome.
type AgencyReferralPage struct {
	Base
	Referral    *store.ReferralRow
	Item        *homthu.Item
	Attachments []AttachmentView
	// Open says the referral waits for the agency (acknowledge, more time,
	// answer); Acked that it was acknowledged; Overdue that its deadline
	// passed; DaysLeft says how long is left, in words.
	Open, Acked, Overdue bool
	DaysLeft             string
	Pending              *homthu.Extension
	Outcomes             []Option
	// Categories name the item's standards from the catalogues.
	Categories []CategoryView
	// The forms' values, kept after an error, and the errors.
	Days, Reason, Measures, Answer string
	ExtensionError, AnswerError    string
	// Notice says what was just done.
	Notice string
}

func (*AgencyReferralPage) templateName() string { return "agency_referral.html" }

// ExtensionLabel describes a request for more time.
func (p *AgencyReferralPage) ExtensionLabel(e homthu.Extension) string {
	return fmt.Sprintf("%d ngày, đề nghị ngày %s — %s", e.Days, vnTime(e.RequestedAt), e.State.Label())
}

// Days is a deadline's rule in words.
func (p *AgencyReferralPage) Rule() string {
	return homthu.DeadlineRule{Days: p.Referral.Days, Working: p.Referral.Working}.Label()
}

// Sent, Due, Received are the referral's and item's days.
func (p *AgencyReferralPage) Sent() string     { return vnDate(p.Referral.SentOn) }
func (p *AgencyReferralPage) Due() string      { return vnDate(p.Referral.DueOn) }
func (p *AgencyReferralPage) Received() string { return vnDate(p.Item.ReceivedOn) }

// AnsweredAt is when the agency answered.
func (p *AgencyReferralPage) AnsweredAt() string { return vnTime(p.Referral.AnsweredAt) }

// AckedAt is when the agency acknowledged.
func (p *AgencyReferralPage) AckedAt() string { return vnTime(p.Referral.AcknowledgedAt) }

// referralID reads the {referral} of the path; a malformed one is not found.
func referralID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("referral"), 10, 64)
	if err != nil || id <= 0 {
		return 0, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy văn bản chuyển này.")
	}
	return id, nil
}

func referralPath(id int64) string { return agencyPath + "/chuyen/" + strconv.FormatInt(id, 10) }

func (s *Server) agencyReferralPage(r *http.Request, sess *homthu.Session) (*AgencyReferralPage, error) {
	id, err := referralID(r)
	if err != nil {
		return nil, err
	}
	c, err := s.app.AgencyReferral(r.Context(), sess, id)
	if err != nil {
		return nil, err
	}
	ref := c.Referral
	p := &AgencyReferralPage{Base: staffBase("Văn bản chuyển số "+ref.Number, sess), Referral: ref, Item: c.Item,
		Open: ref.State == homthu.ReferralSent || ref.State == homthu.ReferralAcknowledged, Acked: !ref.AcknowledgedAt.IsZero(),
		Pending: ref.PendingExtension()}
	today := homthu.Today(s.now())
	p.Overdue = ref.Overdue(today)
	if p.Open {
		p.DaysLeft = daysLeft(today, ref.DueOn)
	}
	for i, a := range c.Item.Attachments {
		p.Attachments = append(p.Attachments, AttachmentView{Href: fmt.Sprintf("%s/tep/%d", referralPath(ref.ID), i), Name: a.Name, Type: a.Type, Size: sizeLabel(a.Size)})
	}
	for _, o := range homthu.Outcomes {
		p.Outcomes = append(p.Outcomes, Option{Value: string(o), Label: o.Label()})
	}
	if p.Categories, err = s.categoryViews(r, c.Item.Categories); err != nil {
		return nil, err
	}
	return p, nil
}

// daysLeft says in words how far day due is from today (calendar days).
func daysLeft(today, due string) string {
	t, err1 := time.Parse(time.DateOnly, today)
	d, err2 := time.Parse(time.DateOnly, due)
	if err1 != nil || err2 != nil {
		return ""
	}
	n := int(d.Sub(t).Hours() / 24)
	switch {
	case n < 0:
		return fmt.Sprintf("Quá hạn %d ngày", -n)
	case n == 0:
		return "Hết hạn hôm nay"
	}
	return fmt.Sprintf("Còn %d ngày", n)
}

// agencyNotices are the notices after a redirect (?da=…).
var agencyNotices = map[string]string{
	"nhan":    "Đã xác nhận cơ quan nhận văn bản chuyển. Người phản ánh được báo rằng cơ quan đang xem xét, giải quyết.",
	"gia-han": "Đã gửi đề nghị gia hạn. Mặt trận sẽ xem xét và quyết định; thời hạn hiện tại vẫn giữ nguyên cho đến khi Mặt trận đồng ý.",
	"tra-loi": "Đã ghi kết quả xử lý và văn bản trả lời. Mặt trận sẽ thông báo kết quả cho người phản ánh.",
}

// agencyReferral answers GET /can-bo/co-quan/chuyen/{referral}. Another
// agency's referral is the same 404 as one that does not exist.
func (s *Server) agencyReferral(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p, err := s.agencyReferralPage(r, sess)
	if err != nil {
		return err
	}
	p.Notice = agencyNotices[r.URL.Query().Get("da")]
	return s.renderOK(w, r, p)
}

// agencyFormError draws the referral page again with a form's error (and
// its values) on an invalid or conflicting request; anything else is the
// error page.
func (s *Server) agencyFormError(w http.ResponseWriter, r *http.Request, sess *homthu.Session, err error, fill func(p *AgencyReferralPage, msg string)) error {
	if c := homthu.ErrorCode(err); c != homthu.EINVALID && c != homthu.ECONFLICT && c != homthu.ETOOLARGE {
		return err
	}
	p, perr := s.agencyReferralPage(r, sess)
	if perr != nil {
		return perr
	}
	fill(p, homthu.ErrorMessage(err))
	s.render(w, r, statusOf(err), p)
	return nil
}

// acknowledge answers POST /can-bo/co-quan/chuyen/{referral}/da-nhan.
func (s *Server) acknowledge(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := referralID(r)
	if err != nil {
		return err
	}
	if err := s.app.Acknowledge(r.Context(), sess, id); err != nil {
		return s.agencyFormError(w, r, sess, err, func(p *AgencyReferralPage, msg string) { p.AnswerError = msg })
	}
	http.Redirect(w, r, referralPath(id)+"?da=nhan", http.StatusSeeOther)
	return nil
}

// requestExtension answers POST /can-bo/co-quan/chuyen/{referral}/gia-han:
// so_ngay (days) and ly_do (the reason).
func (s *Server) requestExtension(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	id, err := referralID(r)
	if err != nil {
		return err
	}
	daysText, reason := strings.TrimSpace(r.PostForm.Get("so_ngay")), r.PostForm.Get("ly_do")
	days, perr := strconv.Atoi(daysText)
	if perr != nil {
		err = homthu.Errorf(homthu.EINVALID, "Số ngày xin gia hạn %q không hợp lệ: ghi một số từ 1 đến %d.", daysText, homthu.MaxExtensionDays)
	} else {
		err = s.app.RequestExtension(r.Context(), sess, id, days, reason)
	}
	if err != nil {
		return s.agencyFormError(w, r, sess, err, func(p *AgencyReferralPage, msg string) {
			p.Days, p.Reason, p.ExtensionError = daysText, reason, msg
		})
	}
	http.Redirect(w, r, referralPath(id)+"?da=gia-han", http.StatusSeeOther)
	return nil
}

// maxAnswerBody bounds the answer form: the text fields and one file.
const maxAnswerBody = upload.MaxInput + 1<<20

// answerReferral answers POST /can-bo/co-quan/chuyen/{referral}/tra-loi, a
// multipart form: ket_qua (the outcome), bien_phap (measures taken),
// noi_dung (the answer's text) and tep (the signed answer, PDF or image,
// cleaned of its metadata like every upload).
func (s *Server) answerReferral(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := referralID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxAnswerBody)
	var ans homthu.Answer
	err = r.ParseMultipartForm(1 << 20)
	if err != nil && !errors.Is(err, http.ErrNotMultipart) {
		err = bodyError(err)
	} else {
		if err != nil {
			err = r.ParseForm()
		}
		if err == nil {
			ans = homthu.Answer{Outcome: homthu.Outcome(r.FormValue("ket_qua")), Measures: r.FormValue("bien_phap"), Text: r.FormValue("noi_dung")}
			ans.File, err = s.answerUpload(r)
		}
		if err == nil {
			err = s.app.AnswerReferral(r.Context(), sess, id, ans)
		}
	}
	if err != nil {
		return s.agencyFormError(w, r, sess, err, func(p *AgencyReferralPage, msg string) {
			p.Measures, p.Answer, p.AnswerError = ans.Measures, ans.Text, msg
			for i := range p.Outcomes {
				p.Outcomes[i].Selected = p.Outcomes[i].Value == string(ans.Outcome)
			}
		})
	}
	http.Redirect(w, r, referralPath(id)+"?da=tra-loi", http.StatusSeeOther)
	return nil
}

// answerUpload cleans and stores the uploaded answer file, nil when none.
func (s *Server) answerUpload(r *http.Request) (*homthu.Attachment, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["tep"]) == 0 {
		return nil, nil
	}
	fh := r.MultipartForm.File["tep"][0]
	if fh.Filename == "" && fh.Size == 0 {
		return nil, nil
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("web.answerUpload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, upload.MaxInput+1))
	if err != nil {
		return nil, fmt.Errorf("web.answerUpload: %w", err)
	}
	clean, err := s.app.Sanitize(r.Context(), data, fh.Filename)
	if err != nil {
		return nil, err
	}
	if s.app.Blobs == nil {
		return nil, errors.New("web.answerUpload: no blob store configured")
	}
	sum, err := s.app.Blobs.Put(clean.Data)
	if err != nil {
		return nil, fmt.Errorf("web.answerUpload: %w", err)
	}
	return &homthu.Attachment{SHA256: sum, Name: clean.Name, Type: clean.Type, Size: clean.Size}, nil
}

// agencyAttachment answers GET /can-bo/co-quan/chuyen/{referral}/tep/{n}:
// an attachment of the item, when the Front sent them along.
func (s *Server) agencyAttachment(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := referralID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Không có tệp đính kèm này.")
	}
	a, err := s.app.AgencyAttachment(r.Context(), sess, id, n)
	if err != nil {
		return err
	}
	return s.download(w, a)
}

// agencyAnswerFile answers GET /can-bo/co-quan/chuyen/{referral}/van-ban-tra-loi:
// the answer file the agency recorded.
func (s *Server) agencyAnswerFile(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p, err := s.agencyReferralPage(r, sess)
	if err != nil {
		return err
	}
	if p.Referral.AnswerFile == nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Chưa có văn bản trả lời đính kèm.")
	}
	return s.download(w, p.Referral.AnswerFile)
}

// download sends a stored file as a download, never displayed inline.
func (s *Server) download(w http.ResponseWriter, a *homthu.Attachment) error {
	if s.app.Blobs == nil {
		return errors.New("web.download: no blob store configured")
	}
	f, err := s.app.Blobs.Open(a.SHA256)
	if err != nil {
		return fmt.Errorf("web.download: %w", err)
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", a.Type)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if _, err := io.Copy(w, f); err != nil {
		s.log.Warn("web: download copy", "err", err)
	}
	return nil
}
