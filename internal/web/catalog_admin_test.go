package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"homthu/internal/catalog"
	"homthu/internal/homthu"
)

// TestCatalogAdmin takes an administrator through the catalogue pages:
// download the version in force, upload it edited, read the preview,
// confirm, retire an item; and checks that refusals change nothing and
// say why.
func TestCatalogAdmin(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin")
	ctx := t.Context()

	r := e.do("GET", "/can-bo/danh-muc", nil, adm)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "27 biểu hiện suy thoái") || !strings.Contains(r.Body, `href="/can-bo/danh-muc/QD37"`) {
		t.Fatalf("GET /can-bo/danh-muc = %d\n%s", r.StatusCode, r.Body)
	}
	r = e.do("GET", "/can-bo/danh-muc/QD37/tep", nil, adm)
	if r.StatusCode != 200 || r.Header.Get("Content-Disposition") != `attachment; filename="danh-muc-QD37-v1.txt"` || !strings.HasPrefix(r.Body, "homthu-catalog 1\n") {
		t.Fatalf("GET the file = %d %q", r.StatusCode, r.Header.Get("Content-Disposition"))
	}
	edited := strings.Replace(r.Body, "version 1", "version 2", 1)
	edited = strings.Replace(edited, "source Quy định 37-QĐ/TW, Điều 9\n", "source Quy định 37-QĐ/TW, Điều 9\nofficial\n    Nguyên văn <Điều 9>.\n", 1)

	// The preview, from an uploaded file, changes nothing.
	ct, body := multipartFile(t, "tep", "qd37.txt", []byte(edited))
	req := httptest.NewRequest("POST", "/can-bo/danh-muc", body)
	req.Header.Set("Content-Type", ct)
	req.AddCookie(adm)
	r = e.serve(req)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Xác nhận nạp phiên bản 2") || !strings.Contains(r.Body, "<strong>QD37-09</strong>") ||
		!strings.Contains(r.Body, "sửa 1, bãi bỏ 0, giữ nguyên 18 mục") {
		t.Fatalf("preview = %d\n%s", r.StatusCode, r.Body)
	}
	if c, _ := e.app.Store.Catalog(ctx, "QD37", 0); c.Version != 1 {
		t.Fatal("the preview loaded the file")
	}
	// Confirm with the text the preview carried.
	r = e.do("POST", "/can-bo/danh-muc/nap", url.Values{"noi_dung": {edited}}, adm)
	if r.StatusCode != 303 || r.Header.Get("Location") != "/can-bo/danh-muc/QD37?da-nap=2" {
		t.Fatalf("confirm = %d → %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	r = e.do("GET", "/can-bo/danh-muc/QD37?da-nap=2", nil, adm)
	if !strings.Contains(r.Body, "Đã nạp phiên bản 2") || !strings.Contains(r.Body, "Nạp từ tệp · admin") || !strings.Contains(r.Body, "có nguyên văn") {
		t.Errorf("the catalogue page after loading lacks the notice, the history or the mark\n%s", r.Body)
	}
	// The same file again: refused, with the version it must carry.
	r = e.do("POST", "/can-bo/danh-muc", url.Values{"noi_dung": {edited}}, adm)
	if r.StatusCode != 409 || !strings.Contains(r.Body, "phải ghi version 3") || !strings.Contains(r.Body, "Nguyên văn &lt;Điều 9&gt;.") {
		t.Errorf("preview of a stale file = %d; want 409 with the reason and the text kept\n%s", r.StatusCode, r.Body)
	}
	r = e.do("POST", "/can-bo/danh-muc", url.Values{"noi_dung": {"catalog X\n"}}, adm)
	if r.StatusCode != 400 || !strings.Contains(r.Body, "Dòng 1") {
		t.Errorf("preview of a broken file = %d", r.StatusCode)
	}
	r = e.do("POST", "/can-bo/danh-muc", url.Values{"noi_dung": {" "}}, adm)
	if r.StatusCode != 400 || !strings.Contains(r.Body, "Xin chọn tệp danh mục") {
		t.Errorf("preview of nothing = %d", r.StatusCode)
	}

	// Retire: the reason is required; then the item is marked.
	r = e.do("POST", "/can-bo/danh-muc/QD37/bai-bo", url.Values{"ma": {"QD37-07"}, "ly_do": {" "}}, adm)
	if r.StatusCode != 400 || !strings.Contains(r.Body, "Xin ghi lý do") || !strings.Contains(r.Body, `<details open>`) {
		t.Errorf("retire without a reason = %d; want 400 with the form open", r.StatusCode)
	}
	r = e.do("POST", "/can-bo/danh-muc/NQ4/bai-bo", url.Values{"ma": {"QD37-07"}, "ly_do": {"Sai danh mục"}}, adm)
	if r.StatusCode != 404 {
		t.Errorf("retire an item through another catalogue's page = %d, want 404", r.StatusCode)
	}
	r = e.do("POST", "/can-bo/danh-muc/QD37/bai-bo", url.Values{"ma": {"QD37-07"}, "ly_do": {"Thử bãi bỏ"}}, adm)
	if r.StatusCode != 303 || r.Header.Get("Location") != "/can-bo/danh-muc/QD37?da-bai-bo=QD37-07" {
		t.Fatalf("retire = %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	r = e.do("GET", r.Header.Get("Location"), nil, adm)
	if !strings.Contains(r.Body, "Đã bãi bỏ mục QD37-07; danh mục nay ở phiên bản 3") || !strings.Contains(r.Body, "Đã bãi bỏ từ phiên bản 3") {
		t.Errorf("the page after retiring lacks the notice or the mark")
	}
	if st, _ := e.app.Store.FindStandard(ctx, "QD37-07"); !st.Retired {
		t.Error("QD37-07 is not retired")
	}
	// Old versions stay downloadable as they were.
	r = e.do("GET", "/can-bo/danh-muc/QD37/tep?phien-ban=1", nil, adm)
	if v1, err := catalog.Parse([]byte(r.Body)); err != nil || v1.Version != 1 || v1.Standard("QD37-09").Official != "" {
		t.Errorf("version 1's file = %v", err)
	}
	for _, p := range []string{"/can-bo/danh-muc/QD37/tep?phien-ban=9", "/can-bo/danh-muc/QD37/tep?phien-ban=x", "/can-bo/danh-muc/XX"} {
		if r := e.do("GET", p, nil, adm); r.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404", p, r.StatusCode)
		}
	}
	// Both changes are in the audit log.
	recs, _ := e.app.Store.ListAudit(ctx, "37", "", 10)
	if len(recs) < 2 || recs[0].Action != homthu.AuditCatalogRetire || recs[1].Action != homthu.AuditCatalogLoad {
		t.Errorf("audit = %+v", recs)
	}
	// A Front officer may not open these pages.
	if r := e.do("GET", "/can-bo/danh-muc", nil, e.login("tinh")); r.StatusCode != 403 {
		t.Errorf("GET /can-bo/danh-muc as front = %d, want 403", r.StatusCode)
	}
}
