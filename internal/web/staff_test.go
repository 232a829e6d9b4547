package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"homthu/internal/app"
	"homthu/internal/homthu"
)

// TestStaffNav: the menu shows each role the pages its role may open, and
// no link whose route would refuse it.
func TestStaffNav(t *testing.T) {
	e := newEnv(t)
	acts := map[string]homthu.Action{}
	for _, rt := range e.srv.routeTable() {
		if rt.method == "GET" {
			acts[strings.Replace(rt.pattern, "{$}", "", 1)] = rt.act
		}
	}
	for _, l := range staffNav {
		if act, ok := acts[l.Href]; !ok || act != l.act {
			t.Errorf("menu link %s needs %q; its route needs %q (route found: %v)", l.Href, l.act, act, ok)
		}
	}
	for _, role := range homthu.Roles {
		e.addUser("nav-"+string(role), role, "37")
		page := e.do("GET", accountPath, nil, e.login("nav-"+string(role)))
		if page.StatusCode != 200 {
			t.Fatalf("%s: account page = %d", role, page.StatusCode)
		}
		for _, l := range staffNav {
			shown := strings.Contains(page.Body, `<li><a href="`+l.Href+`">`)
			if shown != role.Can(l.act) {
				t.Errorf("%s: menu link %s shown = %v, want %v", role, l.Href, shown, role.Can(l.act))
			}
		}
	}
}

// TestMethodNotAllowed: a known path asked with a method it does not take
// is a 405 page that names the methods (Allow), not a 404.
func TestMethodNotAllowed(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct{ method, path, allow string }{
		{"GET", "/tra-cuu/tin-nhan", "POST"},
		{"GET", "/tra-cuu/bang-chung", "POST"},
		{"DELETE", "/tra-cuu", "GET, HEAD, POST"},
		{"PUT", "/gui", "GET, HEAD, POST"},
		{"POST", "/", "GET, HEAD"},
		{"GET", "/can-bo/dang-xuat", "POST"},
		{"GET", "/can-bo/thu/abc/danh-tinh", "POST"},
		{"POST", "/can-bo/nhat-ky", "GET, HEAD"},
	} {
		r := e.do(tt.method, tt.path, nil, nil)
		if r.StatusCode != http.StatusMethodNotAllowed || r.Header.Get("Allow") != tt.allow || !strings.Contains(r.Body, "Không dùng được theo cách này") {
			t.Errorf("%s %s = %d, Allow %q; want 405, Allow %q, and the page", tt.method, tt.path, r.StatusCode, r.Header.Get("Allow"), tt.allow)
		}
	}
	if r := e.do("HEAD", "/tra-cuu", nil, nil); r.StatusCode != 200 || r.Body != "" {
		t.Errorf("HEAD /tra-cuu = %d with %d bytes, want 200 and no body", r.StatusCode, len(r.Body))
	}
	if r := e.do("GET", "/khong-co/trang-nay", nil, nil); r.StatusCode != 404 {
		t.Errorf("GET of an unknown path = %d, want 404", r.StatusCode)
	}
}

// TestRateLimitPages: past the per-address limit, the citizen's pages
// answer 429 with the Vietnamese message, keeping what was typed.
func TestRateLimitPages(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.App.Limiter = &app.MemLimiter{}
		c.App.RateLimit = 3
	})
	var last resp
	for i := 0; i < 4; i++ {
		last = e.do("POST", "/tra-cuu", url.Values{"receipt": {"0000-0000-0000-0000-0000"}}, nil)
	}
	if last.StatusCode != http.StatusTooManyRequests || !strings.Contains(last.Body, "quá nhiều yêu cầu") || !strings.Contains(last.Body, `role="alert"`) {
		t.Errorf("4th look-up = %d, want 429 with the message\n%s", last.StatusCode, last.Body)
	}
	r := e.do("POST", "/gui", submitValues("14329-001", "k", "Nội dung không được mất"), nil)
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.Body, "Nội dung không được mất") || !strings.Contains(r.Body, "quá nhiều yêu cầu") {
		t.Errorf("submission over the limit = %d, want 429 with the text kept\n%s", r.StatusCode, r.Body)
	}
	if n := e.countItems(); n != 0 {
		t.Errorf("%d items after a refused submission", n)
	}
}

// totpCode is the current code of secret, or (wrong) a code that is not
// valid at any of the steps the server accepts.
func totpCode(t *testing.T, secret string, wrong bool) string {
	t.Helper()
	now := time.Now()
	code, err := totp.GenerateCode(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	if !wrong {
		return code
	}
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, _ := totp.GenerateCode(secret, now.Add(d))
		valid[c] = true
	}
	for i := 0; ; i++ {
		c := strings.Repeat(string(rune('0'+i%10)), 6)
		if !valid[c] {
			return c
		}
	}
}

var secretRE = regexp.MustCompile(`<span class="code-sm secret">([A-Z2-7 ]+)</span>`)

// enrolTOTP enrols a second factor through the account page and returns
// its secret. It checks the page along the way.
func enrolTOTP(t *testing.T, e *env, c *http.Cookie) string {
	t.Helper()
	start := e.do("POST", "/can-bo/tai-khoan/xac-thuc-hai-lop", nil, c)
	if start.StatusCode != 200 || !strings.Contains(start.Body, `<svg class="qr"`) || !strings.Contains(start.Body, `aria-label="Mã QR để thêm tài khoản vào ứng dụng xác thực"`) {
		t.Fatalf("start enrolment = %d\n%s", start.StatusCode, start.Body)
	}
	m := secretRE.FindStringSubmatch(start.Body)
	if m == nil {
		t.Fatalf("no secret on the enrolment page\n%s", start.Body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	token := field(start.Body, "token")
	if strings.Contains(token, secret) {
		t.Errorf("the enrolment token carries the secret in clear")
	}

	wrong := e.do("POST", "/can-bo/tai-khoan/xac-thuc-hai-lop/xac-nhan", url.Values{"token": {token}, "otp": {totpCode(t, secret, true)}, "password": {testPassword}}, c)
	if wrong.StatusCode != 400 || !strings.Contains(wrong.Body, "Mã chưa đúng") || field(wrong.Body, "token") == "" {
		t.Errorf("confirm with a wrong code = %d, want 400 and the form again\n%s", wrong.StatusCode, wrong.Body[strings.Index(wrong.Body, "<main"):])
	}
	// A session alone cannot enrol a factor: the password is asked again.
	nopw := e.do("POST", "/can-bo/tai-khoan/xac-thuc-hai-lop/xac-nhan", url.Values{"token": {token}, "otp": {totpCode(t, secret, false)}, "password": {"không phải mật khẩu"}}, c)
	if nopw.StatusCode != 400 || !strings.Contains(nopw.Body, "Mật khẩu không đúng") {
		t.Errorf("confirm with a wrong password = %d, want 400 and the message", nopw.StatusCode)
	}
	forged := strings.Replace(token, token[:6], "AAAAAA", 1)
	if r := e.do("POST", "/can-bo/tai-khoan/xac-thuc-hai-lop/xac-nhan", url.Values{"token": {forged}, "otp": {totpCode(t, secret, false)}, "password": {testPassword}}, c); r.StatusCode != 400 {
		t.Errorf("confirm with a forged token = %d, want 400", r.StatusCode)
	}
	ok := e.do("POST", "/can-bo/tai-khoan/xac-thuc-hai-lop/xac-nhan", url.Values{"token": {token}, "otp": {totpCode(t, secret, false)}, "password": {testPassword}}, c)
	if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/can-bo/tai-khoan?thong-bao=totp" {
		t.Fatalf("confirm = %d → %q\n%s", ok.StatusCode, ok.Header.Get("Location"), ok.Body)
	}
	acc := e.do("GET", ok.Header.Get("Location"), nil, c)
	if !strings.Contains(acc.Body, "Đã bật xác thực hai lớp") {
		t.Errorf("account page after enrolment lacks the notice")
	}
	if r := e.do("POST", "/can-bo/tai-khoan/xac-thuc-hai-lop", nil, c); r.StatusCode != http.StatusConflict {
		t.Errorf("a second enrolment = %d, want 409 (a factor is replaced by an administrator, not by a session)", r.StatusCode)
	}
	return secret
}

// TestRevealIdentity is the step-up flow of issue 5 on the item page: no
// second factor → refused; a wrong code → refused; no reason → refused;
// then the identity, on that answer only, with one audit record that a
// leader of the unit reads on /can-bo/nhat-ky.
func TestRevealIdentity(t *testing.T) {
	e := newEnv(t)
	e.addUser("lanhdao", homthu.RoleLeader, "37")
	e.do("POST", "/gui", namedValues("k1", "Cán bộ phường nhận tiền của dân."), nil)
	e.do("POST", "/gui", submitValues("14329-001", "k2", "Thư ẩn danh."), nil)
	var named, anon string
	for _, it := range mustItems(t, e, "37") {
		if it.Anonymous {
			anon = it.ID
		} else {
			named = it.ID
		}
	}
	xa := e.login("xa")
	reveal := func(c *http.Cookie, id, otp, reason string) resp {
		return e.do("POST", "/can-bo/thu/"+id+"/danh-tinh", url.Values{"otp": {otp}, "reason": {reason}}, c)
	}
	const reason = "Cần gọi điện xác minh thời gian, địa điểm sự việc."
	identity := []string{"Nguyễn Thị Minh", "0912 345 678"}

	// Without a second factor: the page says so and links the account page;
	// the step-up is refused.
	item := e.do("GET", "/can-bo/thu/"+named, nil, xa)
	if !strings.Contains(item.Body, "chưa bật") || !strings.Contains(item.Body, `href="/can-bo/tai-khoan"`) || strings.Contains(item.Body, `action="/can-bo/thu/`+named+`/danh-tinh"`) {
		t.Errorf("item page without TOTP: no explanation, or a step-up form\n%s", item.Body)
	}
	if r := reveal(xa, named, "123456", reason); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "chưa đăng ký xác thực hai lớp") {
		t.Errorf("reveal without TOTP = %d\n%s", r.StatusCode, r.Body)
	}

	secret := enrolTOTP(t, e, xa)
	item = e.do("GET", "/can-bo/thu/"+named, nil, xa)
	for _, want := range []string{`action="/can-bo/thu/` + named + `/danh-tinh"`, "Xem danh tính người phản ánh", `name="reason"`, `name="otp"`, "được ghi vào nhật ký truy cập"} {
		if !strings.Contains(item.Body, want) {
			t.Errorf("item page with TOTP lacks %q", want)
		}
	}
	if anonPage := e.do("GET", "/can-bo/thu/"+anon, nil, xa); strings.Contains(anonPage.Body, "/danh-tinh") {
		t.Errorf("an anonymous item offers the step-up")
	}

	for _, tt := range []struct {
		name, otp, reason string
		status            int
		want              string
	}{
		{"wrong code", totpCode(t, secret, true), reason, http.StatusUnauthorized, "không đúng"},
		{"no reason", totpCode(t, secret, false), "  ", http.StatusBadRequest, "Lý do xem danh tính"},
		{"short reason", totpCode(t, secret, false), "xem", http.StatusBadRequest, "ít nhất 10 ký tự"},
	} {
		r := reveal(xa, named, tt.otp, tt.reason)
		if r.StatusCode != tt.status || !strings.Contains(r.Body, tt.want) || !strings.Contains(r.Body, `id="reveal-err"`) {
			t.Errorf("%s: reveal = %d, want %d saying %q\n%s", tt.name, r.StatusCode, tt.status, tt.want, r.Body)
		}
		for _, w := range identity {
			if strings.Contains(r.Body, w) {
				t.Errorf("%s: the refused reveal shows %q", tt.name, w)
			}
		}
	}
	if r := reveal(xa, anon, totpCode(t, secret, false), reason); r.StatusCode != 404 {
		t.Errorf("reveal on an anonymous item = %d, want 404", r.StatusCode)
	}

	ok := reveal(xa, named, totpCode(t, secret, false), reason)
	if ok.StatusCode != 200 {
		t.Fatalf("reveal = %d\n%s", ok.StatusCode, ok.Body)
	}
	for _, w := range append(identity, "Lần xem này đã được ghi vào nhật ký truy cập") {
		if !strings.Contains(ok.Body, w) {
			t.Errorf("reveal answer lacks %q", w)
		}
	}
	if cc := ok.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("reveal answer Cache-Control = %q, want no-store", cc)
	}
	for _, c := range ok.Cookies() {
		t.Errorf("reveal answer sets cookie %s", c.Name)
	}
	if again := e.do("GET", "/can-bo/thu/"+named, nil, xa); strings.Contains(again.Body, identity[0]) {
		t.Errorf("the identity is shown again without a step-up")
	}
	// The same code again is a replay: refused.
	if r := reveal(xa, named, totpCode(t, secret, false), reason); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("reveal replaying a code = %d, want 401", r.StatusCode)
	}

	recs, err := e.app.Store.ListAudit(context.Background(), "37", named, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		if r.Action == homthu.AuditIdentityReveal {
			n++
			if r.Reason != reason || r.ActorName != "xa" {
				t.Errorf("audit record = %+v", r)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d identity.reveal records, want 1", n)
	}

	// The leader reads it; Front staff may not open the log.
	ld := e.login("lanhdao")
	log := e.do("GET", "/can-bo/nhat-ky", nil, ld)
	if log.StatusCode != 200 || !strings.Contains(log.Body, "Xem danh tính người phản ánh") || !strings.Contains(log.Body, reason) ||
		!strings.Contains(log.Body, `href="/can-bo/thu/`+named+`"`) || !strings.Contains(log.Body, "<strong>xa</strong>") {
		t.Errorf("leader's audit page = %d\n%s", log.StatusCode, log.Body)
	}
	one := e.do("GET", "/can-bo/nhat-ky", url.Values{"thu": {anon}}, ld)
	if strings.Contains(one.Body, reason) {
		t.Errorf("the audit page narrowed to another item shows the reveal")
	}
	if r := e.do("GET", "/can-bo/nhat-ky", nil, xa); r.StatusCode != http.StatusForbidden {
		t.Errorf("front staff on the audit page = %d, want 403", r.StatusCode)
	}
	// A leader of another province sees nothing of it.
	e.addUser("lanhdao-hn", homthu.RoleLeader, "01")
	if r := e.do("GET", "/can-bo/nhat-ky", nil, e.login("lanhdao-hn")); strings.Contains(r.Body, reason) {
		t.Errorf("another province's leader reads the reveal")
	}
}

// TestAccountPage: changing the password ends every session and the new one
// works; logging out everywhere ends every session.
func TestAccountPage(t *testing.T) {
	e := newEnv(t)
	c := e.login("xa")
	other := e.login("xa") // another device
	page := e.do("GET", accountPath, nil, c)
	for _, want := range []string{"Tài khoản của tôi", "xa", "Chưa bật", `action="/can-bo/tai-khoan/mat-khau"`, `action="/can-bo/tai-khoan/dang-xuat-moi-noi"`,
		`action="/can-bo/tai-khoan/xac-thuc-hai-lop"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
	for _, tt := range []struct {
		name                  string
		current, next, second string
		status                int
		want                  string
	}{
		{"mismatch", testPassword, "mật khẩu mới dài 2026", "khác", 400, "không giống nhau"},
		{"short", testPassword, "ngắn", "ngắn", 400, "ít nhất 10 ký tự"},
		{"wrong current", "sai mật khẩu", "mật khẩu mới dài 2026", "mật khẩu mới dài 2026", 401, "Mật khẩu hiện tại không đúng"},
	} {
		r := e.do("POST", "/can-bo/tai-khoan/mat-khau", url.Values{"current": {tt.current}, "new": {tt.next}, "confirm": {tt.second}}, c)
		if r.StatusCode != tt.status || !strings.Contains(r.Body, tt.want) {
			t.Errorf("%s: change password = %d, want %d with %q", tt.name, r.StatusCode, tt.status, tt.want)
		}
	}
	const newPassword = "mật khẩu mới dài 2026"
	r := e.do("POST", "/can-bo/tai-khoan/mat-khau", url.Values{"current": {testPassword}, "new": {newPassword}, "confirm": {newPassword}}, c)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/can-bo/dang-nhap?thong-bao=mat-khau" {
		t.Fatalf("change password = %d → %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	if login := e.do("GET", r.Header.Get("Location"), nil, nil); !strings.Contains(login.Body, "Đã đổi mật khẩu") {
		t.Errorf("login page lacks the notice")
	}
	for _, ck := range []*http.Cookie{c, other} {
		if r := e.do("GET", staffPath, nil, ck); r.StatusCode != http.StatusSeeOther {
			t.Errorf("a session after the password change = %d, want 303 to the login form", r.StatusCode)
		}
	}
	if r := e.do("POST", loginPath, url.Values{"username": {"xa"}, "password": {testPassword}}, nil); r.StatusCode != 401 {
		t.Errorf("login with the old password = %d, want 401", r.StatusCode)
	}
	r = e.do("POST", loginPath, url.Values{"username": {"xa"}, "password": {newPassword}}, nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the new password = %d", r.StatusCode)
	}
	c = r.Cookies()[0]
	other = e.login("tinh")

	out := e.do("POST", "/can-bo/tai-khoan/dang-xuat-moi-noi", nil, c)
	if out.StatusCode != http.StatusSeeOther || out.Header.Get("Location") != "/can-bo/dang-nhap?thong-bao=moi-noi" || out.Cookies()[0].MaxAge >= 0 {
		t.Errorf("logout everywhere = %d → %q", out.StatusCode, out.Header.Get("Location"))
	}
	if r := e.do("GET", staffPath, nil, c); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the session after logout everywhere = %d", r.StatusCode)
	}
	if r := e.do("GET", staffPath, nil, other); r.StatusCode != 200 {
		t.Errorf("another account's session after xa's logout everywhere = %d, want 200", r.StatusCode)
	}

	// A role without an inbox lands on its account page; an agency
	// handler on the referrals to their body.
	e.addUser("bientap", homthu.RoleEditor, "14329")
	r = e.do("POST", loginPath, url.Values{"username": {"bientap"}, "password": {testPassword}}, nil)
	if r.Header.Get("Location") != accountPath {
		t.Errorf("editor login → %q, want %s", r.Header.Get("Location"), accountPath)
	}
	e.addUser("coquan", homthu.RoleAgency, "14329")
	r = e.do("POST", loginPath, url.Values{"username": {"coquan"}, "password": {testPassword}}, nil)
	if r.Header.Get("Location") != agencyPath {
		t.Errorf("agency login → %q, want %s", r.Header.Get("Location"), agencyPath)
	}
}

// TestUsersPage: an administrator lists the accounts in scope, resets a
// password (shown once, and it works), disables and enables an account; an
// account of another province is not found; their own is refused.
func TestUsersPage(t *testing.T) {
	e := newEnv(t)
	adm := e.login("admin")
	xaID, hanoiID, adminID := e.userID("xa"), e.userID("hanoi"), e.userID("admin")
	list := e.do("GET", "/can-bo/tai-khoan-can-bo", nil, adm)
	if list.StatusCode != 200 || !strings.Contains(list.Body, "<td>xa</td>") || !strings.Contains(list.Body, "tinh") || strings.Contains(list.Body, "hanoi") {
		t.Fatalf("users page = %d\n%s", list.StatusCode, list.Body)
	}
	xaSession := e.login("xa")

	r := e.do("POST", "/can-bo/tai-khoan-can-bo/"+itoa(xaID)+"/dat-lai-mat-khau", nil, adm)
	pw := regexpFind(t, r.Body, `<p class="code-sm secret">([^<]+)</p>`)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Mật khẩu mới của <strong>xa</strong>") || len(pw) < 10 {
		t.Fatalf("reset = %d\n%s", r.StatusCode, r.Body)
	}
	if again := e.do("GET", "/can-bo/tai-khoan-can-bo", nil, adm); strings.Contains(again.Body, pw) {
		t.Errorf("the new password is shown again")
	}
	if r := e.do("GET", staffPath, nil, xaSession); r.StatusCode != http.StatusSeeOther {
		t.Errorf("xa's session after a reset = %d, want 303", r.StatusCode)
	}
	if r := e.do("POST", loginPath, url.Values{"username": {"xa"}, "password": {htmlUnescape(pw)}}, nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("login with the reset password = %d", r.StatusCode)
	}

	r = e.do("POST", "/can-bo/tai-khoan-can-bo/"+itoa(xaID)+"/khoa", url.Values{"khoa": {"1"}}, adm)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Đã khóa tài khoản xa") || !strings.Contains(r.Body, "Mở khóa") {
		t.Errorf("disable = %d\n%s", r.StatusCode, r.Body)
	}
	if r := e.do("POST", loginPath, url.Values{"username": {"xa"}, "password": {htmlUnescape(pw)}}, nil); r.StatusCode != 401 {
		t.Errorf("login of a disabled account = %d, want 401", r.StatusCode)
	}
	if r := e.do("POST", "/can-bo/tai-khoan-can-bo/"+itoa(xaID)+"/khoa", url.Values{"khoa": {"0"}}, adm); !strings.Contains(r.Body, "Đã mở khóa tài khoản xa") {
		t.Errorf("enable = %d", r.StatusCode)
	}
	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/can-bo/tai-khoan-can-bo/" + itoa(hanoiID) + "/dat-lai-mat-khau", 404},
		{"/can-bo/tai-khoan-can-bo/" + itoa(hanoiID) + "/khoa", 404},
		{"/can-bo/tai-khoan-can-bo/abc/khoa", 404},
		{"/can-bo/tai-khoan-can-bo/" + itoa(adminID) + "/khoa", 400},
	} {
		if r := e.do("POST", tt.path, url.Values{"khoa": {"1"}}, adm); r.StatusCode != tt.status {
			t.Errorf("POST %s = %d, want %d", tt.path, r.StatusCode, tt.status)
		}
	}
	recs, _ := e.app.Store.ListAudit(context.Background(), "37", "", 100)
	got := map[string]int{}
	for _, r := range recs {
		got[r.Action]++
	}
	if got[homthu.AuditPasswordReset] != 1 || got[homthu.AuditUserDisable] != 1 || got[homthu.AuditUserEnable] != 1 {
		t.Errorf("audit records %v, want one reset, one disable, one enable", got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestEnrolTokenBinding: the token that carries a secret being enrolled is
// bound to its account and expires.
func TestEnrolTokenBinding(t *testing.T) {
	e := newEnv(t)
	mine := &homthu.Session{User: &homthu.User{ID: 7, Username: "xa"}}
	other := &homthu.Session{User: &homthu.User{ID: 8, Username: "tinh"}}
	const secret, uri = "JBSWY3DPEHPK3PXP", "otpauth://totp/homthu:xa?secret=JBSWY3DPEHPK3PXP"
	for _, tt := range []struct {
		name   string
		issued time.Time
		sess   *homthu.Session
		ok     bool
	}{
		{"fresh", time.Now(), mine, true},
		{"another account", time.Now(), other, false},
		{"expired", time.Now().Add(-enrolMaxAge - time.Minute), mine, false},
		{"from the future", time.Now().Add(time.Hour), mine, false},
	} {
		en, err := e.srv.enrolment(mine, secret, uri, tt.issued)
		if err != nil {
			t.Fatal(err)
		}
		got, _, _, err := e.srv.parseEnrolToken(tt.sess, en.Token)
		if (err == nil) != tt.ok || (tt.ok && got != secret) {
			t.Errorf("%s: parseEnrolToken = %q, %v; want ok %v", tt.name, got, err, tt.ok)
		}
	}
}
