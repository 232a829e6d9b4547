package web

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestNews(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, func(c *Config) { c.Now = func() time.Time { return now }; c.SiteURL = "https://homthu.example" })
	e.app.Now = func() time.Time { return now }
	e.addUser("bientap", "editor", "37")
	ed := e.login("bientap")

	post := func(v url.Values) resp {
		t.Helper()
		return e.do("POST", "/can-bo/tin-tuc", v, ed)
	}
	body := "## Kết quả\n\n- 8/8 huyện ký chương trình phối hợp\n- hơn 200 hội nghị\n\n<script>alert(1)</script>\n\n[Quy định 124](/van-ban?q=124)"
	r := post(url.Values{"tieu_de": {"Sơ kết 3 năm thực hiện Quy định 124"}, "tom_tat": {"Ninh Bình sơ kết."}, "noi_dung": {body},
		"chuyen_muc": {"quy-dinh-124"}, "don_vi": {"37"}, "trang_thai": {"dang"}})
	if r.StatusCode != 303 {
		t.Fatalf("publish = %d\n%s", r.StatusCode, r.Body)
	}
	// A draft and a scheduled post are not public.
	post(url.Values{"tieu_de": {"Bản nháp"}, "noi_dung": {"x"}, "chuyen_muc": {"thong-bao"}, "trang_thai": {"nhap"}})
	post(url.Values{"tieu_de": {"Hẹn giờ"}, "noi_dung": {"x"}, "chuyen_muc": {"thong-bao"}, "trang_thai": {"hen"}, "dang_luc": {"2026-12-08T08:00"}})
	// Same title: another slug.
	post(url.Values{"tieu_de": {"Sơ kết 3 năm thực hiện Quy định 124"}, "noi_dung": {"Lần hai."}, "chuyen_muc": {"hoat-dong"}, "trang_thai": {"dang"}})

	r = e.do("GET", "/tin-tuc", nil, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, `href="/tin-tuc/so-ket-3-nam-thuc-hien-quy-dinh-124"`) ||
		!strings.Contains(r.Body, `href="/tin-tuc/so-ket-3-nam-thuc-hien-quy-dinh-124-2"`) || strings.Contains(r.Body, "Bản nháp") || strings.Contains(r.Body, "Hẹn giờ") {
		t.Fatalf("GET /tin-tuc = %d\n%s", r.StatusCode, r.Body)
	}
	r = e.do("GET", "/tin-tuc/so-ket-3-nam-thuc-hien-quy-dinh-124", nil, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "<h2>Kết quả</h2>") || !strings.Contains(r.Body, "<li>hơn 200 hội nghị</li>") ||
		strings.Contains(r.Body, "<script>alert") {
		t.Errorf("the post = %d; want headings and lists rendered, raw HTML not\n%s", r.StatusCode, r.Body)
	}
	if r := e.do("GET", "/tin-tuc/ban-nhap", nil, nil); r.StatusCode != 404 {
		t.Errorf("a draft's address = %d, want 404", r.StatusCode)
	}
	r = e.do("GET", "/tin-tuc/rss.xml", nil, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "<link>https://homthu.example/tin-tuc/so-ket-3-nam-thuc-hien-quy-dinh-124</link>") || strings.Contains(r.Body, "Hẹn giờ") {
		t.Errorf("RSS = %d\n%s", r.StatusCode, r.Body)
	}
	r = e.do("GET", "/tin-tuc/atom.xml", nil, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">`) {
		t.Errorf("Atom = %d\n%s", r.StatusCode, r.Body)
	}
	// The scheduled post appears when its time comes.
	now = now.Add(24 * time.Hour)
	if r := e.do("GET", "/tin-tuc", nil, nil); !strings.Contains(r.Body, "Hẹn giờ") {
		t.Error("the scheduled post is not public after its time")
	}
	// "Xem thêm": pages of ten, newest first (a day later: a new session).
	ed = e.login("bientap")
	for i := range 12 {
		post(url.Values{"tieu_de": {"Tin số " + string(rune('A'+i))}, "noi_dung": {"x"}, "chuyen_muc": {"hoat-dong"}, "trang_thai": {"dang"}})
	}
	r = e.do("GET", "/tin-tuc", nil, nil)
	i := strings.Index(r.Body, `href="/tin-tuc?truoc=`)
	if i < 0 {
		t.Fatal("no Xem thêm")
	}
	more := r.Body[i+6 : i+strings.Index(r.Body[i:], `">`)]
	more = strings.ReplaceAll(more, "&amp;", "&")
	r2 := e.do("GET", more, nil, nil)
	if r2.StatusCode != 200 || !strings.Contains(r2.Body, "Sơ kết 3 năm") {
		t.Errorf("the second page = %d\n%s", r2.StatusCode, r2.Body)
	}
	// Bad input changes nothing and says why.
	r = post(url.Values{"tieu_de": {""}, "noi_dung": {"x"}, "chuyen_muc": {"hoat-dong"}, "trang_thai": {"dang"}})
	if r.StatusCode != 400 || !strings.Contains(r.Body, "Tiêu đề không được để trống") {
		t.Errorf("no title = %d", r.StatusCode)
	}
	r = post(url.Values{"tieu_de": {"X"}, "noi_dung": {"x"}, "chuyen_muc": {"khong-co"}, "trang_thai": {"dang"}})
	if r.StatusCode != 400 || !strings.Contains(r.Body, "chuyên mục") {
		t.Errorf("bad category = %d", r.StatusCode)
	}
	if r := e.do("GET", "/can-bo/tin-tuc", nil, e.login("tinh")); r.StatusCode != 403 {
		t.Errorf("the editors' page as front = %d, want 403", r.StatusCode)
	}
}

func TestStatsPage(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/thong-ke", url.Values{"tinh": {"37"}}, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Tỉnh Ninh Bình") {
		t.Fatalf("GET /thong-ke = %d\n%s", r.StatusCode, r.Body)
	}
	r = e.do("GET", "/thong-ke.csv", url.Values{"tinh": {"37"}}, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Cả tỉnh") {
		t.Errorf("CSV = %d\n%s", r.StatusCode, r.Body)
	}
	if r := e.do("GET", "/thong-ke", url.Values{"tinh": {"99"}}, nil); r.StatusCode != 404 {
		t.Errorf("an unknown province = %d", r.StatusCode)
	}
	if r := e.do("GET", "/thong-ke", url.Values{"nam": {"1990"}}, nil); r.StatusCode != 400 {
		t.Errorf("a year before 2018 = %d", r.StatusCode)
	}
}
