package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// openingFlowStep is one request of the opening flow's scenario: who sends
// it, the status and texts wanted, and the counts of boxes, openings and
// letters after it (-1: not checked). {box} and {opening} in path are the
// mailbox and opening made by the steps before.
type openingFlowStep struct {
	who, method, path string
	form              url.Values
	status            int
	want, not         []string
	boxes, letters    int
	opened            int
}

func participantsForm(v url.Values, names ...string) url.Values {
	for i, n := range names {
		v.Set("ten_"+itoa(int64(i)), n)
		v.Set("chuc_vu_"+itoa(int64(i)), "")
		v.Set("to_chuc_"+itoa(int64(i)), "")
	}
	return v
}

// TestOpeningFlowPages walks the paper mailbox through its pages as
// commune staff and the area committee do: register a box (bad input is a
// 400 that changes nothing), start an opening (a re-submit with the same
// key is the same opening), register letters (a re-submit is the same
// letter), remove one, seal (a wrong count is refused), then any change of
// the sealed minutes is a 409 in Vietnamese and a correction is a new
// record. Another commune sees none of it (404).
func TestOpeningFlowPages(t *testing.T) {
	e := newEnv(t)
	e.addUser("bct", homthu.RoleCommittee, "14329-001")
	e.addUser("giavien", homthu.RoleFront, "14330")
	cookies := map[string]*http.Cookie{}
	for _, u := range []string{"xa", "bct", "giavien", "tinh"} {
		cookies[u] = e.login(u)
	}
	if r := e.do("POST", "/can-bo/dang-nhap", url.Values{"username": {"bct"}, "password": {testPassword}}, nil); r.Header.Get("Location") != mailboxesPath {
		t.Errorf("committee login → %q, want its mailboxes %s", r.Header.Get("Location"), mailboxesPath)
	}
	now := time.Now().In(homthu.VNTime).Add(-time.Hour)
	day, clock := now.Format(time.DateOnly), now.Format("15:04")
	box := url.Values{"don_vi": {"14329-001"}, "noi_dat": {"Nhà văn hóa tổ dân phố Hòa Bình"}, "ngay_lap": {"2024-03-15"}, "ngay_mo": {"10"}, "tinh_trang": {"in_use"}}
	with := func(v url.Values, kv ...string) url.Values {
		out := url.Values{}
		for k, vs := range v {
			out[k] = append([]string(nil), vs...)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	start := participantsForm(url.Values{"key": {"start-1"}, "ngay": {day}, "gio": {clock}, "niem_phong": {"intact"}},
		"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "")
	letter := url.Values{"key": {"letter-1"}, "noi_dung": {"Phản ánh tổ trưởng thu tiền không có chứng từ."}, "ky_ten": {"0"},
		"chuc_vu_bi_phan_anh": {"Tổ trưởng tổ dân phố"}}
	var boxID, openingID string
	for i, tt := range []openingFlowStep{
		{"xa", "GET", "/can-bo/hom-thu/moi", nil, 200, []string{`name="don_vi"`, "Tổ dân phố Hòa Bình", "Trụ sở Mặt trận Phường Hoa Lư"}, nil, 0, 0, 0},
		{"tinh", "GET", "/can-bo/hom-thu/moi", nil, 200, []string{`name="don-vi"`, "Xã Gia Viễn"}, nil, 0, 0, 0},
		{"xa", "POST", "/can-bo/hom-thu", with(box, "ngay_lap", "2024-13-01"), 400, []string{`role="alert"`, "Ngày lắp đặt", "Nhà văn hóa tổ dân phố Hòa Bình"}, nil, 0, 0, 0},
		{"xa", "POST", "/can-bo/hom-thu", with(box, "ngay_mo", "32"), 400, []string{"Ngày mở hòm hằng tháng phải từ 1 đến 31"}, nil, 0, 0, 0},
		{"xa", "POST", "/can-bo/hom-thu", with(box, "don_vi", "14330-001"), 400, []string{"trong phạm vi của bạn"}, nil, 0, 0, 0},
		{"bct", "POST", "/can-bo/hom-thu", box, 403, nil, nil, 0, 0, 0},
		{"xa", "POST", "/can-bo/hom-thu", box, 303, nil, nil, 1, 0, 0},
		{"xa", "GET", "/can-bo/hom-thu", nil, 200, []string{"Nhà văn hóa tổ dân phố Hòa Bình", "Ngày 10 hằng tháng", "Đang sử dụng", "Đăng ký hòm thư mới"}, nil, 1, 0, 0},
		{"bct", "GET", "/can-bo/hom-thu", nil, 200, []string{"Nhà văn hóa tổ dân phố Hòa Bình"}, []string{"Đăng ký hòm thư mới"}, 1, 0, 0},
		{"giavien", "GET", "/can-bo/hom-thu", nil, 200, nil, []string{"Nhà văn hóa tổ dân phố Hòa Bình"}, 1, 0, 0},
		{"giavien", "GET", "/can-bo/hom-thu/{box}", nil, 404, []string{"Không tìm thấy hòm thư này"}, nil, 1, 0, 0},
		{"xa", "POST", "/can-bo/hom-thu/{box}", with(box, "tinh_trang", "damaged", "ghi_chu", "Khóa bị gỉ"), 303, nil, nil, 1, 0, 0},
		{"xa", "POST", "/can-bo/hom-thu/{box}", with(box, "tinh_trang", "removed"), 400, []string{"Xin ghi ngày gỡ bỏ hòm thư"}, nil, 1, 0, 0},
		{"xa", "GET", "/can-bo/hom-thu/{box}", nil, 200, []string{"Hư hỏng, cần sửa chữa", "Khóa bị gỉ", "Mở hòm thư", "Chưa có lần mở nào"}, nil, 1, 0, 0},

		// The committee opens the box.
		{"bct", "GET", "/can-bo/hom-thu/{box}/mo", nil, 200, []string{`name="key"`, `name="ten_0"`, `name="ten_2"`, "Người chủ trì", "ít nhất 2 người chứng kiến"}, nil, 1, 0, 0},
		{"bct", "POST", "/can-bo/hom-thu/{box}/mo", participantsForm(with(start, "key", "start-0"), "Nguyễn Văn An", "Trần Thị Bình", ""), 400,
			[]string{"Cần ít nhất 2 người chứng kiến", `value="Trần Thị Bình"`}, nil, 1, 0, 0},
		{"bct", "POST", "/can-bo/hom-thu/{box}/mo", with(start, "niem_phong", "broken"), 400, []string{"xin ghi rõ tình trạng"}, nil, 1, 0, 0},
		{"bct", "POST", "/can-bo/hom-thu/{box}/mo", with(start, "gio", "25:00"), 400, []string{"Ngày, giờ mở hòm thư không hợp lệ"}, nil, 1, 0, 0},
		{"giavien", "POST", "/can-bo/hom-thu/{box}/mo", start, 404, nil, nil, 1, 0, 0},
		{"bct", "POST", "/can-bo/hom-thu/{box}/mo", start, 303, nil, nil, 1, 0, 1},
		{"bct", "POST", "/can-bo/hom-thu/{box}/mo", start, 303, nil, nil, 1, 0, 1}, // the same key: the same opening
		{"bct", "GET", "/can-bo/mo-hom-thu/{opening}", nil, 200, []string{"Nguyễn Văn An", "Trần Thị Bình; Lê Văn Cường", "Chưa đăng ký thư nào",
			`action="/can-bo/mo-hom-thu/{opening}/thu"`, `enctype="multipart/form-data"`, "Lưu thư này", "Niêm phong biên bản", "Hủy lần mở này"}, nil, 1, 0, 1},
		{"giavien", "GET", "/can-bo/mo-hom-thu/{opening}", nil, 404, nil, nil, 1, 0, 1},

		{"bct", "GET", "/can-bo/mo-hom-thu/{opening}/sua", nil, 200, []string{"Sửa thông tin lần mở hòm thư", `value="Lê Văn Cường"`}, nil, 1, 0, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}", participantsForm(with(start, "niem_phong", "none"), "Nguyễn Văn An", "", "", ""), 400,
			[]string{"Cần ít nhất 2 người chứng kiến"}, nil, 1, 0, 1},
		{"giavien", "POST", "/can-bo/mo-hom-thu/{opening}", start, 404, nil, nil, 1, 0, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}", participantsForm(with(start, "niem_phong", "none"), "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Đỗ Thị Dung"), 303, nil, nil, 1, 0, 1},
		{"bct", "GET", "/can-bo/mo-hom-thu/{opening}?da-sua=1", nil, 200, []string{"Đã lưu thời gian", "Hòm thư không được niêm phong", "Đỗ Thị Dung"}, nil, 1, 0, 1},

		// Letters, each saved as registered.
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/thu", with(letter, "noi_dung", ""), 400, []string{`role="alert"`, "Tổ trưởng tổ dân phố"}, nil, 1, 0, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/thu", with(letter, "ten_nguoi_ky", "Ai đó"), 400, []string{"Thư không ký tên"}, nil, 1, 0, 1},
		{"giavien", "POST", "/can-bo/mo-hom-thu/{opening}/thu", letter, 404, nil, nil, 1, 0, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/thu", letter, 303, nil, nil, 1, 1, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/thu", letter, 303, nil, nil, 1, 1, 1}, // a re-submit: the same letter
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/thu", with(letter, "noi_dung", "Khác"), 409, []string{"Mã yêu cầu"}, nil, 1, 1, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/thu", with(letter, "key", "letter-2", "ky_ten", "1", "ten_nguoi_ky", "Nguyễn Văn Hùng",
			"noi_dung", "Thư có ký tên về việc lấn chiếm đất công.", "toan_van", "1"), 303, nil, nil, 1, 2, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/thu", with(letter, "key", "letter-3", "noi_dung", "Đăng ký nhầm."), 303, nil, nil, 1, 3, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/thu/3/xoa", nil, 400, []string{"Xin xác nhận xóa thư"}, nil, 1, 3, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/thu/3/xoa", url.Values{"xac_nhan": {"1"}}, 303, nil, nil, 1, 2, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/huy", url.Values{"xac_nhan": {"1"}}, 409, []string{"không hủy được"}, nil, 1, 2, 1},
		{"bct", "GET", "/can-bo/mo-hom-thu/{opening}", nil, 200, []string{"thu tiền không có chứng từ", "Có ký tên", "Toàn văn", "Xác nhận xóa thư thứ 1"},
			[]string{"Đăng ký nhầm", "Nguyễn Văn Hùng", "Hủy lần mở này"}, 1, 2, 1},

		// Sealing.
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/niem-phong", url.Values{"so_thu": {"3"}}, 409, []string{`role="alert"`, `value="3"`, "khác số thư đã đăng ký"}, nil, 1, 2, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/niem-phong", url.Values{"so_thu": {"hai"}}, 400, []string{"Xin ghi số thư đếm được"}, nil, 1, 2, 1},
		{"giavien", "POST", "/can-bo/mo-hom-thu/{opening}/niem-phong", url.Values{"so_thu": {"2"}}, 404, nil, nil, 1, 2, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/niem-phong", url.Values{"so_thu": {"2"}}, 303, nil, nil, 1, 2, 1},
		{"bct", "GET", "/can-bo/mo-hom-thu/{opening}", nil, 200, []string{"Biên bản mở hòm thư số 01/BB-BCTMT", "2 thư", "Thư số 2", "nhật ký minh bạch"},
			[]string{"Lưu thư này", "thu tiền không có chứng từ"}, 1, 2, 1},
		{"xa", "GET", "/can-bo/mo-hom-thu/{opening}", nil, 200, []string{"thu tiền không có chứng từ", "Xem thư trong hộp thư", "Ghi đính chính"}, nil, 1, 2, 1},

		// Sealed means sealed.
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/thu", with(letter, "key", "letter-4"), 409, []string{"đã niêm phong"}, nil, 1, 2, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/thu/1/xoa", url.Values{"xac_nhan": {"1"}}, 409, []string{"đã niêm phong"}, nil, 1, 2, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/niem-phong", url.Values{"so_thu": {"2"}}, 303, nil, nil, 1, 2, 1}, // a re-submit: sealed already
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/niem-phong", url.Values{"so_thu": {"3"}}, 409, []string{"đã niêm phong"}, nil, 1, 2, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/huy", url.Values{"xac_nhan": {"1"}}, 409, []string{"đã niêm phong"}, nil, 1, 2, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}", start, 409, []string{"đã niêm phong"}, nil, 1, 2, 1},
		{"bct", "GET", "/can-bo/mo-hom-thu/{opening}/sua", nil, 409, []string{"đã niêm phong"}, nil, 1, 2, 1},
		{"bct", "POST", "/can-bo/mo-hom-thu/{opening}/dinh-chinh", url.Values{"loai": {"other"}, "noi_dung": {"x"}, "ly_do": {"y"}}, 403, nil, nil, 1, 2, 1},
		{"xa", "POST", "/can-bo/mo-hom-thu/{opening}/dinh-chinh", url.Values{"loai": {"seal"}, "noi_dung": {"Niêm phong bị rách một góc."}}, 400,
			[]string{"Lý do đính chính", "Niêm phong bị rách một góc."}, nil, 1, 2, 1},
		{"giavien", "POST", "/can-bo/mo-hom-thu/{opening}/dinh-chinh", url.Values{"loai": {"seal"}, "noi_dung": {"x"}, "ly_do": {"y"}}, 404, nil, nil, 1, 2, 1},
		{"xa", "POST", "/can-bo/mo-hom-thu/{opening}/dinh-chinh", url.Values{"loai": {"seal"}, "noi_dung": {"Niêm phong bị rách một góc."},
			"ly_do": {"Ghi nhầm khi lập biên bản."}}, 303, nil, nil, 1, 2, 1},
		{"xa", "GET", "/can-bo/mo-hom-thu/{opening}", nil, 200, []string{"Tình trạng niêm phong", "Ghi nhầm khi lập biên bản.", "Hòm thư không được niêm phong"}, nil, 1, 2, 1},
		{"xa", "GET", "/can-bo/hom-thu/{box}", nil, 200, []string{"Biên bản số 01/BB-BCTMT", "2 thư"}, nil, 1, 2, 1},
	} {
		path := strings.NewReplacer("{box}", boxID, "{opening}", openingID).Replace(tt.path)
		r := e.do(tt.method, path, tt.form, cookies[tt.who])
		name := tt.who + " " + tt.method + " " + path + " (step " + itoa(int64(i)) + ")"
		if r.StatusCode != tt.status {
			t.Fatalf("%s = %d → %q, want %d\n%s", name, r.StatusCode, r.Header.Get("Location"), tt.status, r.Body)
		}
		loc := r.Header.Get("Location")
		if boxID == "" && strings.HasPrefix(loc, "/can-bo/hom-thu/") {
			boxID = strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/can-bo/hom-thu/")
		}
		if openingID == "" && strings.HasPrefix(loc, "/can-bo/mo-hom-thu/") {
			openingID = strings.TrimPrefix(loc, "/can-bo/mo-hom-thu/")
		}
		body := htmlUnescape(r.Body)
		for _, w := range tt.want {
			w = strings.NewReplacer("{box}", boxID, "{opening}", openingID).Replace(w)
			if !strings.Contains(body, w) && !strings.Contains(r.Body, w) {
				t.Errorf("%s: page lacks %q", name, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(body, w) {
				t.Errorf("%s: page has %q", name, w)
			}
		}
		boxes, letters, opened := e.openingCounts()
		if boxes != tt.boxes || letters != tt.letters || opened != tt.opened {
			t.Errorf("%s: %d boxes, %d letters, %d openings; want %d, %d, %d", name, boxes, letters, opened, tt.boxes, tt.letters, tt.opened)
		}
	}
}

// openingCounts counts the mailboxes, the letters (draft or sealed) and the
// openings in the province.
func (e *env) openingCounts() (boxes, letters, openings int) {
	e.t.Helper()
	ctx := e.t.Context()
	bs, _, err := e.store.ListMailboxes(ctx, store.MailboxFilter{Scope: "37", Limit: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	os, _, err := e.store.ListOpenings(ctx, store.OpeningFilter{Scope: "37", Limit: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, o := range os {
		letters += o.LetterCount
	}
	return len(bs), letters, len(os)
}
