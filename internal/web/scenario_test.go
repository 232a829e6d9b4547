package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
)

// TestCitizenPages is the scenario table of the citizen's pages: method,
// path, form, the status wanted and texts the page must (and must not)
// contain.
func TestCitizenPages(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		method, path string
		form         url.Values
		status       int
		want, not    []string
	}{
		{"GET", "/", nil, 200, []string{`<html lang="vi">`, `href="/gui"`, "Gửi phản ánh", `href="/tra-cuu"`, "Tra cứu bằng mã",
			"124-QĐ/TW", "ẩn danh", `href="/can-bo/dang-nhap"`}, nil},
		{"GET", "/gui", nil, 200, []string{`action="/gui"`, `name="q"`, `<label for="q">`, "Tỉnh Ninh Bình", "Thành phố Hà Nội"}, nil},
		{"GET", "/gui", url.Values{"q": {"hoa lu"}}, 200, []string{`href="/gui?area=14329"`, "Phường Hoa Lư", "Tỉnh Ninh Bình"}, []string{"trước đây"}},
		{"GET", "/gui", url.Values{"q": {"Hoà Lư"}}, 200, []string{`href="/gui?area=14329"`}, nil},
		{"GET", "/gui", url.Values{"q": {"ninh khanh"}}, 200, []string{`href="/gui?area=14329"`, "trước đây: Phường Ninh Khánh"}, nil},
		{"GET", "/gui", url.Values{"q": {"hoa binh"}}, 200, []string{`href="/gui?area=14329-001"`, "Tổ dân phố Hòa Bình",
			`<span class="path">Phường Hoa Lư › Tỉnh Ninh Bình</span>`}, nil},
		{"GET", "/gui", url.Values{"q": {"khong co noi nay"}}, 200, []string{"Không tìm thấy nơi nào"}, nil},
		{"GET", "/gui", url.Values{"duoi": {"14329"}}, 200, []string{`href="/gui?area=14329-001"`, `href="/gui?area=14329"`}, nil},
		{"GET", "/gui", url.Values{"duoi": {"37"}}, 200, []string{`href="/gui?area=14330"`, "Xã Gia Viễn"}, nil},
		{"GET", "/gui", url.Values{"area": {"14329-001"}}, 200, []string{`name="key"`, `value="14329-001"`, "Mặt trận cấp tỉnh",
			"cán bộ cấp xã không xem được thư", "không lưu địa chỉ IP", "ngày gửi", "không thể biết bạn là ai",
			"chính những gì bạn viết", "mã hóa", "mỗi lần xem đều được ghi lại", "15 ngày", `accept="image/jpeg,image/png,image/webp,application/pdf"`,
			"xóa thông tin vị trí", `enctype="multipart/form-data"`, `<input type="checkbox" id="f-consent" name="consent" value="1" aria-describedby="consent-notice">`,
			"Tôi đồng ý để Mặt trận lưu và xử lý họ tên, thông tin liên hệ của tôi để xem xét, trả lời phản ánh này", "91/2025/QH15",
			"Mục đích:", "Ai xem được:", "Thời hạn lưu:", "Quyền của bạn:", "rút lại sự đồng ý", "theo thời hạn lưu trữ Mặt trận quy định"}, nil},
		{"GET", "/gui", url.Values{"area": {"37"}}, 400, []string{`role="alert"`, "Xin chọn một khu dân cư"}, nil},
		{"GET", "/gui", url.Values{"area": {"99999"}}, 404, []string{`role="alert"`, "Không tìm thấy khu dân cư"}, nil},
		{"GET", "/tra-cuu", nil, 200, []string{`method="post" action="/tra-cuu"`, `<label for="receipt">`}, nil},
		{"POST", "/tra-cuu", url.Values{"receipt": {"0000-0000-0000-0000-0000"}}, 404, []string{`role="alert"`, "Không tìm thấy thư nào với mã tra cứu này"}, nil},
		{"POST", "/tra-cuu", url.Values{"receipt": {"abc"}}, 400, []string{`role="alert"`, "Mã tra cứu phải có đúng 20 ký tự", `value="abc"`}, nil},
		{"POST", "/tra-cuu/tin-nhan", url.Values{"receipt": {"0000-0000-0000-0000-0000"}, "body": {"x"}}, 404, []string{"Không tìm thấy thư nào"}, nil},
		{"POST", "/gui/da-luu", url.Values{"saved": {"1"}}, 303, nil, nil},
		{"POST", "/gui/da-luu", url.Values{"receipt": {"7k3mqx9atp2dh8wez4rc"}, "received_at": {"2026-11-28"}}, 400,
			[]string{`role="alert"`, "Xin đánh dấu", "<span>7K3M</span>", "ngày 28/11/2026"}, nil},
		{"GET", "/da-gui", nil, 200, []string{"Cảm ơn bạn", `href="/tra-cuu"`}, nil},
		{"GET", "/khong-co", nil, 404, []string{"Không có trang này", `href="/"`}, nil},
		{"GET", "/static/style.css", nil, 200, []string{"font-family:system-ui"}, nil},
		{"GET", "/static/khong-co.css", nil, 404, nil, nil},
		{"GET", "/can-bo", nil, 301, nil, nil},
	} {
		r := e.do(tt.method, tt.path, tt.form, nil)
		name := tt.method + " " + tt.path + "?" + tt.form.Encode()
		if r.StatusCode != tt.status {
			t.Errorf("%s = %d, want %d\n%s", name, r.StatusCode, tt.status, r.Body)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s: page lacks %q", name, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(r.Body, w) {
				t.Errorf("%s: page has %q", name, w)
			}
		}
		if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "text/html") {
			for h, want := range map[string]string{
				"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
				"Referrer-Policy":         "no-referrer",
				"Cache-Control":           "no-store",
				"X-Content-Type-Options":  "nosniff",
			} {
				if got := r.Header.Get(h); !strings.HasPrefix(got, want) {
					t.Errorf("%s: %s = %q, want %q", name, h, got, want)
				}
			}
			checkNoInline(t, name, r.Body)
			checkLabels(t, name, r.Body)
		}
	}
}

// TestSubmit follows the sending form: success gives a receipt that
// app.Track accepts; the same idempotency key twice makes one item; an
// error keeps what was typed.
func TestSubmit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	form := e.do("GET", "/gui", url.Values{"area": {"14329-001"}}, nil)
	key := field(form.Body, "key")
	if len(key) < 20 {
		t.Fatalf("form idempotency key = %q", key)
	}

	v := submitValues("14329-001", key, "Cán bộ phường uống rượu trong giờ làm việc.")
	r := e.do("POST", "/gui", v, nil)
	if r.StatusCode != 200 {
		t.Fatalf("POST /gui = %d\n%s", r.StatusCode, r.Body)
	}
	code := receiptOf(t, r.Body)
	for _, want := range []string{`<svg class="qr"`, "Tôi đã lưu (chép, chụp hoặc in) mã tra cứu; tôi hiểu rằng mã này không thể cấp lại",
		`type="checkbox" id="saved" name="saved" value="1" required`, `action="/gui/da-luu"`, "data-print", "homthu.js",
		"http://example.com/tra-cuu"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("receipt page lacks %q", want)
		}
	}
	if h := r.Header.Get("Cache-Control"); h != "no-store" {
		t.Errorf("receipt page Cache-Control = %q", h)
	}
	if loc := r.Header.Get("Location"); loc != "" {
		t.Errorf("receipt page redirects to %q: the receipt must not travel in a URL", loc)
	}
	view, err := e.app.Track(ctx, code)
	if err != nil {
		t.Fatalf("app.Track(%q) = %v", code, err)
	}
	if view.Status != homthu.StatusReceived || !view.Anonymous {
		t.Errorf("app.Track(%q) = %+v", code, view)
	}

	// A double click: the same form again.
	r2 := e.do("POST", "/gui", v, nil)
	if r2.StatusCode != 200 {
		t.Fatalf("second POST /gui = %d\n%s", r2.StatusCode, r2.Body)
	}
	if code2 := receiptOf(t, r2.Body); code2 != code {
		t.Errorf("second POST with the same key gave receipt %s, want %s", code2, code)
	}
	if n := e.countItems(); n != 1 {
		t.Errorf("after a double post, %d items, want 1", n)
	}

	// The same key, changed content (sent, went back, edited): a conflict
	// that keeps the text and offers a fresh key.
	v3 := submitValues("14329-001", key, "Nội dung khác hẳn.")
	r3 := e.do("POST", "/gui", v3, nil)
	if r3.StatusCode != http.StatusConflict || !strings.Contains(r3.Body, "Nội dung khác hẳn.") {
		t.Errorf("POST with a used key and other content = %d, want 409 with the text kept\n%s", r3.StatusCode, r3.Body)
	}
	if k := field(r3.Body, "key"); k == key || k == "" {
		t.Errorf("conflict page key = %q, want a fresh one", k)
	}
	if n := e.countItems(); n != 1 {
		t.Errorf("after a conflict, %d items, want 1", n)
	}
}

func TestSubmitErrorsKeepInput(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
		field  string // the field the error is about
		keep   []string
	}{
		{"empty content", url.Values{"area": {"14329-001"}, "key": {"k1"}, "content": {"   "}, "subject_name": {"Nguyễn Văn Ác"},
			"subject_position": {"Trưởng thôn"}, "anonymous": {"1"}, "to": {"province"}},
			400, "content", []string{`value="Nguyễn Văn Ác"`, `value="Trưởng thôn"`, `value="province" checked`}},
		{"named without a name", url.Values{"area": {"14329-001"}, "key": {"k2"}, "content": {"Việc xảy ra <ở> thôn"}, "anonymous": {"0"},
			"phone": {"0912 345 678"}}, 400, "name", []string{"Việc xảy ra &lt;ở&gt; thôn", `value="0912 345 678"`, `value="0" checked`}},
		{"bad phone", url.Values{"area": {"14329-001"}, "key": {"k3"}, "content": {"Nội dung"}, "anonymous": {"0"}, "name": {"Trần Thị B"},
			"phone": {"gọi tôi"}}, 400, "phone", []string{`value="Trần Thị B"`, `value="gọi tôi"`}},
		{"content too long", url.Values{"area": {"14329"}, "key": {"k4"}, "content": {strings.Repeat("dài ", 5001)}, "anonymous": {"1"}},
			400, "content", []string{"dài dài dài"}},
		{"named without consent", url.Values{"area": {"14329-001"}, "key": {"k5"}, "content": {"Nội dung"}, "anonymous": {"0"}, "name": {"Trần Thị B"},
			"phone": {"0912345678"}, "subject_name": {"Lê Văn D"}}, 400, "consent",
			[]string{`value="Trần Thị B"`, `value="0912345678"`, `value="Lê Văn D"`, `value="0" checked`, "Xin đánh dấu vào ô đồng ý", `aria-invalid="true"`}},
		{"consent kept", url.Values{"area": {"14329-001"}, "key": {"k6"}, "content": {"Nội dung"}, "anonymous": {"0"}, "consent": {"1"}},
			400, "name", []string{`name="consent" value="1" checked`}},
	} {
		r := e.do("POST", "/gui", tt.form, nil)
		if r.StatusCode != tt.status {
			t.Errorf("%s: POST /gui = %d, want %d\n%s", tt.name, r.StatusCode, tt.status, r.Body)
			continue
		}
		for _, want := range append(tt.keep, `role="alert"`, `href="#f-`+tt.field+`"`, `id="`+tt.field+`-err"`, tt.field+`-err"`,
			`name="key" value="`+tt.form.Get("key")+`"`) {
			if !strings.Contains(r.Body, want) {
				t.Errorf("%s: form lacks %q", tt.name, want)
			}
		}
		if !strings.Contains(r.Body, `id="f-`+tt.field+`"`) {
			t.Errorf("%s: no field f-%s to link the error to", tt.name, tt.field)
		}
	}
	if n := e.countItems(); n != 0 {
		t.Errorf("after failed posts, %d items, want 0", n)
	}
}

// TestSubmitAnonymousDropsIdentity: identity fields typed and then hidden
// by choosing "ẩn danh" are not stored.
func TestSubmitAnonymousDropsIdentity(t *testing.T) {
	e := newEnv(t)
	v := submitValues("14329-001", "k", "Nội dung")
	v.Set("name", "Lê Văn C")
	v.Set("phone", "0912345678")
	r := e.do("POST", "/gui", v, nil)
	if r.StatusCode != 200 {
		t.Fatalf("POST /gui = %d\n%s", r.StatusCode, r.Body)
	}
	view, err := e.app.Track(context.Background(), receiptOf(t, r.Body))
	if err != nil || !view.Anonymous || !view.ReceivedAt.IsZero() {
		t.Errorf("Track = %+v, %v: want an anonymous item with only a day", view, err)
	}
	var n int
	if err := e.store.DB().QueryRow(`SELECT COUNT(*) FROM items WHERE identity IS NOT NULL`).Scan(&n); err != nil || n != 0 {
		t.Errorf("items with an identity = %d, %v; want 0", n, err)
	}
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := 0; x < 40; x++ {
		img.Set(x, x%30, color.RGBA{200, 20, 20, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSubmitAttachments: a refused file sends the form back with the
// accepted one kept (by an authenticated token), which the next post sends
// without attaching it again; staff download it as an attachment.
func TestSubmitAttachments(t *testing.T) {
	e := newEnv(t)
	fields := url.Values{"area": {"14329-001"}, "key": {"k"}, "to": {"commune"}, "content": {"Ảnh chụp biên bản."}, "anonymous": {"1"}}
	ct, body := multipartForm(t, fields, map[string][]byte{"ảnh.png": pngBytes(t), "virus.exe": []byte("MZ\x90\x00 not an image")})
	req := httptest.NewRequest("POST", "/gui", body)
	req.Header.Set("Content-Type", ct)
	r := e.serve(req)
	if r.StatusCode != 400 || !strings.Contains(r.Body, "virus") || !strings.Contains(r.Body, `href="#f-files"`) {
		t.Fatalf("POST with a bad file = %d, want 400 naming the file\n%s", r.StatusCode, r.Body)
	}
	if !strings.Contains(r.Body, "ảnh.png") || !strings.Contains(r.Body, "Ảnh chụp biên bản.") {
		t.Fatalf("re-rendered form lost the accepted file or the text\n%s", r.Body)
	}
	token := field(r.Body, "kept")
	if token == "" {
		t.Fatalf("no kept-file token on the form")
	}
	if n := e.countItems(); n != 0 {
		t.Fatalf("%d items after a failed post", n)
	}

	// A forged token is refused.
	forged := fields
	forged.Set("kept", strings.Replace(token, token[:4], "AAAA", 1))
	if r := e.do("POST", "/gui", forged, nil); r.StatusCode != 400 || !strings.Contains(r.Body, "không còn hợp lệ") {
		t.Errorf("POST with a forged token = %d\n%s", r.StatusCode, r.Body)
	}

	fields.Set("kept", token)
	fields.Set("key", "k2")
	ct, body = multipartForm(t, fields, nil)
	req = httptest.NewRequest("POST", "/gui", body)
	req.Header.Set("Content-Type", ct)
	r = e.serve(req)
	if r.StatusCode != 200 {
		t.Fatalf("POST with the kept file = %d\n%s", r.StatusCode, r.Body)
	}
	receiptOf(t, r.Body)

	c := e.login("xa")
	inbox := e.do("GET", "/can-bo/", nil, c)
	id := regexpFind(t, inbox.Body, `href="/can-bo/thu/([0-9a-z]+)"`)
	item := e.do("GET", "/can-bo/thu/"+id, nil, c)
	if !strings.Contains(item.Body, `href="/can-bo/thu/`+id+`/tep/0" download`) {
		t.Fatalf("item page lacks the attachment link\n%s", item.Body)
	}
	dl := e.do("GET", "/can-bo/thu/"+id+"/tep/0", nil, c)
	if dl.StatusCode != 200 || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") ||
		dl.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(dl.Body, "\x89PNG") {
		t.Errorf("download = %d %q %q", dl.StatusCode, dl.Header.Get("Content-Disposition"), dl.Header.Get("Content-Type"))
	}
	if dl := e.do("GET", "/can-bo/thu/"+id+"/tep/1", nil, c); dl.StatusCode != 404 {
		t.Errorf("download of a missing attachment = %d, want 404", dl.StatusCode)
	}
	if dl := e.do("GET", "/can-bo/thu/"+id+"/tep/0", nil, e.login("hanoi")); dl.StatusCode != 404 {
		t.Errorf("download by another province = %d, want 404", dl.StatusCode)
	}
}

// TestTrack follows an item with its receipt alone, typed in any case and
// without separators, and answers the Front.
func TestTrack(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/gui", submitValues("14329-001", "k", "Nội dung phản ánh"), nil)
	code := receiptOf(t, r.Body)
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))

	tr := e.do("POST", "/tra-cuu", url.Values{"receipt": {typed}}, nil)
	if tr.StatusCode != 200 {
		t.Fatalf("POST /tra-cuu = %d\n%s", tr.StatusCode, tr.Body)
	}
	for _, want := range []string{homthu.StatusReceived.Label(), "Chưa có tin nhắn nào", `action="/tra-cuu/tin-nhan"`,
		`<input type="hidden" name="receipt" value="` + code + `">`} {
		if !strings.Contains(tr.Body, want) {
			t.Errorf("track page lacks %q", want)
		}
	}

	// The Front writes; the citizen answers.
	c := e.login("xa")
	inbox := e.do("GET", "/can-bo/", nil, c)
	id := regexpFind(t, inbox.Body, `href="/can-bo/thu/([0-9a-z]+)"`)
	m := e.do("POST", "/can-bo/thu/"+id+"/tin-nhan", url.Values{"body": {"Xin cho biết thời gian cụ thể."}}, c)
	if m.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff message = %d\n%s", m.StatusCode, m.Body)
	}
	rep := e.do("POST", "/tra-cuu/tin-nhan", url.Values{"receipt": {code}, "body": {"Khoảng 10 giờ sáng thứ Hai."}}, nil)
	if rep.StatusCode != 200 {
		t.Fatalf("reply = %d\n%s", rep.StatusCode, rep.Body)
	}
	for _, want := range []string{"Xin cho biết thời gian cụ thể.", "Khoảng 10 giờ sáng thứ Hai.", "Đã gửi tin nhắn của bạn", "Mặt trận Tổ quốc"} {
		if !strings.Contains(rep.Body, want) {
			t.Errorf("thread after reply lacks %q", want)
		}
	}
	// The same reply again (a double click, a reload): still one message.
	again := e.do("POST", "/tra-cuu/tin-nhan", url.Values{"receipt": {code}, "body": {"Khoảng 10 giờ sáng thứ Hai."}}, nil)
	if again.StatusCode != 200 || strings.Count(again.Body, "Khoảng 10 giờ sáng thứ Hai.") != 1 {
		t.Errorf("the same reply twice = %d, shown %d times, want once", again.StatusCode, strings.Count(again.Body, "Khoảng 10 giờ sáng thứ Hai."))
	}
	// An empty reply keeps the thread and says what is wrong.
	empty := e.do("POST", "/tra-cuu/tin-nhan", url.Values{"receipt": {code}, "body": {"  "}}, nil)
	if empty.StatusCode != 400 || !strings.Contains(empty.Body, "không được để trống") || !strings.Contains(empty.Body, "Khoảng 10 giờ") {
		t.Errorf("empty reply = %d\n%s", empty.StatusCode, empty.Body)
	}
	item := e.do("GET", "/can-bo/thu/"+id, nil, c)
	if !strings.Contains(item.Body, "Khoảng 10 giờ sáng thứ Hai.") || !strings.Contains(item.Body, "Người phản ánh") {
		t.Errorf("staff item page lacks the citizen's reply")
	}
}

func regexpFind(t *testing.T, body, re string) string {
	t.Helper()
	m := regexpMust(re).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no match for %s in\n%s", re, body)
	}
	return m[1]
}

// TestStaffLogin: a wrong password and an unknown user get the same
// answer; the cookie is HttpOnly, SameSite=Lax, and Secure when the
// request came over TLS or from a trusted TLS proxy.
func TestStaffLogin(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")} })
	wrong := e.do("POST", "/can-bo/dang-nhap", url.Values{"username": {"xa"}, "password": {"sai"}}, nil)
	unknown := e.do("POST", "/can-bo/dang-nhap", url.Values{"username": {"khongco"}, "password": {"sai"}}, nil)
	if wrong.StatusCode != 401 || unknown.StatusCode != 401 {
		t.Fatalf("bad logins = %d, %d, want 401", wrong.StatusCode, unknown.StatusCode)
	}
	alert := func(b string) string {
		return regexpFind(t, b, `(?s)<div class="alert" role="alert" id="login-err">(.*?)</div>`)
	}
	if a, b := alert(wrong.Body), alert(unknown.Body); a != b {
		t.Errorf("wrong password says %q, unknown user %q: they must be the same", a, b)
	}

	if r := e.do("GET", "/can-bo/", nil, nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/can-bo/dang-nhap?next=%2Fcan-bo%2F" {
		t.Errorf("GET /can-bo/ without a session = %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	r := e.do("POST", "/can-bo/dang-nhap", url.Values{"username": {"xa"}, "password": {testPassword}, "next": {"//evil.example/"}}, nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/can-bo/" {
		t.Errorf("login with an outside next = %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	c := r.Cookies()[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/can-bo/" {
		t.Errorf("cookie over plain HTTP = %+v, want HttpOnly, SameSite=Lax, not Secure, Path=/can-bo/", c)
	}
	for _, tt := range []struct {
		remote, proto string
		secure        bool
	}{
		{"10.1.2.3:5000", "https", true},
		{"192.0.2.1:5000", "https", false}, // not a trusted proxy
		{"10.1.2.3:5000", "", false},
	} {
		req := httptest.NewRequest("POST", "/can-bo/dang-nhap", strings.NewReader(url.Values{"username": {"xa"}, "password": {testPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = tt.remote
		if tt.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		r := e.serve(req)
		if got := r.Cookies()[0].Secure; got != tt.secure {
			t.Errorf("login from %s with X-Forwarded-Proto %q: Secure = %v, want %v", tt.remote, tt.proto, got, tt.secure)
		}
	}

	inbox := e.do("GET", "/can-bo/", nil, c)
	if inbox.StatusCode != 200 || !strings.Contains(inbox.Body, "Hộp thư — Phường Hoa Lư") || !strings.Contains(inbox.Body, `action="/can-bo/dang-xuat"`) {
		t.Fatalf("inbox = %d\n%s", inbox.StatusCode, inbox.Body)
	}
	out := e.do("POST", "/can-bo/dang-xuat", nil, c)
	if out.StatusCode != http.StatusSeeOther || out.Cookies()[0].MaxAge >= 0 {
		t.Errorf("logout = %d, cookie %+v", out.StatusCode, out.Cookies())
	}
	if r := e.do("GET", "/can-bo/", nil, c); r.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /can-bo/ after logout = %d, want 303 to the login form", r.StatusCode)
	}

	// A cross-origin POST is refused.
	req := httptest.NewRequest("POST", "/can-bo/dang-nhap", strings.NewReader("username=xa&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := e.serve(req); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "trang web khác") {
		t.Errorf("cross-site POST = %d\n%s", r.StatusCode, r.Body)
	}
}

// TestInboxScope: a commune's staff see their commune's items and never the
// item about their own leaders sent to the province, nor another unit's —
// not even by its id, which is the same 404 as an id that does not exist.
func TestInboxScope(t *testing.T) {
	e := newEnv(t)
	send := func(area, to, content string) {
		t.Helper()
		v := submitValues(area, content, content)
		v.Set("to", to)
		if r := e.do("POST", "/gui", v, nil); r.StatusCode != 200 {
			t.Fatalf("POST /gui = %d\n%s", r.StatusCode, r.Body)
		}
	}
	send("14329-001", "commune", "Thư gửi phường Hoa Lư")
	send("14329-001", "province", "Thư về chủ tịch phường gửi tỉnh")
	send("14330-001", "commune", "Thư gửi xã Gia Viễn chưa có cán bộ")
	send("00004", "commune", "Thư ở Hà Nội")

	ids := map[string]string{} // content → id, from the province's inbox
	tinh := e.login("tinh")
	for _, it := range mustItems(t, e, "37") {
		ids[it.Content] = it.ID
	}
	hanoiIDs := mustItems(t, e, "01")

	xa := e.login("xa")
	for _, tt := range []struct {
		user      string
		cookie    *http.Cookie
		query     url.Values
		want, not []string
	}{
		{"xa", xa, nil, []string{"Thư gửi phường Hoa Lư"}, []string{"chủ tịch phường", "Gia Viễn chưa", "Hà Nội"}},
		{"tinh", tinh, nil, []string{"Thư gửi phường Hoa Lư", "Thư về chủ tịch phường gửi tỉnh", "Gia Viễn chưa có cán bộ",
			"Đơn vị chưa có cán bộ — chuyển lên cấp trên"}, []string{"Thư ở Hà Nội"}},
		{"tinh", tinh, url.Values{"q": {"chu tich"}}, []string{"chủ tịch phường"}, []string{"Thư gửi phường Hoa Lư"}},
		{"tinh", tinh, url.Values{"unit": {"14330"}}, []string{"Gia Viễn chưa"}, []string{"Thư gửi phường Hoa Lư"}},
		{"xa", xa, url.Values{"unit": {"14329-001"}}, []string{"Thư gửi phường Hoa Lư"}, nil},
		{"tinh", tinh, url.Values{"status": {"closed"}}, []string{"Không có thư, đơn nào khớp bộ lọc"}, []string{"Thư gửi phường"}},
		{"tinh", tinh, url.Values{"channel": {"paper"}}, []string{"Không có thư, đơn nào"}, nil},
		{"tinh", tinh, url.Values{"from": {"2000-01-01"}, "to": {"2999-12-31"}}, []string{"Thư gửi phường Hoa Lư"}, nil},
	} {
		r := e.do("GET", "/can-bo/", tt.query, tt.cookie)
		if r.StatusCode != 200 {
			t.Errorf("%s: inbox %v = %d\n%s", tt.user, tt.query, r.StatusCode, r.Body)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s: inbox %v lacks %q", tt.user, tt.query, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(r.Body, w) {
				t.Errorf("%s: inbox %v shows %q", tt.user, tt.query, w)
			}
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("inbox Cache-Control = %q", r.Header.Get("Cache-Control"))
		}
	}
	if r := e.do("GET", "/can-bo/", url.Values{"from": {"28/11/2026"}}, tinh); r.StatusCode != 400 || !strings.Contains(r.Body, "không hợp lệ") {
		t.Errorf("inbox with a bad date = %d", r.StatusCode)
	}
	if r := e.do("GET", "/can-bo/", url.Values{"unit": {"14330"}}, xa); r.StatusCode != 404 {
		t.Errorf("commune user narrowing to another commune = %d, want 404", r.StatusCode)
	}

	notFound := e.do("GET", "/can-bo/thu/khongcothunay", nil, xa)
	if notFound.StatusCode != 404 {
		t.Fatalf("nonexistent item = %d", notFound.StatusCode)
	}
	for _, id := range []string{ids["Thư về chủ tịch phường gửi tỉnh"], ids["Thư gửi xã Gia Viễn chưa có cán bộ"], hanoiIDs[0].ID} {
		r := e.do("GET", "/can-bo/thu/"+id, nil, xa)
		if r.StatusCode != 404 || strings.ReplaceAll(r.Body, id, "") != strings.ReplaceAll(notFound.Body, "khongcothunay", "") {
			t.Errorf("xa opening out-of-scope item %s = %d; want the very page of a nonexistent item", id, r.StatusCode)
		}
		if r := e.do("POST", "/can-bo/thu/"+id+"/tin-nhan", url.Values{"body": {"x"}}, xa); r.StatusCode != 404 {
			t.Errorf("xa writing on out-of-scope item %s = %d, want 404", id, r.StatusCode)
		}
	}
	own := e.do("GET", "/can-bo/thu/"+ids["Thư gửi phường Hoa Lư"], nil, xa)
	if own.StatusCode != 200 || !strings.Contains(own.Body, "Thư gửi phường Hoa Lư") || !strings.Contains(own.Body, "Ẩn danh") {
		t.Errorf("xa opening own item = %d\n%s", own.StatusCode, own.Body)
	}

	// Units without staff: for administrators only.
	if r := e.do("GET", "/can-bo/don-vi-chua-co-can-bo", nil, xa); r.StatusCode != 403 {
		t.Errorf("non-admin on the unstaffed list = %d, want 403", r.StatusCode)
	}
	adm := e.do("GET", "/can-bo/don-vi-chua-co-can-bo", nil, e.login("admin"))
	if adm.StatusCode != 200 || !strings.Contains(adm.Body, "Xã Gia Viễn") || strings.Contains(adm.Body, "<td>Phường Hoa Lư</td>") {
		t.Errorf("unstaffed list = %d\n%s", adm.StatusCode, adm.Body)
	}
}

func mustItems(t *testing.T, e *env, scope string) []*homthu.Item {
	t.Helper()
	items, _, err := e.store.ListItems(context.Background(), homthu.ItemFilter{Scope: scope, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// TestInboxPagination walks the inbox page by page with the cursor.
func TestInboxPagination(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < inboxPageSize+5; i++ {
		if r := e.do("POST", "/gui", submitValues("14329", "k"+string(rune('a'+i)), "Thư số "+string(rune('A'+i))), nil); r.StatusCode != 200 {
			t.Fatalf("POST /gui = %d", r.StatusCode)
		}
	}
	c := e.login("xa")
	first := e.do("GET", "/can-bo/", url.Values{"q": {"thu so"}}, c)
	next := htmlUnescape(regexpFind(t, first.Body, `<a href="([^"]+)">Trang sau »</a>`))
	if !strings.Contains(next, "cursor=") || !strings.Contains(next, "q=thu+so") {
		t.Fatalf("next page link %q lacks the cursor or the filter", next)
	}
	second := e.do("GET", next, nil, c)
	n1 := strings.Count(first.Body, `href="/can-bo/thu/`)
	n2 := strings.Count(second.Body, `href="/can-bo/thu/`)
	if n1 != inboxPageSize || n2 != 5 || strings.Contains(second.Body, "Trang sau") || !strings.Contains(second.Body, "Trang đầu") {
		t.Errorf("pages of %d and %d items, want %d and 5", n1, n2, inboxPageSize)
	}
}

// TestConsent: a named letter needs the consent box; with it the letter is
// received; an anonymous one never needs it. The notice states the
// configured retention period.
func TestConsent(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Retention = 5 * 365 * 24 * time.Hour })
	if form := e.do("GET", "/gui", url.Values{"area": {"14329-001"}}, nil); !strings.Contains(form.Body, "bị xóa 5 năm sau khi Mặt trận kết thúc xử lý thư") {
		t.Errorf("the notice does not state the retention period")
	}
	v := namedValues("k1", "Nội dung có tên")
	v.Del("consent")
	if r := e.do("POST", "/gui", v, nil); r.StatusCode != 400 || e.countItems() != 0 {
		t.Fatalf("named without consent = %d, %d items; want 400 and none", r.StatusCode, e.countItems())
	}
	v.Set("consent", "1")
	if r := e.do("POST", "/gui", v, nil); r.StatusCode != 200 {
		t.Fatalf("named with consent = %d\n%s", r.StatusCode, r.Body)
	}
	if r := e.do("POST", "/gui", submitValues("14329-001", "k2", "Ẩn danh"), nil); r.StatusCode != 200 {
		t.Errorf("anonymous without consent = %d, want 200", r.StatusCode)
	}
	if n := e.countItems(); n != 2 {
		t.Errorf("%d items, want 2", n)
	}
}

func TestRetentionLabel(t *testing.T) {
	const day = 24 * time.Hour
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{{0, ""}, {5 * 365 * day, "5 năm"}, {180 * day, "6 tháng"}, {10 * day, "10 ngày"}, {time.Hour, "1 ngày"}} {
		if got := retentionLabel(tt.d); got != tt.want {
			t.Errorf("retentionLabel(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
