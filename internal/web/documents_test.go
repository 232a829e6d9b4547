package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestDocumentPages(t *testing.T) {
	e := newEnv(t)
	e.addUser("bientap", "editor", "37")
	ed := e.login("bientap")
	text := "BAN BÍ THƯ\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\nSố 124-QĐ/TW\n\nHà Nội, ngày 2 tháng 2 năm 2018\n\nQUY ĐỊNH\n\nVỀ GIÁM SÁT CỦA MẶT TRẬN TỔ QUỐC\n\nGiám sát việc tu dưỡng, rèn luyện đạo đức, lối sống.\n"
	ct, body := multipartFile(t, "tep", "124.txt", []byte(text))
	req := httptest.NewRequest("POST", "/can-bo/van-ban", body)
	req.Header.Set("Content-Type", ct)
	req.AddCookie(ed)
	r := e.serve(req)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Đã nhập: Quy định 124-QĐ/TW") {
		t.Fatalf("import = %d\n%s", r.StatusCode, r.Body)
	}
	r = e.do("GET", "/van-ban", url.Values{"q": {"124/QĐ-TW"}}, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "1 văn bản") || !strings.Contains(r.Body, "<strong>124-QĐ/TW</strong>") {
		t.Fatalf("search by number = %d\n%s", r.StatusCode, r.Body)
	}
	r = e.do("GET", "/van-ban", url.Values{"q": {"ren luyen dao duc"}}, nil)
	if !strings.Contains(r.Body, "<mark>rèn</mark> <mark>luyện</mark> <mark>đạo</mark> <mark>đức</mark>") {
		t.Errorf("search by words: no highlighted snippet\n%s", r.Body)
	}
	r = e.do("GET", "/van-ban", url.Values{"q": {"xyzabc qwertz"}}, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Không tìm thấy văn bản nào") {
		t.Errorf("search without results = %d", r.StatusCode)
	}
	if r := e.do("GET", "/van-ban", url.Values{"nam": {"hai"}}, nil); r.StatusCode != 400 {
		t.Errorf("search with a bad year = %d, want 400", r.StatusCode)
	}
	id := "1"
	r = e.do("GET", "/van-ban/"+id, nil, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Ban Bí thư") && !strings.Contains(r.Body, "BAN BÍ THƯ") || !strings.Contains(r.Body, "02/02/2018") {
		t.Errorf("document page = %d\n%s", r.StatusCode, r.Body)
	}
	if r := e.do("GET", "/van-ban/"+id+"/tep", nil, nil); r.StatusCode != 200 || r.Body != text {
		t.Errorf("document file = %d", r.StatusCode)
	}
	// An editor corrects the fields; a bad date changes nothing.
	r = e.do("POST", "/can-bo/van-ban/"+id, url.Values{"trich_yeu": {"Quy định về giám sát"}, "so": {"124-QĐ/TW"}, "ngay_ban_hanh": {"2/2/2018"}}, ed)
	if r.StatusCode != 400 || !strings.Contains(r.Body, "năm-tháng-ngày") {
		t.Errorf("save with a bad date = %d", r.StatusCode)
	}
	r = e.do("POST", "/can-bo/van-ban/"+id, url.Values{"trich_yeu": {"Quy định về giám sát"}, "so": {"124-QĐ/TW"}, "loai": {"Quy định"},
		"co_quan": {"Ban Bí thư"}, "ngay_ban_hanh": {"2018-02-02"}, "tinh_trang": {"in_force"}}, ed)
	if r.StatusCode != 303 {
		t.Fatalf("save = %d\n%s", r.StatusCode, r.Body)
	}
	if r := e.do("GET", "/van-ban", url.Values{"q": {"quy dinh ve giam sat"}, "co-quan": {"Ban Bí thư"}}, nil); !strings.Contains(r.Body, "Còn hiệu lực") {
		t.Errorf("the corrected document is not found by its new fields")
	}
	for _, p := range []string{"/van-ban/999", "/van-ban/x", "/van-ban/999/tep"} {
		if r := e.do("GET", p, nil, nil); r.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404", p, r.StatusCode)
		}
	}
}
