package web

import (
	"net/url"
	"strings"
	"testing"

	"homthu/internal/homthu"
)

// check compares a response with a status and texts it must (and must not)
// contain.
func check(t *testing.T, name string, r resp, status int, want, not []string) {
	t.Helper()
	if r.StatusCode != status {
		t.Errorf("%s = %d, want %d\n%s", name, r.StatusCode, status, r.Body)
		return
	}
	for _, w := range want {
		if !strings.Contains(r.Body, w) {
			t.Errorf("%s: page lacks %q", name, w)
		}
	}
	for _, w := range not {
		if strings.Contains(r.Body, w) {
			t.Errorf("%s: page has %q", name, w)
		}
	}
}

// submitted sends an item through the citizen's form and returns its id.
func (e *env) submitted(v url.Values) string {
	e.t.Helper()
	before := map[string]bool{}
	for _, it := range mustItems(e.t.(*testing.T), e, "37") {
		before[it.ID] = true
	}
	if r := e.do("POST", "/gui", v, nil); r.StatusCode != 200 {
		e.t.Fatalf("POST /gui = %d\n%s", r.StatusCode, r.Body)
	}
	for _, it := range mustItems(e.t.(*testing.T), e, "37") {
		if !before[it.ID] {
			return it.ID
		}
	}
	e.t.Fatal("no new item")
	return ""
}

// TestTriagePages follows the triage form: the form with the catalogues,
// bad input refused in Vietnamese with nothing saved, the rules of a
// denunciation (named and anonymous), an item outside scope, a stale form,
// and the permission checks.
func TestTriagePages(t *testing.T) {
	e := newEnv(t)
	e.addUser("lanhdao", homthu.RoleLeader, "37")
	anon := e.submitted(submitValues("14329-001", "k1", "Chủ tịch phường nhận tiền của dân khi làm sổ đỏ."))
	named := e.submitted(namedValues("k2", "Bí thư chi bộ uống rượu say trong giờ làm việc."))
	xa := e.login("xa")
	form := "/can-bo/thu/" + anon + "/phan-loai"

	r := e.do("GET", form, nil, xa)
	check(t, "GET triage form", r, 200, []string{`action="` + form + `"`, `name="version" value="`, `name="kind" value="denunciation"`,
		`<label for="kind-outside">Không thuộc phạm vi</label>`, "27 biểu hiện suy thoái", "19 điều đảng viên không được làm",
		"Suy thoái về tư tưởng chính trị", `id="cat-NQ4-01" name="category" value="NQ4-01"`, `value="QD37-01"`,
		`name="subject_party"`, `name="subject_managed"`, "Cấp ủy cấp xã quản lý", `name="priority"`, `name="notes"`, `name="explanation"`,
		"Điều 25 Luật Tố cáo"}, []string{"Ủy ban Kiểm tra"})
	version := field(r.Body, "version")

	before, _, err := e.app.Item(t.Context(), &homthu.Session{User: &homthu.User{ID: e.userID("xa"), Role: homthu.RoleFront, Unit: "14329"}}, anon)
	if err != nil {
		t.Fatal(err)
	}
	post := func(id string, v url.Values) resp { return e.do("POST", "/can-bo/thu/"+id+"/phan-loai", v, xa) }
	for _, tt := range []struct {
		name   string
		v      url.Values
		status int
		want   []string
	}{
		{"no kind", url.Values{"version": {version}, "subject_name": {"Trần Văn Bình"}}, 400, []string{"Xin chọn loại thư, đơn", `value="Trần Văn Bình"`}},
		{"bad kind", url.Values{"version": {version}, "kind": {"khac"}}, 400, []string{"không hợp lệ"}},
		{"unknown standard", url.Values{"version": {version}, "kind": {"report"}, "category": {"NQ4-99"}}, 400, []string{"NQ4-99"}},
		{"outside without explanation", url.Values{"version": {version}, "kind": {"outside"}}, 400, []string{"xin viết cho người phản ánh lý do"}},
		{"bad management level", url.Values{"version": {version}, "kind": {"report"}, "subject_managed": {"x"}}, 400, []string{"Cấp quản lý cán bộ"}},
		{"no version", url.Values{"kind": {"report"}}, 400, []string{"thiếu phiên bản"}},
	} {
		check(t, "POST triage, "+tt.name, post(anon, tt.v), tt.status, append(tt.want, `role="alert"`), nil)
	}
	after, _, _ := e.app.Item(t.Context(), &homthu.Session{User: &homthu.User{ID: e.userID("xa"), Role: homthu.RoleFront, Unit: "14329"}}, anon)
	if after.Version != before.Version || after.Kind != "" || after.Status != homthu.StatusReceived {
		t.Errorf("refused triage changed the item: version %d → %d, kind %q, status %s", before.Version, after.Version, after.Kind, after.Status)
	}

	// An anonymous denunciation: classified, told Article 25.
	good := url.Values{"version": {version}, "kind": {"denunciation"}, "category": {"NQ4-01", "QD37-01"}, "subject_name": {"Trần Văn Bình"},
		"subject_position": {"Chủ tịch UBND phường"}, "subject_party": {"yes"}, "subject_managed": {"commune"}, "priority": {"high"}, "notes": {"Cần xác minh."}}
	r = post(anon, good)
	if r.StatusCode != 303 || r.Header.Get("Location") != "/can-bo/thu/"+anon+"?xong=triage" {
		t.Fatalf("POST triage = %d → %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	check(t, "item after triage", e.do("GET", "/can-bo/thu/"+anon+"?xong=triage", nil, xa), 200, []string{"Đã lưu phân loại", "Đã tiếp nhận, chờ xem xét → Đang xem xét, phân loại",
		"<dt>Loại</dt><dd>Tố cáo</dd>", "Ưu tiên", "Phai nhạt lý tưởng", "Điều 25", "Lịch sử xử lý", "<strong>Phân loại</strong>",
		"Loại: <del>Chưa phân loại</del> → <ins>Tố cáo</ins>", "Cần xác minh.", "Sửa phân loại",
		"Trần Văn Bình", "Cấp ủy cấp xã quản lý"}, []string{"Luật Tố cáo năm 2018 (thời hạn"})

	// The same form again: stale, 409, the current classification shown.
	check(t, "stale triage", post(anon, good), 409, []string{"Biểu mẫu đã cũ", "vừa được cập nhật", `role="alert"`,
		`id="kind-denunciation" name="kind" value="denunciation" checked`}, nil)

	// A named denunciation about a party member: the Law and the inspection committee.
	r = e.do("GET", "/can-bo/thu/"+named+"/phan-loai", nil, xa)
	v := url.Values{"version": {field(r.Body, "version")}, "kind": {"denunciation"}, "subject_name": {"Lê Văn Cường"}, "subject_party": {"yes"}}
	if r := post(named, v); r.StatusCode != 303 {
		t.Fatalf("POST triage named = %d\n%s", r.StatusCode, r.Body)
	}
	check(t, "named denunciation", e.do("GET", "/can-bo/thu/"+named, nil, xa), 200, []string{"Luật Tố cáo năm 2018", "Ủy ban Kiểm tra"}, []string{"Điều 25"})

	// Outside scope, with the explanation the submitter reads.
	other := e.submitted(submitValues("14329-001", "k3", "Xin hỏi thủ tục cấp hộ chiếu."))
	r = e.do("GET", "/can-bo/thu/"+other+"/phan-loai", nil, xa)
	v = url.Values{"version": {field(r.Body, "version")}, "kind": {"outside"}, "explanation": {"Việc cấp hộ chiếu thuộc Công an tỉnh; xin liên hệ Phòng Quản lý xuất nhập cảnh."}}
	if r := post(other, v); r.StatusCode != 303 {
		t.Fatalf("POST triage outside = %d\n%s", r.StatusCode, r.Body)
	}
	check(t, "outside scope", e.do("GET", "/can-bo/thu/"+other, nil, xa), 200, []string{"Không thuộc phạm vi", "Phòng Quản lý xuất nhập cảnh"}, nil)

	// Permissions: another unit's officer, and roles that may not triage.
	check(t, "another province", e.do("GET", form, nil, e.login("hanoi")), 404, nil, nil)
	check(t, "another province POST", e.do("POST", form, good, e.login("hanoi")), 404, nil, nil)
	check(t, "leader", e.do("GET", form, nil, e.login("lanhdao")), 403, nil, nil)
	check(t, "admin POST", e.do("POST", form, good, e.login("admin")), 403, nil, nil)
	check(t, "leader item page", e.do("GET", "/can-bo/thu/"+anon, nil, e.login("lanhdao")), 200, []string{"Lịch sử xử lý"}, []string{"Sửa phân loại"})
}
