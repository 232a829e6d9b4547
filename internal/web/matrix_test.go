package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/news"
)

// matrixFixture is an env with one account per role at the province, an
// item of the province (named, with an attachment) and one of Hà Nội, a
// receipt, and an account to reset and re-enable.
type matrixFixture struct {
	*env
	ownItem, otherItem   string
	ownUser, otherUser   int64
	doc                  int64 // a document of the document search
	post                 int64 // a post of the news
	message              int64 // a message to the editorial board, with a file
	programme, activity  int64 // records of the province, each with a file
	receipt              string
	cookies              map[homthu.Role]*http.Cookie
	notices              map[homthu.Role]int64 // a notice of each role's account
	otherNotice, job     int64
	reports              map[homthu.Role]int64 // a report job of each role's account that may start one
	otherReport          int64                 // a report job of another account
	ownBox, otherBox     int64                 // a mailbox of the province's area, one of Hà Nội
	ownOpen, otherOpen   int64                 // an open opening of each
	ownRef, otherRef     int64                 // a referral to r-agency's body, one to a body of Hà Nội
	ownAg, otherAg       int64                 // the agency of the province, one of Hà Nội
	bodies               map[string]url.Values
	loggedOutBy          map[string]bool
	staffRefusalLocation string
}

func newMatrixFixture(t *testing.T) *matrixFixture {
	e := newEnv(t)
	f := &matrixFixture{env: e, cookies: map[homthu.Role]*http.Cookie{}}
	ownAgency := e.addAgency("37", homthu.AgencyPartyCommittee, "Ban Thường vụ Tỉnh ủy Ninh Bình", "Đinh Văn Khoa")
	for _, r := range homthu.Roles {
		if r == homthu.RoleAgency {
			e.addHandler("r-agency", ownAgency.ID, "Bùi Văn Nam")
			continue
		}
		e.addUser("r-"+string(r), r, "37")
	}
	f.ownUser = e.addUser("muc-tieu", homthu.RoleFront, "14329")
	f.otherUser = e.userID("hanoi")

	fields := namedValues("k1", "Thư của Ninh Bình")
	ct, body := multipartForm(t, fields, map[string][]byte{"ảnh.png": pngBytes(t)})
	req := httptest.NewRequest("POST", "/gui", body)
	req.Header.Set("Content-Type", ct)
	f.receipt = receiptOf(t, e.serve(req).Body)
	e.do("POST", "/gui", submitValues("00004", "k2", "Thư của Hà Nội"), nil)
	f.ownItem = mustItems(t, e, "37")[0].ID
	f.otherItem = mustItems(t, e, "01")[0].ID

	for _, r := range homthu.Roles {
		f.cookies[r] = e.login("r-" + string(r))
	}
	f.notices = map[homthu.Role]int64{}
	for _, r := range homthu.Roles {
		f.notices[r] = e.addNotice(e.userID("r-"+string(r)), "Hòm thư đến hạn mở.", "/can-bo/tai-khoan")
	}
	f.otherNotice = e.addNotice(f.otherUser, "Thông báo của người khác.", "/can-bo/tai-khoan")
	f.reports = map[homthu.Role]int64{}
	month, _ := homthu.ParsePeriod(homthu.PeriodMonth, "2026-11", "", "")
	for _, r := range homthu.Roles {
		if r.Can(homthu.ActReadReports) {
			f.reports[r] = e.addReportJob(t, "r-"+string(r), "37", month)
		}
	}
	f.otherReport = e.addReportJob(t, "hanoi", "01", month)
	f.job = e.addJob()
	res, err := e.app.ImportDocumentFiles(t.Context(), []app.NamedFile{{Name: "vb.txt", Data: []byte("QUỐC HỘI\n\nSố: 1/2020/QH14\n\nLUẬT\n\nTHỬ\n")}}, "thử")
	if err != nil || res[0].Err != nil {
		t.Fatalf("import: %v %v", err, res)
	}
	f.doc = res[0].ID
	p := &news.Post{Title: "Tin thử", Body: "x", Category: "thong-bao", Draft: true}
	if err := e.app.Store.SavePost(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	f.post = p.ID
	// The own referral is answered with a file (its file route then
	// answers), so that the agency's forms meet a conflict, not a refusal.
	f.ownRef = e.refer("tinh", f.ownItem, ownAgency.ID)
	otherAgency := e.addAgency("01", homthu.AgencyManaging, "UBND phường Phúc Xá", "Lê Văn Sơn")
	f.ownAg, f.otherAg = ownAgency.ID, otherAgency.ID
	f.otherRef = e.refer("hanoi", f.otherItem, otherAgency.ID)
	sum, err := e.app.Blobs.Put(pngBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.AnswerReferral(t.Context(), e.session("r-agency"), f.ownRef, homthu.Answer{Outcome: homthu.OutcomeFounded, Text: "Đã xử lý.",
		File: &homthu.Attachment{SHA256: sum, Name: "tra-loi.png", Type: "image/png", Size: 1}}); err != nil {
		t.Fatal(err)
	}
	if f.message, err = e.store.CreateEditorialMessage(t.Context(), &homthu.EditorialInput{Name: "Lan", Contact: "lan@example.vn", Subject: "Hỏi",
		Text: "Xin hỏi.", Attachment: &homthu.Attachment{SHA256: mustPutBlob(t, e, pngBytes(t)), Name: "a.png", Type: "image/png", Size: int64(len(pngBytes(t)))}},
		time.Now()); err != nil {
		t.Fatal(err)
	}
	file := homthu.Attachment{SHA256: mustPutBlob(t, e, pngBytes(t)), Name: "a.png", Type: "image/png", Size: int64(len(pngBytes(t)))}
	if f.programme, err = e.store.CreateProgramme(t.Context(), &homthu.Programme{Unit: "37", Number: "01/CTPH", SignedOn: "2026-01-05", Title: "Chương trình",
		Parties: []string{"Ủy ban MTTQ tỉnh", "Hội Nông dân tỉnh"}, From: "2026-01-05", File: &file}, "thu"); err != nil {
		t.Fatal(err)
	}
	if f.activity, err = e.store.CreateActivity(t.Context(), &homthu.Activity{Unit: "14329", Kind: homthu.ActivityTraining, HeldOn: "2026-02-01",
		Topic: "Tập huấn", Participants: 10, Files: []homthu.Attachment{file}}, "thu"); err != nil {
		t.Fatal(err)
	}
	f.ownBox, f.ownOpen = f.addOpening(t, "37", "14329-001")
	f.otherBox, f.otherOpen = f.addOpening(t, "01", "00004")
	f.bodies = map[string]url.Values{
		"/gui":                                 submitValues("14329-001", "k3", "Thư mới"),
		"/gui/da-luu":                          {"saved": {"1"}},
		"/tra-cuu":                             {"receipt": {f.receipt}},
		"/tra-cuu/tin-nhan":                    {"receipt": {f.receipt}, "body": {"Tôi bổ sung."}},
		"/tra-cuu/bang-chung":                  {"receipt": {f.receipt}},
		"/minh-bach":                           {"bundle": {"{}"}},
		"/can-bo/dang-nhap":                    {"username": {"muc-tieu"}, "password": {testPassword}},
		"/can-bo/thu/{id}/tin-nhan":            {"body": {"Xin bổ sung."}},
		"/can-bo/thu/{id}/danh-tinh":           {"otp": {"123456"}, "reason": {"Cần xác minh thêm nội dung phản ánh"}},
		"/can-bo/tai-khoan/mat-khau":           {"current": {testPassword}, "new": {"ngắn"}, "confirm": {"ngắn"}},
		"/can-bo/tai-khoan-can-bo/{user}/khoa": {"khoa": {"0"}},
		"/can-bo/tai-khoan/xac-thuc-hai-lop/xac-nhan": {"token": {"x.y"}, "otp": {"123456"}, "password": {"x"}},
		"/can-bo/danh-muc":                            {"noi_dung": {"homthu-catalog 1\n"}},
		"/can-bo/danh-muc/nap":                        {"noi_dung": {"homthu-catalog 1\n"}},
		"/can-bo/danh-muc/{code}/bai-bo":              {"ma": {"NQ4-05"}, "ly_do": {"Thử bãi bỏ"}},
		"/can-bo/ban-bien-tap/{message}/tra-loi":      {"reply": {"Cảm ơn."}, "key": {"m1"}},
		"/can-bo/ban-bien-tap/{message}/xong":         {"xong": {"1"}},
		"/can-bo/bao-cao/xuat":                        {"ky": {"thang"}, "gia-tri": {"2026-11"}, "dinh-dang": {"pdf"}},
		"/can-bo/thu/{id}/trich-dan":                  {"ghi_chu": {"Tiêu biểu."}},
	}
	// Routes after which the caller's session is over: log in again.
	f.loggedOutBy = map[string]bool{"/can-bo/dang-xuat": true, "/can-bo/tai-khoan/dang-xuat-moi-noi": true}
	return f
}

// addOpening registers a mailbox at unit and starts an opening of it, as
// a Front officer of scope.
func (f *matrixFixture) addOpening(t *testing.T, scope, unit string) (box, opening int64) {
	t.Helper()
	sess := &homthu.Session{User: &homthu.User{ID: f.ownUser, Username: "muc-tieu", Role: homthu.RoleFront, Unit: scope}}
	m, err := f.app.CreateMailbox(t.Context(), sess, homthu.MailboxInput{Unit: unit, Place: "Nhà văn hóa", InstalledOn: "2024-01-01", Day: 10})
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.app.StartOpening(t.Context(), sess, homthu.OpeningInput{Mailbox: m.ID, OpenedAt: time.Now().Add(-time.Hour), Seal: homthu.SealIntact,
		Participants: []homthu.Participant{{Name: "Nguyễn Văn An", Chair: true}, {Name: "Trần Thị Bình"}, {Name: "Lê Văn Cường"}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	// A letter with the photo of its page (seq 1, page 0).
	png := pngBytes(t)
	sum, err := f.app.Blobs.Put(png)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.app.RegisterLetter(t.Context(), sess, id, homthu.LetterInput{Content: "Thư trong hòm.",
		Pages: []homthu.Attachment{{SHA256: sum, Name: "trang.png", Type: "image/png", Size: int64(len(png))}}}, ""); err != nil {
		t.Fatal(err)
	}
	return m.ID, id
}

// path fills a route's pattern for a role: {id} with an item id, {user}
// with an account id, {notice} with a notice of the role's account, {n},
// {name} and {job} with an attachment, a static file and a job.
func (f *matrixFixture) path(pattern string, role homthu.Role, other bool) string {
	item, user, notice, box, opening, ref, ag, rep := f.ownItem, f.ownUser, f.notices[role], f.ownBox, f.ownOpen, f.ownRef, f.ownAg, f.reports[role]
	if other {
		item, user, notice, box, opening, ref, ag, rep = f.otherItem, f.otherUser, f.otherNotice, f.otherBox, f.otherOpen, f.otherRef, f.otherAg, f.otherReport
	}
	return strings.NewReplacer("{$}", "", "{id}", item, "{user}", strconv.FormatInt(user, 10), "{n}", "0", "{name}", "style.css", "{code}", "NQ4",
		"{notice}", strconv.FormatInt(notice, 10), "{job}", strconv.FormatInt(f.job, 10),
		"{doc}", strconv.FormatInt(f.doc, 10), "{post}", strconv.FormatInt(f.post, 10), "{slug}", "tin-thu", "{sha}", "00",
		"{mailbox}", strconv.FormatInt(box, 10), "{opening}", strconv.FormatInt(opening, 10), "{seq}", "1", "{referral}", strconv.FormatInt(ref, 10),
		"{message}", strconv.FormatInt(f.message, 10), "{agency}", strconv.FormatInt(ag, 10), "{programme}", strconv.FormatInt(f.programme, 10),
		"{activity}", strconv.FormatInt(f.activity, 10), "{report}", strconv.FormatInt(rep, 10)).Replace(pattern)
}

// TestRouteRoleMatrix walks every route of routes.go with every role and
// with no session, and checks the permission each route declares: a public
// page never refuses; a staff page without a session sends to the login
// form; a role the table denies gets 403; a role it allows is never refused
// (the step-up may still refuse an account without a second factor); and an
// item or account of another unit, or another account's notice, is 404 — no
// one learns that it exists.
func TestRouteRoleMatrix(t *testing.T) {
	f := newMatrixFixture(t)
	for _, rt := range f.srv.routeTable() {
		if !strings.HasPrefix(rt.pattern, "/can-bo") && rt.act != "" {
			t.Errorf("%s %s needs %q: a citizen's page must never need an account", rt.method, rt.pattern, rt.act)
		}
		scoped := strings.Contains(rt.pattern, "{id}") || strings.Contains(rt.pattern, "{user}") || strings.Contains(rt.pattern, "{notice}") ||
			strings.Contains(rt.pattern, "{mailbox}") || strings.Contains(rt.pattern, "{opening}") || strings.Contains(rt.pattern, "{referral}") ||
			strings.Contains(rt.pattern, "{agency}") || strings.Contains(rt.pattern, "{report}")
		for _, role := range append([]homthu.Role{""}, homthu.Roles...) {
			for _, other := range []bool{false, true} {
				if other && !scoped {
					continue
				}
				path := f.path(rt.pattern, role, other)
				r := f.do(rt.method, path, f.bodies[rt.pattern], f.cookies[role])
				if role != "" && f.loggedOutBy[rt.pattern] {
					f.cookies[role] = f.login("r-" + string(role))
				}
				loc := r.Header.Get("Location")
				toLogin := r.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, loginPath+"?next=")
				name := rt.method + " " + path + " as " + string(role)
				if role == "" {
					name = rt.method + " " + path + " without a session"
				}
				switch {
				case rt.act == "":
					if r.StatusCode == 401 || r.StatusCode == 403 || toLogin {
						t.Errorf("%s = %d → %q: a public page refused", name, r.StatusCode, loc)
					}
				case role == "":
					if !toLogin && r.StatusCode != 401 {
						t.Errorf("%s = %d → %q, want 303 to the login form", name, r.StatusCode, loc)
					}
				case !role.Can(rt.act):
					if r.StatusCode != 403 {
						t.Errorf("%s = %d, want 403 (%s may not %s)", name, r.StatusCode, role, rt.act)
					}
				case other:
					if r.StatusCode != 404 {
						t.Errorf("%s = %d, want 404 for another unit's id", name, r.StatusCode)
					}
				default:
					if r.StatusCode == 401 || r.StatusCode == 404 || toLogin || (r.StatusCode == 403 && rt.act != homthu.ActRevealIdentity) {
						t.Errorf("%s = %d → %q: an allowed role was refused", name, r.StatusCode, loc)
					}
				}
			}
		}
	}
}

// TestSessionFixation: a session cookie set before login (by an attacker,
// or an old session) is never the one after login: login always issues a
// fresh random token, and a planted value is no session.
func TestSessionFixation(t *testing.T) {
	e := newEnv(t)
	planted := &http.Cookie{Name: sessionCookie, Value: "TokenChosenByTheAttacker0123456789abcdefghij"}
	r := e.do("POST", loginPath, url.Values{"username": {"xa"}, "password": {testPassword}}, planted)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login = %d", r.StatusCode)
	}
	var after *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == sessionCookie {
			after = c
		}
	}
	if after == nil || after.Value == planted.Value || len(after.Value) < 40 {
		t.Fatalf("cookie after login = %+v; want a fresh token, not the planted one", after)
	}
	if r := e.do("GET", staffPath, nil, planted); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the planted cookie after login = %d, want 303 to the login form: it must not be a session", r.StatusCode)
	}
	if r := e.do("GET", staffPath, nil, after); r.StatusCode != 200 {
		t.Errorf("the new cookie = %d, want 200", r.StatusCode)
	}
	// Logging in again over a live session issues another token.
	again := e.do("POST", loginPath, url.Values{"username": {"xa"}, "password": {testPassword}}, after)
	if c := again.Cookies(); len(c) == 0 || c[0].Value == after.Value {
		t.Errorf("a second login kept the session token")
	}
}

// TestCrossOriginPosts: every POST route, sent from another site (by
// Sec-Fetch-Site, or by Origin from a browser that sends no Sec-Fetch-Site)
// with a valid session, is refused with 403 and changes nothing; the same
// request from this site is served.
func TestCrossOriginPosts(t *testing.T) {
	f := newMatrixFixture(t)
	adm := f.cookies[homthu.RoleAdmin]
	before := f.countItems()
	for _, rt := range f.srv.routeTable() {
		if rt.method != http.MethodPost {
			continue
		}
		for _, hdr := range [][2]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
			req := httptest.NewRequest("POST", f.path(rt.pattern, homthu.RoleAdmin, false), strings.NewReader(f.bodies[rt.pattern].Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(hdr[0], hdr[1])
			req.AddCookie(adm)
			r := f.serve(req)
			if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "trang web khác") || len(r.Cookies()) > 0 {
				t.Errorf("POST %s with %s: %s = %d, want 403 refused as cross-origin", rt.pattern, hdr[0], hdr[1], r.StatusCode)
			}
		}
	}
	if n := f.countItems(); n != before {
		t.Errorf("items %d → %d after refused cross-origin posts", before, n)
	}
	if r := f.do("GET", staffPath, nil, adm); r.StatusCode != 200 {
		t.Errorf("the session after refused cross-origin posts = %d, want 200 (logout was refused too)", r.StatusCode)
	}
	recs, _ := f.app.Store.ListAudit(t.Context(), "37", "", 100)
	for _, r := range recs {
		if r.Action == homthu.AuditPasswordReset || r.Action == homthu.AuditUserEnable {
			t.Errorf("a refused cross-origin post wrote %s", r.Action)
		}
	}
	// The same requests from this site are served.
	req := httptest.NewRequest("POST", "/tra-cuu", strings.NewReader(f.bodies["/tra-cuu"].Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", "http://example.com")
	if r := f.serve(req); r.StatusCode != 200 {
		t.Errorf("same-origin POST /tra-cuu = %d, want 200", r.StatusCode)
	}
}

// mustPutBlob stores data in the env's blob store and returns its hash.
func mustPutBlob(t *testing.T, e *env, data []byte) string {
	t.Helper()
	h, err := e.app.Blobs.Put(data)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
