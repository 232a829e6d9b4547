package web

import (
	"net/url"
	"strings"
	"testing"
)

// TestFinder: the home page's search finds an area without diacritics and
// shows its box's place and schedule; a commune shows its own box (damaged)
// and links its areas' boxes; removed boxes and staff notes never show; a
// bad request is a Vietnamese 400 or 404.
func TestFinder(t *testing.T) {
	e := newEnv(t)
	portalData(t, e)
	if r := e.do("GET", "/", nil, nil); !strings.Contains(r.Body, `action="/tim-hom-thu"`) {
		t.Error("the home page does not search the mailboxes")
	}
	for _, tt := range []struct {
		q        url.Values
		status   int
		want     []string
		wantNone []string
	}{
		{url.Values{"q": {"hoa binh"}}, 200, []string{"Tổ dân phố Hòa Bình", "Nhà văn hóa tổ dân phố Hòa Bình, số 12 đường Lê Lợi", "Ngày 10 hằng tháng", `href="/gui?area=14329-001"`}, []string{"Trụ sở"}},
		{url.Values{"q": {"HOÀ LƯ"}}, 200, []string{"Phường Hoa Lư", "Trụ sở Ủy ban MTTQ phường Hoa Lư", "Mỗi tháng một lần, ngày bất kỳ", "đang hư hỏng", `href="/tim-hom-thu?duoi=14329"`}, nil},
		{url.Values{"duoi": {"14329"}}, 200, []string{"Hòm thư góp ý ở Phường Hoa Lư", "Tổ dân phố Hòa Bình", "Ngày 10 hằng tháng", "Trụ sở Ủy ban MTTQ"}, []string{`href="/tim-hom-thu?duoi=14329"`}},
		{url.Values{"q": {"khongcotenxanay"}}, 200, []string{"Không tìm thấy"}, nil},
		{url.Values{"duoi": {"37"}}, 404, []string{"Không có xã, phường"}, nil},
		{url.Values{"duoi": {"99999"}}, 404, nil, nil},
		{url.Values{"q": {strings.Repeat("a", 101)}}, 400, []string{"dài quá 100 chữ"}, nil},
	} {
		r := e.do("GET", "/tim-hom-thu?"+tt.q.Encode(), nil, nil)
		if r.StatusCode != tt.status {
			t.Errorf("GET /tim-hom-thu?%s = %d, want %d", tt.q.Encode(), r.StatusCode, tt.status)
		}
		for _, w := range tt.want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("GET /tim-hom-thu?%s lacks %q", tt.q.Encode(), w)
			}
		}
		for _, w := range tt.wantNone {
			if strings.Contains(r.Body, w) {
				t.Errorf("GET /tim-hom-thu?%s shows %q", tt.q.Encode(), w)
			}
		}
	}
}
