package web

import (
	"strings"
	"testing"

	"homthu/internal/homthu"
)

// TestCompliancePage: the province's board has a row per commune linking to
// the commune's board (a row per area, with its status codes and a way
// back up); the areas that missed the focus month are listed; a bad month
// is a clear error, another commune's board is not found.
func TestCompliancePage(t *testing.T) {
	e := newEnv(t)
	tinh := &homthu.Session{User: &homthu.User{ID: e.userID("tinh"), Username: "tinh", Role: homthu.RoleFront, Unit: "37"}}
	if _, err := e.app.CreateMailbox(t.Context(), tinh, homthu.MailboxInput{Unit: "14329-001", Place: "Nhà văn hóa tổ dân phố", InstalledOn: "2024-01-01", Day: 10}); err != nil {
		t.Fatal(err)
	}
	r := e.do("GET", compliancePath, nil, e.login("tinh"))
	if r.StatusCode != 200 {
		t.Fatalf("board = %d\n%s", r.StatusCode, r.Body)
	}
	for _, want := range []string{"Tình hình mở hòm thư — Tỉnh Ninh Bình", `href="/can-bo/mo-hom-thu/tuan-thu?don-vi=14329"`, "Phường Hoa Lư",
		"Xã Gia Viễn", "Tổ dân phố Hòa Bình", "Thôn Đông", "Không mở", "Chưa có hòm thư", "chưa có hòm", "Khu dân cư chưa mở hòm thư tháng"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("province board lacks %q", want)
		}
	}
	r = e.do("GET", compliancePath+"?don-vi=14329&den=2026-06&thang=2026-05", nil, e.login("tinh"))
	if r.StatusCode != 200 {
		t.Fatalf("commune board = %d\n%s", r.StatusCode, r.Body)
	}
	for _, want := range []string{"Tình hình mở hòm thư — Phường Hoa Lư", "<th scope=\"col\">07/2025</th>", "<th scope=\"col\">06/2026</th>",
		`<td class="bad" title="Không mở">K`, "← Về đơn vị cấp trên", "tháng 05/2026", "Chú thích"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("commune board lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "Thôn Đông") {
		t.Error("Hoa Lư's board lists an area of Gia Viễn")
	}
	if r := e.do("GET", compliancePath+"?den=2026-13", nil, e.login("tinh")); r.StatusCode != 400 || !strings.Contains(r.Body, "Tháng &#34;2026-13&#34; không hợp lệ") {
		t.Errorf("bad month = %d\n%s", r.StatusCode, r.Body)
	}
	if r := e.do("GET", compliancePath+"?don-vi=14330", nil, e.login("xa")); r.StatusCode != 404 {
		t.Errorf("another commune's board = %d", r.StatusCode)
	}
}
