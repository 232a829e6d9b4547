package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// TestRecordsPages: a province officer records a commune's programme with
// its file, an activity and a pilot through the forms; the page shows the
// ratio of communes signed and the lists; a bad field is a Vietnamese 400
// keeping what was typed; a commune officer sees only their commune and
// cannot record for another; a leader reads without the forms; a unit
// outside the scope is 404.
func TestRecordsPages(t *testing.T) {
	e := newEnv(t)
	e.addUser("lanhdao", homthu.RoleLeader, "37")
	tinh, xa, ld := e.login("tinh"), e.login("xa"), e.login("lanhdao")
	post := func(path string, v url.Values, files map[string][]byte, c *http.Cookie) resp {
		t.Helper()
		ct, body := multipartForm(t, v, files)
		req := httptest.NewRequest("POST", path, body)
		req.Header.Set("Content-Type", ct)
		req.AddCookie(c)
		return e.serve(req)
	}
	period := url.Values{"trang_don_vi": {"37"}, "tu": {"2026-01-01"}, "den": {"2026-12-31"}}
	with := func(kv ...string) url.Values {
		v := url.Values{}
		for k, x := range period {
			v[k] = x
		}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	programme := with("don_vi", "14329", "so", "02/CTPH-MTTQ", "ngay_ky", "2026-03-15", "ten", "Chương trình phối hợp giám sát",
		"cac_ben", "Ủy ban MTTQ phường Hoa Lư\nHội Nông dân phường\n")
	if r := post("/can-bo/cong-tac/chuong-trinh", programme, map[string][]byte{"ct.png": pngBytes(t)}, tinh); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("programme = %d\n%s", r.StatusCode, r.Body)
	}
	activity := with("don_vi", "14329", "loai", "dialogue", "ngay", "2026-04-10", "chu_de", "Đối thoại với Nhân dân", "so_nguoi", "60",
		"theo_to_chuc", "Hội Nông dân: 25\nHội Phụ nữ: 20", "ket_qua", "Tiếp thu 4 ý kiến.")
	if r := post("/can-bo/cong-tac/hoat-dong", activity, nil, tinh); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("activity = %d\n%s", r.StatusCode, r.Body)
	}
	if r := post("/can-bo/cong-tac/diem-chi-dao", with("don_vi", "14330", "tu_ngay", "2026-01-01"), nil, tinh); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("pilot = %d\n%s", r.StatusCode, r.Body)
	}
	r := e.do("GET", "/can-bo/cong-tac?tu=2026-01-01&den=2026-12-31", nil, tinh)
	for _, w := range []string{"1/2", "02/CTPH-MTTQ", "Hội Nông dân phường", "Đối thoại với Nhân dân", "Hội Nông dân: 25", "Xã Gia Viễn", `/can-bo/cong-tac/chuong-trinh/`} {
		if !strings.Contains(r.Body, w) {
			t.Errorf("records page lacks %q", w)
		}
	}
	for _, tt := range []struct {
		name, path string
		v          url.Values
		want, kept string
	}{
		{"one party", "/can-bo/cong-tac/chuong-trinh", with("don_vi", "14329", "so", "03", "ngay_ky", "2026-03-15", "ten", "Tên giữ lại", "cac_ben", "Một bên"), "Các bên ký", "Tên giữ lại"},
		{"bad date", "/can-bo/cong-tac/hoat-dong", with("don_vi", "14329", "loai", "training", "ngay", "15/3/2026", "chu_de", "Chủ đề giữ lại", "so_nguoi", "5"), "Ngày tổ chức", "Chủ đề giữ lại"},
		{"bad count", "/can-bo/cong-tac/hoat-dong", with("don_vi", "14329", "loai", "training", "ngay", "2026-03-15", "chu_de", "Chủ đề giữ lại", "so_nguoi", "năm"), "Số người tham dự", "Chủ đề giữ lại"},
		{"by org over", "/can-bo/cong-tac/hoat-dong", with("don_vi", "14329", "loai", "training", "ngay", "2026-03-15", "chu_de", "Chủ đề giữ lại", "so_nguoi", "5", "theo_to_chuc", "Hội Phụ nữ: 9"), "nhiều hơn số người", "Chủ đề giữ lại"},
		{"pilot end", "/can-bo/cong-tac/diem-chi-dao", with("don_vi", "14330", "tu_ngay", "2026-05-01", "den_ngay", "2026-01-01", "ghi_chu", "Ghi chú giữ lại"), "Đến ngày", "Ghi chú giữ lại"},
	} {
		r := post(tt.path, tt.v, nil, tinh)
		if r.StatusCode != 400 || !strings.Contains(r.Body, tt.want) || !strings.Contains(r.Body, tt.kept) {
			t.Errorf("%s = %d; want a 400 with %q keeping %q", tt.name, r.StatusCode, tt.want, tt.kept)
		}
	}
	// The commune officer: their commune only.
	if r := post("/can-bo/cong-tac/diem-chi-dao", with("don_vi", "14330", "tu_ngay", "2026-01-01", "trang_don_vi", "14329"), nil, xa); r.StatusCode != 404 {
		t.Errorf("a commune officer records for another commune = %d, want 404", r.StatusCode)
	}
	if r := e.do("GET", "/can-bo/cong-tac?don-vi=14330", nil, xa); r.StatusCode != 404 {
		t.Errorf("a commune officer reads another commune = %d, want 404", r.StatusCode)
	}
	if r := e.do("GET", "/can-bo/cong-tac?tu=2026-01-01&den=2026-12-31", nil, xa); r.StatusCode != 200 || !strings.Contains(r.Body, "Đối thoại với Nhân dân") || strings.Contains(r.Body, "Xã Gia Viễn</strong>") {
		t.Errorf("commune page = %d", r.StatusCode)
	}
	// The leader reads, without the forms.
	if r := e.do("GET", "/can-bo/cong-tac?tu=2026-01-01&den=2026-12-31", nil, ld); r.StatusCode != 200 || strings.Contains(r.Body, `action="/can-bo/cong-tac/hoat-dong"`) || !strings.Contains(r.Body, "02/CTPH-MTTQ") {
		t.Errorf("leader page = %d", r.StatusCode)
	}
	if r := post("/can-bo/cong-tac/diem-chi-dao", with("don_vi", "14330", "tu_ngay", "2026-01-01"), nil, ld); r.StatusCode != 403 {
		t.Errorf("a leader records = %d, want 403", r.StatusCode)
	}
	for _, q := range []string{"tu=2026-13-01", "tu=2026-05-01&den=2026-01-01", "truoc-ct=x"} {
		if r := e.do("GET", "/can-bo/cong-tac?"+q, nil, tinh); r.StatusCode != 400 {
			t.Errorf("GET ?%s = %d, want 400", q, r.StatusCode)
		}
	}
	// The file of the programme, and the counts the reports read.
	ps, _, _ := e.store.ListProgrammes(t.Context(), store.RecordFilter{Scope: "37"})
	if len(ps) != 1 || ps[0].File == nil {
		t.Fatalf("programmes = %+v", ps)
	}
	if r := e.do("GET", "/can-bo/cong-tac/chuong-trinh/"+strconv.FormatInt(ps[0].ID, 10)+"/tep", nil, tinh); r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/png" {
		t.Errorf("programme file = %d", r.StatusCode)
	}
	if r := e.do("GET", "/can-bo/cong-tac/chuong-trinh/"+strconv.FormatInt(ps[0].ID, 10)+"/tep", nil, e.login("hanoi")); r.StatusCode != 404 {
		t.Errorf("another province's programme file = %d, want 404", r.StatusCode)
	}
	counts, err := e.app.RecordCounts(t.Context(), e.session("tinh"), "37", "2026-01-01", "2026-12-31")
	if err != nil || len(counts) != 2 || counts[0].Programmes != 1 || counts[0].Activities[homthu.ActivityDialogue] != 1 || counts[0].Participants != 60 || !counts[1].Pilot {
		t.Errorf("RecordCounts = %+v, %v", counts, err)
	}
	if _, err := e.app.RecordCounts(t.Context(), e.session("xa"), "37", "2026-01-01", "2026-12-31"); homthu.ErrorCode(err) != homthu.ENOTFOUND {
		t.Errorf("RecordCounts above the session's unit = %v, want ENOTFOUND", err)
	}
}
