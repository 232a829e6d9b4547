package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/workdays"
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
	// Years are the years of the working-day calendar; CanLoad shows the
	// form that loads a year, with LoadError and LoadText after a refused
	// load.
	Years               []YearRow
	CanLoad             bool
	LoadError, LoadText string
}

func (*SystemPage) templateName() string { return "system.html" }

// YearRow is one year of the working-day calendar.
type YearRow struct {
	Year                int
	Sources             []string
	Incomplete          string
	Holidays, Off, Work int
	Origin              string // "đi kèm hệ thống" or who loaded it and when
	Days                []YearDay
}

// YearDay is a listed day, or run of days, of a year.
type YearDay struct {
	When, Kind, Name string
}

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
	p, err := s.systemPage(r, sess)
	if err != nil {
		return err
	}
	return s.renderOK(w, r, p)
}

func (s *Server) systemPage(r *http.Request, sess *homthu.Session) (*SystemPage, error) {
	var before int64
	if v := r.URL.Query().Get("truoc"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return nil, homthu.Errorf(homthu.EINVALID, "Địa chỉ trang không hợp lệ (tham số truoc).")
		}
		before = n
	}
	st, err := s.app.SystemStatus(r.Context(), sess, before)
	if err != nil {
		return nil, err
	}
	cal, err := s.app.WorkdaysStatus(r.Context(), sess)
	if err != nil {
		return nil, err
	}
	p := &SystemPage{Base: staffBase("Tình trạng hệ thống", sess), MailConfigured: st.MailConfigured, MailServer: st.MailServer}
	switch v := r.URL.Query().Get("xong"); {
	case v == "chay-lai":
		p.Done = "Đã đưa tác vụ trở lại hàng đợi; nó sẽ chạy trong giây lát."
	case len(v) > 4 && v[:4] == "thu-":
		p.Done = fmt.Sprintf("Đã cho %s thư đang chờ gửi lại ngay.", v[4:])
	case len(v) > 5 && v[:5] == "lich-":
		p.Done = fmt.Sprintf("Đã nạp lịch ngày làm việc năm %s. Các thời hạn tính từ nay theo lịch mới.", strings.ReplaceAll(v[5:], "-", ", "))
	}
	p.CanLoad = sess.User.Role.Can(homthu.ActManageWorkdays)
	for _, y := range cal.Years {
		row := YearRow{Year: y.Year.Year, Sources: y.Sources, Incomplete: y.Incomplete, Origin: "đi kèm hệ thống"}
		if !y.Shipped {
			row.Origin = "nạp lúc " + vnTime(y.LoadedAt)
			if y.LoadedBy != "" {
				row.Origin += " bởi " + y.LoadedBy
			} else {
				row.Origin += " bằng lệnh homthu workdays load"
			}
		}
		for _, d := range y.Days {
			switch d.Kind {
			case workdays.Holiday:
				row.Holidays++
			case workdays.Off:
				row.Off++
			case workdays.Work:
				row.Work++
			}
		}
		for _, sp := range workdays.Spans(y.Days) {
			row.Days = append(row.Days, YearDay{When: spanLabel(sp), Kind: kindLabel(sp.Kind), Name: sp.Name})
		}
		p.Years = append(p.Years, row)
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
	p.Warnings = append(p.Warnings, cal.Warnings...)
	if st.FailedNext > 0 {
		p.FailedNext = "/can-bo/he-thong?truoc=" + strconv.FormatInt(st.FailedNext, 10) + "#that-bai"
	}
	return p, nil
}

// spanLabel writes a run of days: "thứ Bảy 25/01/2025 – Chủ nhật 02/02/2025".
func spanLabel(sp workdays.Span) string {
	day := func(d string) string {
		t, _ := time.Parse(time.DateOnly, d)
		return weekdayVN(t.Weekday()) + " " + vnDate(d)
	}
	if sp.To == sp.From {
		return day(sp.From)
	}
	return day(sp.From) + " – " + day(sp.To)
}

// weekdayVN names a weekday in Vietnamese.
func weekdayVN(d time.Weekday) string {
	return [...]string{"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"}[d]
}

// kindLabel names a kind of listed day.
func kindLabel(k workdays.Kind) string {
	switch k {
	case workdays.Holiday:
		return "nghỉ lễ, Tết"
	case workdays.Off:
		return "nghỉ hoán đổi"
	case workdays.Work:
		return "làm bù"
	}
	return string(k)
}

// loadWorkdays answers POST /can-bo/he-thong/lich: a calendar file
// (uploaded as "tep", or pasted as "noi_dung") → its years loaded, or the
// page again with what is wrong and the text kept.
func (s *Server) loadWorkdays(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	data, text, err := readTextForm(w, r, workdays.MaxFileBytes, "tệp lịch")
	var years []workdays.Year
	if err == nil {
		years, err = s.app.LoadWorkdays(r.Context(), sess, data)
	}
	if code := homthu.ErrorCode(err); code == homthu.EINVALID || code == homthu.ETOOLARGE {
		p, perr := s.systemPage(r, sess)
		if perr != nil {
			return perr
		}
		p.LoadError, p.LoadText = homthu.ErrorMessage(err), text
		s.render(w, r, statusOf(err), p)
		return nil
	} else if err != nil {
		return err
	}
	var list []string
	for _, y := range years {
		list = append(list, strconv.Itoa(y.Year))
	}
	http.Redirect(w, r, "/can-bo/he-thong?xong=lich-"+strings.Join(list, "-")+"#lich", http.StatusSeeOther)
	return nil
}

// workdaysFile answers GET /can-bo/he-thong/lich.txt: the calendar in use,
// every year, as a file to edit and load again.
func (s *Server) workdaysFile(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	cal, err := s.app.WorkdaysStatus(r.Context(), sess)
	if err != nil {
		return err
	}
	f := &workdays.File{}
	for _, y := range cal.Years {
		f.Years = append(f.Years, y.Year)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="lich-ngay-lam-viec.txt"`)
	_, err = w.Write(workdays.Format(f))
	return err
}

// readTextForm returns the text file of a form: the uploaded "tep" if
// any, else the pasted "noi_dung" (also returned, to be kept on an error).
func readTextForm(w http.ResponseWriter, r *http.Request, maxBytes int, what string) (data []byte, text string, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, int64(2*maxBytes+64<<10))
	tooLarge := homthu.Errorf(homthu.ETOOLARGE, "%s quá lớn: tối đa %d KB.", strings.ToUpper(what[:1])+what[1:], maxBytes>>10)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		if err := r.ParseMultipartForm(int64(2 * maxBytes)); err != nil {
			return nil, "", tooLarge
		}
		if f, _, err := r.FormFile("tep"); err == nil {
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, int64(maxBytes)+1))
			if err != nil {
				return nil, "", homthu.Errorf(homthu.EINVALID, "Không đọc được tệp. Xin chọn lại tệp.")
			}
			if len(b) > maxBytes {
				return nil, "", tooLarge
			}
			if len(b) > 0 {
				return b, "", nil
			}
		}
	} else if err := r.ParseForm(); err != nil {
		return nil, "", tooLarge
	}
	text = r.PostFormValue("noi_dung")
	if strings.TrimSpace(text) == "" {
		return nil, "", homthu.Errorf(homthu.EINVALID, "Xin chọn %s, hoặc dán nội dung của tệp vào ô.", what)
	}
	return []byte(text), text, nil
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
