package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/jobs"
	"homthu/internal/report"
	"homthu/internal/store"
)

// addReportJob starts a report job as the account, for unit and period,
// and returns its id.
func (e *env) addReportJob(t *testing.T, username, unit string, p homthu.Period) int64 {
	t.Helper()
	l, err := e.store.FindLogin(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	id, err := e.app.StartDigestExport(context.Background(), &homthu.Session{User: l.User}, app.DigestRequest{Unit: unit, Period: p}, "pdf")
	if err != nil {
		t.Fatalf("StartDigestExport(%s): %v", username, err)
	}
	return id
}

// TestReportPages: the report page and the dashboard of a province and a
// commune, with their figures, charts and downloads; bad periods are a
// Vietnamese 400; another unit's report is a 404.
func TestReportPages(t *testing.T) {
	e := newEnv(t)
	e.addUser("lanhdao", homthu.RoleLeader, "37")
	for _, c := range []string{"Đường làng bị ngập nước lâu ngày.", "Cán bộ xã chậm giải quyết hồ sơ."} {
		e.do("POST", "/gui", submitValues("14329-001", c[:6], c), nil)
	}
	tinh, xa, leader := e.login("tinh"), e.login("xa"), e.login("lanhdao")
	month := time.Now().In(homthu.VNTime).Format("2006-01")
	for _, tt := range []struct {
		name   string
		cookie string
		path   string
		form   url.Values
		status int
		want   []string
	}{
		{"province month", "tinh", reportsPath, url.Values{"ky": {"thang"}, "gia-tri": {month}}, 200,
			[]string{"Tỉnh Ninh Bình", "Phường Hoa Lư", "Xã Gia Viễn", "Tổng cộng", "Gửi thẳng tỉnh Ninh Bình", "/can-bo/bao-cao/tai-ve?", "dinh-dang=docx", "<svg"}},
		{"default period", "tinh", reportsPath, nil, 200, []string{"Số liệu chính", "Thư, đơn tiếp nhận"}},
		{"commune drill-down", "tinh", reportsPath, url.Values{"don-vi": {"14329"}, "ky": {"nam"}, "gia-tri": {month[:4]}}, 200,
			[]string{"Phường Hoa Lư", "Báo cáo của đơn vị cấp trên"}},
		{"range", "tinh", reportsPath, url.Values{"ky": {"khoang"}, "tu": {month + "-01"}, "den": {month + "-15"}}, 200, []string{"từ ngày 01/"}},
		{"bad value", "tinh", reportsPath, url.Values{"ky": {"quy"}, "gia-tri": {"2026-Q5"}}, 400, []string{"Kỳ báo cáo"}},
		{"bad kind", "tinh", reportsPath, url.Values{"ky": {"tuan"}}, 400, []string{"Loại kỳ báo cáo"}},
		{"range backwards", "tinh", reportsPath, url.Values{"ky": {"khoang"}, "tu": {"2026-03-01"}, "den": {"2026-02-01"}}, 400, []string{"trước ngày bắt đầu"}},
		{"another province", "tinh", reportsPath, url.Values{"don-vi": {"01"}}, 404, nil},
		{"commune reads the province", "xa", reportsPath, url.Values{"don-vi": {"37"}}, 404, nil},
		{"leader dashboard", "lanhdao", dashboardPath, nil, 200, []string{"Bảng điều khiển", "Phường Hoa Lư", "12 tháng gần nhất", "<svg"}},
		{"dashboard of another unit", "lanhdao", dashboardPath, url.Values{"don-vi": {"01"}}, 404, nil},
		{"download bad format", "tinh", reportsPath + "/tai-ve", url.Values{"dinh-dang": {"odt"}}, 400, []string{"Định dạng"}},
	} {
		c := map[string]*http.Cookie{"tinh": tinh, "xa": xa, "lanhdao": leader}[tt.cookie]
		r := e.do("GET", tt.path, tt.form, c)
		if r.StatusCode != tt.status {
			t.Errorf("%s: GET %s?%s = %d, want %d\n%.600s", tt.name, tt.path, tt.form.Encode(), r.StatusCode, tt.status, r.Body)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s: the page lacks %q", tt.name, w)
			}
		}
	}

	// Every download is the report in its format.
	for _, f := range []struct{ format, ctype, magic string }{
		{"pdf", "application/pdf", "%PDF"}, {"docx", "wordprocessingml", "PK"}, {"xlsx", "spreadsheetml", "PK"}, {"csv", "text/csv", ""},
	} {
		r := e.do("GET", reportsPath+"/tai-ve", url.Values{"ky": {"thang"}, "gia-tri": {month}, "dinh-dang": {f.format}}, tinh)
		if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Content-Type"), f.ctype) || !strings.HasPrefix(r.Body, f.magic) ||
			!strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download %s = %d %q %q, %d bytes", f.format, r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"), len(r.Body))
		}
		if f.format == "csv" && !strings.Contains(r.Body, "Phường Hoa Lư,2,") {
			t.Errorf("the CSV lacks the ward's 2 items:\n%s", r.Body)
		}
	}
}

// TestReportJob: a report asked for in the background is a job of its
// author: its page shows the progress and reloads itself, the handler
// writes the file, the page then offers it; another account's job is a
// 404, a double click the same job.
func TestReportJob(t *testing.T) {
	e := newEnv(t)
	tinh, hanoi := e.login("tinh"), e.login("hanoi")
	form := url.Values{"ky": {"nam"}, "gia-tri": {"2026"}, "dinh-dang": {"docx"}}
	r := e.do("POST", reportsPath+"/xuat", form, tinh)
	loc := r.Header.Get("Location")
	if r.StatusCode != 303 || !strings.HasPrefix(loc, reportsPath+"/tac-vu/") {
		t.Fatalf("POST xuat = %d → %q\n%s", r.StatusCode, loc, r.Body)
	}
	if again := e.do("POST", reportsPath+"/xuat", form, tinh); again.Header.Get("Location") != loc {
		t.Errorf("a double click started another job: %q, then %q", loc, again.Header.Get("Location"))
	}
	if bad := e.do("POST", reportsPath+"/xuat", url.Values{"ky": {"nam"}, "gia-tri": {"2026"}, "dinh-dang": {"odt"}}, tinh); bad.StatusCode != 400 {
		t.Errorf("POST xuat with a bad format = %d, want 400", bad.StatusCode)
	}
	r = e.do("GET", loc, nil, tinh)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Đang chờ đến lượt") || r.Header.Get("Refresh") == "" {
		t.Errorf("the waiting job's page = %d, Refresh %q\n%.500s", r.StatusCode, r.Header.Get("Refresh"), r.Body)
	}
	if r := e.do("GET", loc+"/tai-ve", nil, tinh); r.StatusCode != 409 {
		t.Errorf("download before the job ran = %d, want 409", r.StatusCode)
	}
	if r := e.do("GET", loc, nil, hanoi); r.StatusCode != 404 {
		t.Errorf("another account opens the job = %d, want 404", r.StatusCode)
	}

	// Run the job as serve's runner would.
	runner := jobs.New(e.store, jobs.Options{})
	runner.Handle(app.DigestExportKind, report.Handler(e.app))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r = e.do("GET", loc, nil, tinh)
		if strings.Contains(r.Body, "Đã lập xong") || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if !strings.Contains(r.Body, "Tải báo cáo") || r.Header.Get("Refresh") != "" {
		t.Fatalf("the finished job's page:\n%s", r.Body)
	}
	f := e.do("GET", loc+"/tai-ve", nil, tinh)
	if f.StatusCode != 200 || !strings.HasPrefix(f.Body, "PK") || !strings.Contains(f.Header.Get("Content-Type"), "wordprocessingml") {
		t.Errorf("download = %d %q, %d bytes", f.StatusCode, f.Header.Get("Content-Type"), len(f.Body))
	}
	j, err := e.store.FindJob(context.Background(), jobOf(t, loc))
	if err != nil || j.State != store.JobDone || j.Done != j.Total || j.Total == 0 {
		t.Errorf("job = %+v, %v; want done with its progress complete", j, err)
	}
}

func jobOf(t *testing.T, loc string) int64 {
	t.Helper()
	var id int64
	for _, c := range loc[strings.LastIndexByte(loc, '/')+1:] {
		id = id*10 + int64(c-'0')
	}
	return id
}
