package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
)

// SystemPage is the administrators' view of the background machinery
// ("Tình trạng hệ thống"): the mail queue — waiting, failing, sent, failed,
// the last error and the last success, per kind of recipient, never an
// address — the background jobs, and the failed jobs with a way to run
// them again. A failing mail server shows here (and in the log) instead of
// failing silently.
type SystemPage struct {
	Base
	MailConfigured bool
	MailServer     string
	Mail, Jobs     []KindRow
	Failed         []FailedRow
	// FailedNext is the address of the next page of failed jobs.
	FailedNext string
	// Warnings are what needs an administrator's attention, most urgent
	// first.
	Warnings []string
	// Done says what was just done.
	Done string
}

func (*SystemPage) templateName() string { return "system.html" }

// KindRow is one kind of job as the page shows it.
type KindRow struct {
	Label, Kind                                string
	Waiting, Failing, Running, Done, Failed    int
	LastSuccess, LastError, LastErrorAt, Since string
	Handled                                    bool
	Recurrence                                 string
}

// FailedRow is one failed job.
type FailedRow struct {
	ID                   int64
	Label, Kind          string
	Created, Finished    string
	Attempts             int
	Error                string
	CanRetry, SecretGone bool
}

func kindRow(k app.JobKindStatus) KindRow {
	return KindRow{Label: k.Label, Kind: k.Kind, Waiting: k.Waiting, Failing: k.Failing, Running: k.Running, Done: k.Done, Failed: k.Failed,
		LastSuccess: timeOrEmpty(k.LastSuccess), LastError: k.LastError, LastErrorAt: timeOrEmpty(k.LastErrorAt),
		Since: timeOrEmpty(k.OldestWaiting), Handled: k.Handled, Recurrence: k.Recurrence}
}

func timeOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return vnTime(t)
}

// systemStatus answers GET /can-bo/he-thong (?truoc=ID: older failed jobs,
// ?xong= what was just done).
func (s *Server) systemStatus(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	var before int64
	if v := r.URL.Query().Get("truoc"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return homthu.Errorf(homthu.EINVALID, "Địa chỉ trang không hợp lệ (tham số truoc).")
		}
		before = n
	}
	st, err := s.app.SystemStatus(r.Context(), sess, before)
	if err != nil {
		return err
	}
	p := &SystemPage{Base: staffBase("Tình trạng hệ thống", sess), MailConfigured: st.MailConfigured, MailServer: st.MailServer}
	switch v := r.URL.Query().Get("xong"); {
	case v == "chay-lai":
		p.Done = "Đã đưa tác vụ trở lại hàng đợi; nó sẽ chạy trong giây lát."
	case len(v) > 4 && v[:4] == "thu-":
		p.Done = fmt.Sprintf("Đã cho %s thư đang chờ gửi lại ngay.", v[4:])
	}
	waiting, failing := 0, 0
	var lastErr, lastErrAt string
	for _, k := range st.Mail {
		row := kindRow(k)
		p.Mail = append(p.Mail, row)
		waiting += k.Waiting
		failing += k.Failing
		if row.LastErrorAt != "" && k.Failing > 0 {
			lastErr, lastErrAt = row.LastError, row.LastErrorAt
		}
	}
	switch {
	case !st.MailConfigured && waiting > 0:
		p.Warnings = append(p.Warnings, fmt.Sprintf("Chưa cấu hình máy chủ thư (HOMTHU_SMTP_HOST): %d thư đang chờ trong hàng đợi, chưa gửi được. Thư không bị mất; khi cấu hình xong và khởi động lại, thư sẽ được gửi.", waiting))
	case failing > 0:
		p.Warnings = append(p.Warnings, fmt.Sprintf("Máy chủ thư đang lỗi: %d thư gửi chưa được và sẽ được gửi lại tự động. Lỗi gần nhất lúc %s: %s", failing, lastErrAt, lastErr))
	}
	for _, k := range st.Jobs {
		row := kindRow(k)
		p.Jobs = append(p.Jobs, row)
		if k.Waiting > 0 && !k.Handled {
			p.Warnings = append(p.Warnings, fmt.Sprintf("Có %d tác vụ “%s” đang chờ mà tiến trình này không chạy loại tác vụ đó.", k.Waiting, row.Label))
		}
	}
	for _, j := range st.Failed {
		p.Failed = append(p.Failed, FailedRow{ID: j.ID, Label: s.app.KindLabel(j.Kind), Kind: j.Kind, Created: vnTime(j.Created),
			Finished: timeOrEmpty(j.Finished), Attempts: j.Attempts, Error: j.LastError, CanRetry: !j.Erased, SecretGone: j.Erased})
	}
	if len(p.Failed) > 0 && before == 0 {
		p.Warnings = append(p.Warnings, "Có tác vụ đã thất bại hẳn (xem danh sách bên dưới).")
	}
	if st.FailedNext > 0 {
		p.FailedNext = "/can-bo/he-thong?truoc=" + strconv.FormatInt(st.FailedNext, 10) + "#that-bai"
	}
	return s.renderOK(w, r, p)
}

// retryMail answers POST /can-bo/he-thong/gui-lai-thu.
func (s *Server) retryMail(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	n, err := s.app.RetryMailNow(r.Context(), sess)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/can-bo/he-thong?xong=thu-"+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}

// retryJob answers POST /can-bo/he-thong/tac-vu/{job}/chay-lai.
func (s *Server) retryJob(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := strconv.ParseInt(r.PathValue("job"), 10, 64)
	if err != nil || id < 1 {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy tác vụ này.")
	}
	if err := s.app.RetryJob(r.Context(), sess, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/can-bo/he-thong?xong=chay-lai", http.StatusSeeOther)
	return nil
}
