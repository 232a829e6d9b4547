package web

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/news"
)

// portalData puts a document and a post into the env, for the portal's pages.
func portalData(t *testing.T, e *env) {
	t.Helper()
	if _, err := e.app.ImportDocumentFiles(t.Context(), []app.NamedFile{{Name: "124.txt", Data: []byte("BAN BÍ THƯ\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\nSố 124-QĐ/TW\n\nHà Nội, ngày 2 tháng 2 năm 2018\n\nQUY ĐỊNH\n\nVỀ GIÁM SÁT CỦA MẶT TRẬN TỔ QUỐC VIỆT NAM, CÁC TỔ CHỨC CHÍNH TRỊ - XÃ HỘI VÀ NHÂN DÂN ĐỐI VỚI VIỆC TU DƯỠNG, RÈN LUYỆN ĐẠO ĐỨC, LỐI SỐNG CỦA NGƯỜI ĐỨNG ĐẦU, CÁN BỘ CHỦ CHỐT VÀ CÁN BỘ, ĐẢNG VIÊN\n\nĐiều 1. Giám sát việc tu dưỡng, rèn luyện đạo đức, lối sống.\n")}}, "thử"); err != nil {
		t.Fatal(err)
	}
	p := &news.Post{Title: "Ninh Bình: Sơ kết 3 năm thực hiện Chương trình phối hợp thực hiện Quy định 124", Summary: "Các khu dân cư niêm yết 27 biểu hiện suy thoái và 19 điều đảng viên không được làm.",
		Body: "## Kết quả\n\n- 8/8 huyện, thành phố ký chương trình phối hợp\n- hơn 200 hội nghị đối thoại, tập huấn\n\n[Xem Quy định 124](/van-ban?q=124-QĐ/TW)", Category: "quy-dinh-124", Unit: "37",
		PublishAt: e.srv.now().Add(-1e9 * 3600)}
	if err := e.app.Store.SavePost(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.CreateEditorialMessage(t.Context(), &homthu.EditorialInput{Name: "Nguyễn Thị Lan", Contact: "lan@example.vn",
		Subject: "Sửa tên phường trong bản tin", Text: "Bản tin ngày 5/12 ghi nhầm tên phường Hoa Lư.\nXin sửa lại."}, e.srv.now()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.CreateActivity(t.Context(), &homthu.Activity{Unit: "14329", Kind: homthu.ActivityDialogue, HeldOn: e.srv.now().Format("2006-01-02"),
		Topic: "Đối thoại với Nhân dân về hòm thư góp ý", Participants: 60, ByOrg: []homthu.OrgCount{{Org: "Hội Nông dân", Count: 25}}, Outcome: "Tiếp thu 4 ý kiến."}, "thu"); err != nil {
		t.Fatal(err)
	}
	for _, m := range []homthu.MailboxInput{
		{Unit: "14329-001", Place: "Nhà văn hóa tổ dân phố Hòa Bình, số 12 đường Lê Lợi", InstalledOn: "2024-03-15", Status: homthu.MailboxInUse, Day: 10},
		{Unit: "14329", Place: "Trụ sở Ủy ban MTTQ phường Hoa Lư", InstalledOn: "2025-07-01", Status: homthu.MailboxDamaged},
	} {
		if _, err := e.app.Store.CreateMailbox(t.Context(), &m); err != nil {
			t.Fatal(err)
		}
	}
}

// portalPages are the public pages of the portal that the browser checks.
var portalPages = []struct{ name, path string }{
	{"01-home", "/"},
	{"02-standards", "/niem-yet"},
	{"03-catalogue", "/niem-yet/QD37"},
	{"04-standard", "/niem-yet/muc/NQ4-05"},
	{"05-documents", "/van-ban"},
	{"06-search", "/van-ban?q=ren+luyen+dao+duc"},
	{"07-document", "/van-ban/1"},
	{"08-news", "/tin-tuc"},
	{"09-post", "/tin-tuc/ninh-binh-so-ket-3-nam-thuc-hien-chuong-trinh-phoi-hop-thuc-hien-quy-dinh-124"},
	{"10-stats", "/thong-ke"},
	{"11-finder", "/tim-hom-thu?q=hoa+binh"},
	{"12-finder-commune", "/tim-hom-thu?duoi=14329"},
	{"13-editorial", "/gui-ban-bien-tap"},
}

// portal opens every public page of the portal at 390 px without
// JavaScript: axe-core, no script error, a screenshot.
func (b *browserEnv) portal(t *testing.T) {
	tb := b.newTab(t, "portal", false)
	for _, p := range portalPages {
		tb.open(p.path, 200)
		tb.check(p.name)
	}
}

// TestPortalWeight: every public page of the portal weighs under 100 KB
// on first load — HTML, the stylesheet and the script it loads (there are
// no web fonts; images aside, as issue 11 counts).
func TestPortalWeight(t *testing.T) {
	e := newEnv(t)
	portalData(t, e)
	size := func(path string) int {
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != 200 {
			t.Fatalf("GET %s = %d", path, w.Code)
		}
		b, _ := io.ReadAll(w.Result().Body)
		return len(b)
	}
	css := size(e.srv.static.url("style.css"))
	js := size(e.srv.static.url("homthu.js"))
	for _, p := range portalPages {
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, httptest.NewRequest("GET", p.path, nil))
		html := w.Body.String()
		total := len(html) + css
		if strings.Contains(html, "homthu.js") {
			total += js
		}
		t.Logf("%s: %d bytes (HTML %d, CSS %d)", p.path, total, len(html), css)
		if total > 100<<10 {
			t.Errorf("%s weighs %d bytes on first load, want < 100 KB", p.path, total)
		}
	}
}
