package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"homthu/internal/app"
	"homthu/internal/export"
	"homthu/internal/homthu"
	"homthu/internal/report"
)

// Reports (issue 10): the digest of a unit and a period (tổng hợp ý kiến,
// kiến nghị) as tables and SVG charts, its downloads in the Decree 30
// formats, the background job that writes a long one, and the leaders'
// dashboard. Every figure comes from app.Digest, the one query layer the
// exports and the API read too.

const (
	reportsPath   = "/can-bo/bao-cao"
	dashboardPath = "/can-bo/bang-dieu-khien"
)

// rowsPage is how many child units the report page lists at once: a
// province of 3,000 communes pages through them (the total is on every page).
const rowsPage = 100

// ReportPage is a unit's digest for a period.
type ReportPage struct {
	Base
	UnitCode, UnitName string
	Up                 string // the report of the unit above, when in scope
	Units              []Option
	Kinds              []Option
	Value, From, To    string
	Period             string // "quý I năm 2026"
	Range              string // "01/01/2026 – 31/03/2026"
	Error              string
	Summary            []SummaryFigure
	// Breakdowns are the tables by channel, kind and status.
	Breakdowns           []FigureTable
	Categories, Agencies FigureTable
	Rows                 []ReportRow
	Total                ReportRow
	RowsFrom, RowsTo     int
	RowsCount            int
	PrevRows, NextRows   string
	Months               []MonthRow
	MonthsChart          template.HTML
	OpeningsChart        template.HTML
	RowsChart            template.HTML
	Quotes               []QuoteRow
	Downloads            []Option // Value: the link; Label: the format
	Query                []Option // the request as hidden fields, for the job form
	Formats              []Option
	CanQuote             bool
}

func (*ReportPage) templateName() string { return "reports.html" }

// SummaryFigure is one headline figure.
type SummaryFigure struct{ Label, Value, Note string }

// FigureTable is a breakdown of the items.
type FigureTable struct {
	Caption, Head string
	Rows          []FigureRow
}

// FigureRow is one line of a breakdown.
type FigureRow struct {
	Label, N, Share string
}

// ReportRow is one unit of the roll-up.
type ReportRow struct {
	Name, Href                     string
	Own                            bool
	Received, Answered, Rate, Spam string
	Referrals, RefAnswered, OnTime string
	Openings                       string
}

// MonthRow is one month of the trend.
type MonthRow struct {
	Month, Received, Answered, Spam, Openings string
}

// QuoteRow is one quoted item.
type QuoteRow struct {
	Href, Where, Content, Note string
}

func num(n int) string { return export.FormatInt(int64(n)) }

func pct(n, of int) string {
	if of == 0 {
		return "—"
	}
	return export.FormatPercent(float64(n) / float64(of))
}

func tallyPct(t homthu.Tally) string { return pct(t.Opened(), t.Expected()) }

// digestRequest reads the unit and the period of a report from the query:
// don-vi, ky (thang, quy, sau-thang, nam, khoang), gia-tri, tu, den. The
// default is this month of the session's unit.
func (s *Server) digestRequest(q url.Values) (app.DigestRequest, error) {
	req := app.DigestRequest{Unit: q.Get("don-vi")}
	kinds := map[string]homthu.PeriodKind{"thang": homthu.PeriodMonth, "quy": homthu.PeriodQuarter, "sau-thang": homthu.PeriodHalf,
		"nam": homthu.PeriodYear, "khoang": homthu.PeriodRange}
	k := q.Get("ky")
	if k == "" {
		k = "thang"
	}
	kind, ok := kinds[k]
	if !ok {
		return req, homthu.Errorf(homthu.EINVALID, "Loại kỳ báo cáo %q không có: chọn tháng, quý, sáu tháng, năm hoặc khoảng ngày.", k)
	}
	v := q.Get("gia-tri")
	if v == "" && kind != homthu.PeriodRange {
		now := s.now().In(homthu.VNTime)
		switch kind {
		case homthu.PeriodMonth:
			v = now.Format("2006-01")
		case homthu.PeriodQuarter:
			v = fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())-1)/3+1)
		case homthu.PeriodHalf:
			v = fmt.Sprintf("%d-H%d", now.Year(), (int(now.Month())-1)/6+1)
		case homthu.PeriodYear:
			v = strconv.Itoa(now.Year())
		}
	}
	var err error
	req.Period, err = homthu.ParsePeriod(kind, v, q.Get("tu"), q.Get("den"))
	return req, err
}

// periodQuery writes a request back as query parameters.
func periodQuery(req app.DigestRequest) url.Values {
	v := url.Values{}
	if req.Unit != "" {
		v.Set("don-vi", req.Unit)
	}
	names := map[homthu.PeriodKind]string{homthu.PeriodMonth: "thang", homthu.PeriodQuarter: "quy", homthu.PeriodHalf: "sau-thang",
		homthu.PeriodYear: "nam", homthu.PeriodRange: "khoang"}
	v.Set("ky", names[req.Period.Kind])
	if req.Period.Kind == homthu.PeriodRange {
		v.Set("tu", req.Period.From)
		v.Set("den", req.Period.To)
	} else {
		v.Set("gia-tri", req.Period.Value())
	}
	return v
}

func kindOptions(k homthu.PeriodKind) []Option {
	var out []Option
	for _, o := range []struct {
		v    string
		k    homthu.PeriodKind
		name string
	}{{"thang", homthu.PeriodMonth, "Tháng (2026-11)"}, {"quy", homthu.PeriodQuarter, "Quý (2026-Q4)"},
		{"sau-thang", homthu.PeriodHalf, "Sáu tháng (2026-H2)"}, {"nam", homthu.PeriodYear, "Năm (2026)"}, {"khoang", homthu.PeriodRange, "Khoảng ngày (từ – đến)"}} {
		out = append(out, Option{Value: o.v, Label: o.name, Selected: o.k == k})
	}
	return out
}

// reports answers GET /can-bo/bao-cao.
func (s *Server) reports(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	q := r.URL.Query()
	req, err := s.digestRequest(q)
	if err != nil {
		return err
	}
	offset := 0
	if v := q.Get("tu-dong"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return homthu.Errorf(homthu.EINVALID, "Vị trí trang danh sách đơn vị không hợp lệ.")
		}
	}
	d, err := s.app.Digest(r.Context(), sess, req)
	if err != nil {
		return err
	}
	req.Unit = d.Unit.Code
	p, err := s.reportPage(sess, d, req, offset, reportsPath)
	if err != nil {
		return err
	}
	return s.renderOK(w, r, p)
}

// DashboardPage is the leaders' dashboard: the last twelve months of a
// unit's digest, its trends and its units one level down, each a link to
// the same dashboard one level lower.
type DashboardPage struct {
	ReportPage
	Report string // the full report of the same period
}

func (*DashboardPage) templateName() string { return "dashboard.html" }

// dashboard answers GET /can-bo/bang-dieu-khien?don-vi=.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	now := s.now().In(homthu.VNTime)
	first := homthu.MonthOf(now).Add(-11)
	period, err := homthu.ParsePeriod(homthu.PeriodRange, "", first.Start().Format(time.DateOnly), now.Format(time.DateOnly))
	if err != nil {
		return err
	}
	req := app.DigestRequest{Unit: r.URL.Query().Get("don-vi"), Period: period}
	d, err := s.app.Digest(r.Context(), sess, req)
	if err != nil {
		return err
	}
	req.Unit = d.Unit.Code
	rp, err := s.reportPage(sess, d, req, 0, dashboardPath)
	if err != nil {
		return err
	}
	rp.Title = "Bảng điều khiển"
	if rp.Up != "" {
		rp.Up = dashboardPath + "?don-vi=" + url.QueryEscape(d.Unit.Parent)
	}
	for i := range rp.Rows {
		if rp.Rows[i].Href != "" {
			rp.Rows[i].Href = dashboardPath + "?don-vi=" + url.QueryEscape(d.Rows[i].Code)
		}
	}
	return s.renderOK(w, r, &DashboardPage{ReportPage: *rp, Report: reportsPath + "?" + periodQuery(req).Encode()})
}

// reportPage lays a digest out for the page.
// Links to other units go to path (the report page or the dashboard).
func (s *Server) reportPage(sess *homthu.Session, d *app.Digest, req app.DigestRequest, offset int, path string) (*ReportPage, error) {
	link := func(path string, unit string, extra url.Values) string {
		v := periodQuery(app.DigestRequest{Unit: unit, Period: req.Period})
		for k, vs := range extra {
			v[k] = vs
		}
		return path + "?" + v.Encode()
	}
	t := d.Total
	p := &ReportPage{Base: staffBase("Báo cáo tổng hợp", sess), UnitCode: d.Unit.Code, UnitName: d.Unit.FullName,
		Kinds: kindOptions(req.Period.Kind), Value: req.Period.Value(), From: req.Period.From, To: req.Period.To,
		Period: d.Period.Label(), Range: day(d.Period.From) + " – " + day(d.Period.To),
		CanQuote: sess.User.Role.Can(homthu.ActQuoteItems)}
	if d.Unit.Parent != "" && d.Unit.Code != sess.User.Unit {
		p.Up = link(path, d.Unit.Parent, nil)
	}
	p.Units = append(p.Units, Option{Value: d.Unit.Code, Label: d.Unit.FullName, Selected: true})
	if d.Unit.Code != sess.User.Unit {
		p.Units = append([]Option{{Value: sess.User.Unit, Label: sess.User.UnitName}}, p.Units...)
	}
	p.Summary = []SummaryFigure{
		{Label: "Thư, đơn tiếp nhận", Value: num(t.Received), Note: "không kể " + num(t.Spam) + " thư rác, lạm dụng"},
		{Label: "Đã có trả lời", Value: num(t.Answered), Note: pct(t.Answered, t.Received) + " số tiếp nhận"},
		{Label: "Lượt chuyển cơ quan có thẩm quyền", Value: num(t.Referrals), Note: num(t.RefAnswered) + " lượt đã trả lời; " + num(t.RefOverdue) + " lượt quá hạn"},
		{Label: "Trả lời đúng hạn", Value: pct(t.RefOnTime, t.RefAnswered), Note: num(t.RefOnTime) + "/" + num(t.RefAnswered) + " lượt đã trả lời"},
		{Label: "Khu dân cư mở hòm thư", Value: tallyPct(d.Openings), Note: num(d.Openings.Opened()) + "/" + num(d.Openings.Expected()) + " lượt khu phải mở trong kỳ"},
	}
	figs := func(fs []app.Figure, of int) []FigureRow {
		var out []FigureRow
		for _, f := range fs {
			out = append(out, FigureRow{Label: f.Label, N: num(f.N), Share: pct(f.N, of)})
		}
		return out
	}
	p.Breakdowns = []FigureTable{{Caption: "Theo kênh tiếp nhận", Head: "Kênh", Rows: figs(d.Channels, t.Received)},
		{Caption: "Theo loại", Head: "Loại", Rows: figs(d.Kinds, t.Received)},
		{Caption: "Theo tình trạng xử lý", Head: "Tình trạng", Rows: figs(d.Statuses, t.Received)}}
	p.Agencies = FigureTable{Caption: "Số lượt chuyển theo cơ quan", Head: "Cơ quan", Rows: figs(d.Agencies, t.Referrals)}
	p.Categories = FigureTable{Caption: "Theo biểu hiện suy thoái, điều đảng viên không được làm (một thư, đơn có thể thuộc nhiều mục)", Head: "Biểu hiện, điều cấm"}
	for _, c := range d.Categories {
		label := c.Title
		if c.Number > 0 {
			label = fmt.Sprintf("%s — %d. %s", c.CatalogShort, c.Number, c.Title)
		}
		p.Categories.Rows = append(p.Categories.Rows, FigureRow{Label: label, N: num(c.N), Share: pct(c.N, t.Received)})
	}
	row := func(name string, c *homthu.DigestCounts, o homthu.Tally) ReportRow {
		return ReportRow{Name: name, Received: num(c.Received), Answered: num(c.Answered), Rate: pct(c.Answered, c.Received), Spam: num(c.Spam),
			Referrals: num(c.Referrals), RefAnswered: num(c.RefAnswered), OnTime: pct(c.RefOnTime, c.RefAnswered), Openings: tallyPct(o)}
	}
	p.RowsCount = len(d.Rows)
	lo := min(offset, len(d.Rows))
	hi := min(lo+rowsPage, len(d.Rows))
	for _, dr := range d.Rows[lo:hi] {
		rr := row(dr.Name, dr.Counts, dr.Openings)
		if dr.Own {
			rr.Name, rr.Own = "Gửi thẳng "+homthu.LowerKind(dr.Name), true
		} else {
			rr.Href = link(path, dr.Code, nil)
		}
		p.Rows = append(p.Rows, rr)
	}
	p.RowsFrom, p.RowsTo = lo+1, hi
	if lo > 0 {
		p.PrevRows = link(reportsPath, d.Unit.Code, url.Values{"tu-dong": {strconv.Itoa(max(lo-rowsPage, 0))}})
	}
	if hi < len(d.Rows) {
		p.NextRows = link(reportsPath, d.Unit.Code, url.Values{"tu-dong": {strconv.Itoa(hi)}})
	}
	p.Total = row("Tổng cộng", t, d.Openings)
	for _, m := range d.Months {
		mr := MonthRow{Month: m.Month.Label(), Received: num(m.Received), Answered: num(m.Answered), Spam: num(m.Spam), Openings: "—"}
		if m.OpeningsKnown {
			mr.Openings = tallyPct(m.Openings)
		}
		p.Months = append(p.Months, mr)
	}
	var err error
	if len(d.Months) > 1 {
		if p.MonthsChart, err = report.MonthsChart(d).SVG(640, 300); err != nil {
			return nil, err
		}
		if p.OpeningsChart, err = report.OpeningsChart(d).SVG(640, 260); err != nil {
			return nil, err
		}
	}
	if len(d.Rows) > 1 {
		c, _ := report.RowsChart(d)
		if p.RowsChart, err = c.SVG(640, float64(120+26*len(c.Categories))); err != nil {
			return nil, err
		}
	}
	for _, qt := range d.Quotes {
		p.Quotes = append(p.Quotes, QuoteRow{Href: "/can-bo/thu/" + qt.Item, Content: qt.Content, Note: qt.Note,
			Where: fmt.Sprintf("%s, ngày %s, %s, %s", qt.AreaName, day(qt.ReceivedOn), qt.Channel.Label(), kindWord(qt.Kind))})
	}
	for _, f := range export.Formats {
		p.Downloads = append(p.Downloads, Option{Value: link(reportsPath+"/tai-ve", d.Unit.Code, url.Values{"dinh-dang": {string(f)}}), Label: f.Label()})
		p.Formats = append(p.Formats, Option{Value: string(f), Label: f.Label(), Selected: f == export.DOCX})
	}
	for k, vs := range periodQuery(req) {
		p.Query = append(p.Query, Option{Value: vs[0], Label: k})
	}
	sortOptions(p.Query)
	return p, nil
}

func sortOptions(o []Option) {
	for i := 1; i < len(o); i++ {
		for j := i; j > 0 && o[j].Label < o[j-1].Label; j-- {
			o[j], o[j-1] = o[j-1], o[j]
		}
	}
}

func kindWord(k homthu.Kind) string {
	if k == "" {
		return "chưa phân loại"
	}
	return k.Label()
}

// day writes YYYY-MM-DD as DD/MM/YYYY.
func day(s string) string {
	if len(s) != 10 {
		return s
	}
	return s[8:] + "/" + s[5:7] + "/" + s[:4]
}

// reportDownload answers GET /can-bo/bao-cao/tai-ve?...&dinh-dang=: the
// report, built now (a digest takes under 2 s even for a province).
func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	q := r.URL.Query()
	f, err := export.ParseFormat(q.Get("dinh-dang"))
	if err != nil {
		return homthu.Errorf(homthu.EINVALID, "Định dạng %q không có: chọn PDF, DOCX, XLSX hoặc CSV.", q.Get("dinh-dang"))
	}
	req, err := s.digestRequest(q)
	if err != nil {
		return err
	}
	d, err := s.app.Digest(r.Context(), sess, req)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := report.Render(&b, f, d); err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Content-Disposition", export.ContentDisposition(report.Title(d), f))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(b.Bytes())
	return err
}

// ReportJobPage shows a report job's progress and, when done, its download.
type ReportJobPage struct {
	Base
	Title2, Format string
	State          string // Vietnamese
	Done, Total    int64
	Percent        int64
	Message, Error string
	Download       string
	Refresh        bool
	Back           string
}

func (*ReportJobPage) templateName() string { return "report_job.html" }

// startReportJob answers POST /can-bo/bao-cao/xuat: the report as a
// background job → its page.
func (s *Server) startReportJob(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := r.ParseForm(); err != nil {
		return homthu.Errorf(homthu.EINVALID, "Biểu mẫu không đọc được.")
	}
	req, err := s.digestRequest(r.PostForm)
	if err != nil {
		return err
	}
	id, err := s.app.StartDigestExport(r.Context(), sess, req, r.PostForm.Get("dinh-dang"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, reportsPath+"/tac-vu/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func jobID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("report"), 10, 64)
	if err != nil || id <= 0 {
		return 0, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy tác vụ này.")
	}
	return id, nil
}

// reportJob answers GET /can-bo/bao-cao/tac-vu/{job}; while the job runs
// the page reloads itself every 3 seconds (no script needed).
func (s *Server) reportJob(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := jobID(r)
	if err != nil {
		return err
	}
	j, x, err := s.app.DigestExportJob(r.Context(), sess, id)
	if err != nil {
		return err
	}
	f, _ := export.ParseFormat(x.Format)
	p := &ReportJobPage{Base: staffBase("Lập báo cáo", sess), Title2: "Báo cáo tổng hợp " + x.Period.Label(), Format: f.Label(),
		Done: j.Done, Total: j.Total, Message: j.Message,
		Back: reportsPath + "?" + periodQuery(app.DigestRequest{Unit: x.Unit, Period: x.Period}).Encode()}
	if j.Total > 0 {
		p.Percent = j.Done * 100 / j.Total
	}
	switch j.State {
	case "done":
		p.State, p.Percent, p.Message = "Đã lập xong", 100, ""
		p.Download = reportsPath + "/tac-vu/" + strconv.FormatInt(id, 10) + "/tai-ve"
	case "failed", "cancelled":
		p.State, p.Error = "Không lập được", "Báo cáo không lập được. Xin thử lại; nếu vẫn lỗi, báo quản trị viên (mã tác vụ "+strconv.FormatInt(id, 10)+")."
	case "running":
		p.State, p.Refresh = "Đang lập", true
	default:
		p.State, p.Refresh = "Đang chờ đến lượt", true
		if j.LastError != "" {
			p.State = "Đang thử lại sau một lỗi"
		}
	}
	if p.Refresh {
		w.Header().Set("Refresh", "3") // reload without a script while the job runs
	}
	return s.renderOK(w, r, p)
}

// reportJobFile answers GET /can-bo/bao-cao/tac-vu/{job}/tai-ve.
func (s *Server) reportJobFile(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := jobID(r)
	if err != nil {
		return err
	}
	rc, x, err := s.app.DigestExportFile(r.Context(), sess, id)
	if err != nil {
		return err
	}
	defer rc.Close()
	f, _ := export.ParseFormat(x.Format)
	u, err := s.app.Store.FindUnit(r.Context(), x.Unit)
	if err != nil {
		return err
	}
	title := (&app.Digest{Unit: u, Period: x.Period})
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Content-Disposition", export.ContentDisposition(report.Title(title), f))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = io.Copy(w, rc)
	return err
}

// quoteItem answers POST /can-bo/thu/{id}/trich-dan: ghi_chu quotes the
// item in the digests of the staff's unit; bo=1 takes it out.
func (s *Server) quoteItem(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := r.ParseForm(); err != nil {
		return homthu.Errorf(homthu.EINVALID, "Biểu mẫu không đọc được.")
	}
	id := r.PathValue("id")
	var err error
	if r.PostForm.Get("bo") == "1" {
		err = s.app.UnquoteItem(r.Context(), sess, id)
	} else {
		err = s.app.QuoteItem(r.Context(), sess, id, r.PostForm.Get("ghi_chu"))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/can-bo/thu/"+url.PathEscape(id)+"#trich-dan", http.StatusSeeOther)
	return nil
}
