package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/mail"
	"homthu/internal/secret"
	"homthu/internal/store"
	"homthu/internal/store/storetest"
)

// agencySamplePages are the agency side's pages for TestTemplates.
func agencySamplePages() []page {
	user := &homthu.User{ID: 9, Username: "ubnd.hoalu", Role: homthu.RoleAgency, Unit: "14329", UnitName: "Phường Hoa Lư", Agency: 1}
	staff := Base{Title: "t", Staff: true, User: user}
	ref := &store.ReferralRow{Referral: homthu.Referral{ID: 3, Item: "abc", Agency: 1, AgencyName: "UBND phường Hoa Lư", Number: "15/MTTQ-BTT",
		SentOn: "2026-11-30", DueOn: "2026-12-30", Days: 30, State: homthu.ReferralAnswered, Letter: "Kính gửi: UBND phường Hoa Lư.\n\nNội dung.",
		AcknowledgedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, homthu.VNTime), Outcome: homthu.OutcomePartlyFounded, Measures: "Kiểm điểm.",
		Answer: "Đã xác minh.", AnswerFile: &homthu.Attachment{Name: "tra-loi.pdf", Type: "application/pdf", Size: 1000},
		AnsweredAt: time.Date(2026, 12, 5, 9, 0, 0, 0, homthu.VNTime),
		Extensions: []homthu.Extension{{Days: 10, Reason: "Cần xác minh thêm.", State: homthu.ExtensionApproved, Note: "Đồng ý."}}}}
	open := *ref
	open.State, open.AcknowledgedAt = homthu.ReferralSent, time.Time{}
	open.Extensions = []homthu.Extension{{Days: 10, Reason: "r", State: homthu.ExtensionRequested}}
	item := &homthu.Item{ID: "abc", Content: "Nội dung", AreaName: "Tổ dân phố Hòa Bình", Kind: homthu.KindDenunciation, ReceivedOn: "2026-11-28",
		Categories: []homthu.StandardRef{{Code: "NQ4-12", Version: 1}}, DenunciationLaw: true, Subject: homthu.Subject{Name: "Nguyễn Văn A", Position: "Trưởng thôn", Workplace: "Thôn Đông"}}
	outcomes := []Option{{Value: "founded", Label: "Đúng", Selected: true}, {Value: "unfounded", Label: "Không đúng, không có cơ sở"}}
	return []page{
		&AgencyInboxPage{Base: staff, State: "open", ByDue: true, Overdue: true, States: agencyStates, Next: "/can-bo/co-quan?sau=1", First: "/can-bo/co-quan", Error: "Lỗi",
			Rows: []AgencyRow{{ID: 3, Number: "15/MTTQ-BTT", Sent: "30/11/2026", Due: "30/12/2026", State: "Đã gửi", Kind: "Tố cáo", Area: "Thôn Đông", Snippet: "s", Overdue: true},
				{ID: 4, Soon: true}, {ID: 5}, {ID: 6, Closed: true}}},
		&AgencyInboxPage{Base: staff, State: "all", States: agencyStates},
		&AgencyReferralPage{Base: staff, Referral: ref, Item: item, Categories: []CategoryView{{Code: "NQ4-12", Heading: "NQ4, Nhóm II", Title: "Tham ô"}}, Attachments: []AttachmentView{{Href: "/x", Name: "a.jpg", Size: "1 KB"}}, Notice: "Đã ghi"},
		&AgencyReferralPage{Base: staff, Referral: &open, Item: item, Open: true, Overdue: true, DaysLeft: "Quá hạn 2 ngày", Pending: &open.Extensions[0], Outcomes: outcomes,
			Days: "5", Reason: "r", Measures: "m", Answer: "a", ExtensionError: "Lỗi", AnswerError: "Lỗi"},
		&AgencyReferralPage{Base: staff, Referral: &open, Item: &homthu.Item{}, Open: true, Acked: false, DaysLeft: "Còn 3 ngày", Outcomes: outcomes},
		&TrackPage{Base: Base{Title: "Tra cứu"}, Receipt: "7K3M-QX9A-TP2D-H8WE-Z4RC", Found: true, Status: homthu.StatusClosed, Received: "ngày 28/11/2026",
			Steps: []StepView{{Day: "28/11/2026", Text: "Mặt trận nhận thư, đơn của bạn."}}, CanRate: true, Rated: true, RateError: "Lỗi", RateComment: "c", RateChoice: "0",
			Answer: &AnswerView{Agency: "UBND phường Hoa Lư", Outcome: "Đúng một phần", Text: "Đã xác minh.", Day: "05/12/2026", File: "tra-loi.pdf", FileSize: "1 KB"},
			Rating: &RatingView{Satisfied: false, Comment: "Chưa tương xứng.", Day: "06/12/2026"}},
		&AgenciesPage{Base: staff, Agencies: []*homthu.Agency{{ID: 1, Name: "UBND phường Hoa Lư", Kind: homthu.AgencyManaging, UnitName: "Phường Hoa Lư",
			HeadName: "Trần Văn Bình", HeadPosition: "Chủ tịch", Handlers: 2, Disabled: true}}, Units: []Option{{Value: "14329", Label: "Phường Hoa Lư", Selected: true}},
			Kinds: agencyKindOptions("managing"), Form: AgencyForm{Name: "n", HeadName: "h", HeadPosition: "p"}, Error: "Lỗi"},
		&AgenciesPage{Base: staff},
		&AgencyPage{Base: staff, Agency: &homthu.Agency{ID: 1, Name: "UBND phường Hoa Lư", Kind: homthu.AgencyManaging, UnitName: "Phường Hoa Lư", Disabled: true},
			Form: AgencyForm{Name: "UBND phường Hoa Lư", Disabled: true}, Handlers: []HandlerRow{{ID: 2, Username: "ubnd.hoalu", FullName: "Phạm Thị Hạnh", Position: "Chuyên viên", Disabled: true}},
			Error: "Lỗi", HandlerError: "Lỗi", Username: "u", FullName: "f", Position: "p", NewUsername: "ubnd.hoalu", NewPassword: "abcd efgh", Notice: "Đã lưu"},
		&AgencyPage{Base: staff, Agency: &homthu.Agency{ID: 1, Name: "UBND"}},
	}
}

// addAgency creates an agency at unit.
func (e *env) addAgency(unit string, kind homthu.AgencyKind, name, head string) *homthu.Agency {
	e.t.Helper()
	ag := &homthu.Agency{Unit: unit, Kind: kind, Name: name, HeadName: head, HeadPosition: "Người đứng đầu"}
	if err := e.store.CreateAgency(context.Background(), ag); err != nil {
		e.t.Fatalf("CreateAgency(%s): %v", name, err)
	}
	return ag
}

// addHandler creates a handler account of an agency and returns its id.
func (e *env) addHandler(name string, agency int64, fullName string) int64 {
	e.t.Helper()
	u := homthu.User{Username: name, Role: homthu.RoleAgency, Agency: agency, FullName: fullName, Position: "Chuyên viên"}
	if err := e.store.CreateUser(context.Background(), &u, secret.HashPasswordParams(testPassword, secret.TestParams())); err != nil {
		e.t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u.ID
}

// session is the live session of an account, for calls to the app.
func (e *env) session(name string) *homthu.Session {
	e.t.Helper()
	l, err := e.store.FindLogin(context.Background(), name)
	if err != nil {
		e.t.Fatalf("FindLogin(%s): %v", name, err)
	}
	return &homthu.Session{User: l.User}
}

// refer triages item id as a report, as front, and refers it to agency
// (files sent along); it returns the referral's id.
func (e *env) refer(front, id string, agency int64) int64 {
	e.t.Helper()
	ctx := context.Background()
	s := e.session(front)
	it, _, err := e.app.Item(ctx, s, id)
	if err != nil {
		e.t.Fatalf("Item(%s): %v", id, err)
	}
	if it, err = e.app.Triage(ctx, s, id, it.Version, homthu.Triage{Kind: homthu.KindReport, Priority: homthu.PriorityNormal, Categories: []string{"QD37-05"},
		Subject: homthu.Subject{Name: "Lê Văn Tư", Position: "Trưởng thôn"}}); err != nil {
		e.t.Fatalf("Triage(%s): %v", id, err)
	}
	r, err := e.app.Refer(ctx, s, id, it.Version, app.ReferRequest{Agency: agency, Files: true})
	if err != nil {
		e.t.Fatalf("Refer(%s): %v", id, err)
	}
	return r.ID
}

// agencyFixture is an env with two agencies of Phường Hoa Lư (a handler
// each), one of Hà Nội, and a named item referred to the first.
type agencyFixture struct {
	*env
	ubnd, dangUy *homthu.Agency
	item         string
	referral     int64
	receipt      string
}

func newAgencyFixture(t *testing.T) *agencyFixture {
	e := newEnv(t)
	f := &agencyFixture{env: e}
	f.ubnd = e.addAgency("14329", homthu.AgencyManaging, "UBND phường Hoa Lư", "Trần Văn Bình")
	f.dangUy = e.addAgency("14329", homthu.AgencyPartyCommittee, "Đảng ủy phường Hoa Lư", "Nguyễn Văn Hùng")
	e.addHandler("ubnd.hoalu", f.ubnd.ID, "Phạm Thị Hạnh")
	e.addHandler("dangu.hoalu", f.dangUy.ID, "Đỗ Văn Long")
	v := namedValues("ag1", "Trưởng thôn thu tiền đóng góp xây nhà văn hóa nhưng không công khai thu chi.")
	v.Set("email", "minh@example.vn")
	ct, body := multipartForm(t, v, map[string][]byte{"ảnh.png": pngBytes(t)})
	f.receipt = receiptOf(t, e.serve(newPost("/gui", ct, body, nil)).Body)
	f.item = mustItems(t, e, "14329")[0].ID
	f.referral = f.refer("xa", f.item, f.ubnd.ID)
	return f
}

// TestAgencyPages walks the handler's pages: the inbox, the referral, the
// acknowledgement, the request for more time and the answer; bad input is
// a Vietnamese 400 that changes nothing; another agency's referral is 404.
func TestAgencyPages(t *testing.T) {
	f := newAgencyFixture(t)
	ubnd, dang := f.login("ubnd.hoalu"), f.login("dangu.hoalu")
	ref := referralPath(f.referral)

	// The handler's login lands on their inbox.
	if r := f.do("POST", loginPath, url.Values{"username": {"ubnd.hoalu"}, "password": {testPassword}}, nil); r.Header.Get("Location") != agencyPath {
		t.Errorf("login of a handler → %q, want %q", r.Header.Get("Location"), agencyPath)
	}
	for _, tt := range []struct {
		name, method, path string
		form               url.Values
		cookie             *http.Cookie
		status             int
		want, notWant      []string
	}{
		{"inbox", "GET", agencyPath, nil, ubnd, 200, []string{"1/MTTQ-BTT", "Trưởng thôn thu tiền", "Hạn trả lời"}, []string{"Nguyễn Thị Minh", "0912"}},
		{"inbox by due", "GET", agencyPath + "?sap-xep=han", nil, ubnd, 200, []string{"Trưởng thôn thu tiền"}, nil},
		{"inbox overdue only", "GET", agencyPath + "?qua-han=1", nil, ubnd, 200, []string{"Không có văn bản chuyển nào quá hạn"}, nil},
		{"inbox of another agency", "GET", agencyPath, nil, dang, 200, []string{"Không có văn bản chuyển nào"}, []string{"Trưởng thôn thu tiền"}},
		{"bad cursor", "GET", agencyPath + "?sau=x", nil, ubnd, 400, []string{"Con trỏ phân trang"}, nil},
		{"bad cursor by due", "GET", agencyPath + "?sap-xep=han&sau=5", nil, ubnd, 400, []string{"Con trỏ phân trang"}, nil},
		{"bad state", "GET", agencyPath + "?loc=xoa", nil, ubnd, 400, []string{"không hợp lệ"}, nil},
		{"referral", "GET", ref, nil, ubnd, 200, []string{"Kính gửi: UBND phường Hoa Lư", "Lê Văn Tư", "QD37-05", "Viết, đăng, lan truyền thông tin sai sự thật", "Xác nhận đã nhận", "ảnh.png"}, []string{"Nguyễn Thị Minh", "0912", "minh@example.vn"}},
		{"another agency's referral", "GET", ref, nil, dang, 404, nil, []string{"Trưởng thôn thu tiền"}},
		{"another agency's attachment", "GET", ref + "/tep/0", nil, dang, 404, nil, nil},
		{"another agency acknowledges", "POST", ref + "/da-nhan", nil, dang, 404, nil, nil},
		{"a Front officer is not a handler", "GET", ref, nil, f.login("xa"), 403, nil, nil},
		{"unknown referral", "GET", referralPath(99999), nil, ubnd, 404, nil, nil},
		{"malformed referral", "GET", agencyPath + "/chuyen/abc", nil, ubnd, 404, nil, nil},
		{"attachment", "GET", ref + "/tep/0", nil, ubnd, 200, nil, nil},
		{"no such attachment", "GET", ref + "/tep/5", nil, ubnd, 404, nil, nil},
		{"acknowledge", "POST", ref + "/da-nhan", nil, ubnd, 303, nil, nil},
		{"acknowledged", "GET", ref + "?da=nhan", nil, ubnd, 200, []string{"Đã xác nhận cơ quan nhận", "Cơ quan đã nhận, đang xử lý"}, []string{">Xác nhận đã nhận<"}},
		{"acknowledge twice", "POST", ref + "/da-nhan", nil, ubnd, 409, []string{"đã được xác nhận"}, nil},
		{"extension: days not a number", "POST", ref + "/gia-han", url.Values{"so_ngay": {"mười"}, "ly_do": {"Cần xác minh thêm."}}, ubnd, 400, []string{"Số ngày xin gia hạn", "Cần xác minh thêm."}, nil},
		{"extension: too many days", "POST", ref + "/gia-han", url.Values{"so_ngay": {"90"}, "ly_do": {"Cần xác minh thêm."}}, ubnd, 400, []string{"từ 1 đến 60"}, nil},
		{"extension: no reason", "POST", ref + "/gia-han", url.Values{"so_ngay": {"10"}}, ubnd, 400, []string{"Lý do xin gia hạn"}, nil},
		{"extension", "POST", ref + "/gia-han", url.Values{"so_ngay": {"10"}, "ly_do": {"Cần xác minh thêm với các hộ dân."}}, ubnd, 303, nil, nil},
		{"extension pending", "GET", ref, nil, ubnd, 200, []string{"đang chờ Mặt trận quyết định", "Cần xác minh thêm với các hộ dân."}, nil},
		{"a second extension", "POST", ref + "/gia-han", url.Values{"so_ngay": {"5"}, "ly_do": {"Thêm."}}, ubnd, 409, []string{"Đã có một đề nghị gia hạn"}, nil},
		{"answer: no outcome", "POST", ref + "/tra-loi", url.Values{"noi_dung": {"Đã xác minh."}}, ubnd, 400, []string{"Xin chọn kết quả xử lý", "Đã xác minh."}, nil},
		{"answer: bad outcome", "POST", ref + "/tra-loi", url.Values{"ket_qua": {"xoa"}, "noi_dung": {"Đã xác minh."}}, ubnd, 400, []string{"Xin chọn kết quả xử lý"}, nil},
		{"answer: neither text nor file", "POST", ref + "/tra-loi", url.Values{"ket_qua": {"founded"}, "bien_phap": {"Kiểm điểm."}}, ubnd, 400, []string{"Xin ghi nội dung văn bản trả lời", "Kiểm điểm."}, nil},
		{"another agency answers", "POST", ref + "/tra-loi", url.Values{"ket_qua": {"founded"}, "noi_dung": {"x"}}, dang, 404, nil, nil},
	} {
		r := f.do(tt.method, tt.path, tt.form, tt.cookie)
		if r.StatusCode != tt.status {
			t.Errorf("%s: %s %s = %d, want %d\n%s", tt.name, tt.method, tt.path, r.StatusCode, tt.status, r.Body)
			continue
		}
		body := htmlUnescape(r.Body)
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: %s %s lacks %q", tt.name, tt.method, tt.path, w)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(body, w) {
				t.Errorf("%s: %s %s shows %q", tt.name, tt.method, tt.path, w)
			}
		}
	}
	// Nothing the refused requests sent was recorded.
	row, err := f.store.FindReferral(t.Context(), f.referral)
	if err != nil {
		t.Fatal(err)
	}
	if row.State != homthu.ReferralAcknowledged || len(row.Extensions) != 1 || row.Extensions[0].Days != 10 || row.Outcome != "" {
		t.Fatalf("after the refused requests: state %s, extensions %+v, outcome %q", row.State, row.Extensions, row.Outcome)
	}

	// The answer with a file: the PDF is stored cleaned, the referral answered.
	fields := url.Values{"ket_qua": {"partly_founded"}, "bien_phap": {"Kiểm điểm, rút kinh nghiệm."}, "noi_dung": {"UBND phường đã xác minh: đúng một phần."}}
	ct, mb := multipartWithFile(t, fields, "tep", "trả lời.png", pngBytes(t))
	req := newPost(ref+"/tra-loi", ct, mb, ubnd)
	if r := f.serve(req); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer = %d\n%s", r.StatusCode, r.Body)
	}
	row, err = f.store.FindReferral(t.Context(), f.referral)
	if err != nil {
		t.Fatal(err)
	}
	if row.State != homthu.ReferralAnswered || row.Outcome != homthu.OutcomePartlyFounded || row.AnswerFile == nil || row.AnswerFile.Type != "image/png" {
		t.Fatalf("after the answer: %+v", row.Referral)
	}
	r := f.do("GET", ref, nil, ubnd)
	for _, w := range []string{"Kết quả xử lý đã ghi", "Đúng một phần", "Kiểm điểm, rút kinh nghiệm.", "/van-ban-tra-loi"} {
		if !strings.Contains(htmlUnescape(r.Body), w) {
			t.Errorf("the answered referral lacks %q", w)
		}
	}
	if strings.Contains(r.Body, `action="`+ref+`/tra-loi"`) {
		t.Errorf("the answered referral still offers the answer form")
	}
	if r := f.do("GET", ref+"/van-ban-tra-loi", nil, ubnd); r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/png" {
		t.Errorf("answer file = %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if r := f.do("GET", ref+"/van-ban-tra-loi", nil, dang); r.StatusCode != 404 {
		t.Errorf("answer file for another agency = %d, want 404", r.StatusCode)
	}
	if r := f.do("GET", agencyPath+"?loc=answered", nil, ubnd); !strings.Contains(r.Body, `/chuyen/`+strconv.FormatInt(f.referral, 10)+`"`) {
		t.Errorf("the answered filter lacks the referral")
	}
	// The Front of the unit was told of the request for more time and of
	// the answer, with a link to the item, without the submitter.
	ns, _, err := f.store.ListNotices(t.Context(), f.userID("xa"), 0, false, 20)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, n := range ns {
		texts = append(texts, n.Text+" → "+n.Link)
	}
	all := strings.Join(texts, "\n")
	for _, w := range []string{"đề nghị gia hạn 10 ngày", "Cần xác minh thêm với các hộ dân.", "đã trả lời văn bản chuyển số", "Đúng một phần", "/can-bo/thu/" + f.item} {
		if !strings.Contains(all, w) {
			t.Errorf("the Front's notices lack %q:\n%s", w, all)
		}
	}
	if len(ns) != 2 || strings.Contains(all, "Nguyễn Thị Minh") {
		t.Errorf("the Front's notices: %d\n%s", len(ns), all)
	}

	// The submitter gave an address: the steps that concern them queued
	// the news mail (one job per item, its address sealed).
	key := fmt.Sprintf("%x", f.app.Keys.Hash("mail-news", f.item)[:16])
	if j, err := f.store.FindJobByKey(t.Context(), mail.KindSubmitter, key); err != nil || j == nil {
		t.Errorf("no news mail queued for the submitter: %v", err)
	}

	// The Front passes the answer on and closes; the citizen reads it.
	xa := f.session("xa")
	it, _, err := f.app.Item(t.Context(), xa, f.item)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Close(t.Context(), xa, f.item, it.Version, "UBND phường đã trả lời; kết quả như văn bản kèm theo.", true); err != nil {
		t.Fatal(err)
	}
	receipt := url.Values{"receipt": {f.receipt}}
	with := func(kv ...string) url.Values {
		v := url.Values{"receipt": {f.receipt}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	for _, tt := range []struct {
		name, path    string
		form          url.Values
		status        int
		want, notWant []string
	}{
		{"the receipt page", "/tra-cuu", receipt, 200, []string{"Các bước xử lý", "Mặt trận nhận thư, đơn của bạn.", "đã chuyển đến UBND phường Hoa Lư",
			"UBND phường Hoa Lư đã nhận thư", "Kết quả giải quyết", "Đúng một phần", "UBND phường đã xác minh: đúng một phần.", "Tải văn bản trả lời",
			"Bạn có hài lòng"}, []string{"Kiểm điểm, rút kinh nghiệm.", "Cần xác minh thêm với các hộ dân."}},
		{"rate: no choice", "/tra-cuu/danh-gia", with("y_kien", "x"), 400, []string{"Xin chọn: hài lòng hoặc chưa hài lòng"}, nil},
		{"rate: not satisfied without a reason", "/tra-cuu/danh-gia", with("hai_long", "0"), 400, []string{"vì sao bạn chưa hài lòng"}, nil},
		{"rate: a bad receipt", "/tra-cuu/danh-gia", url.Values{"receipt": {"sai"}, "hai_long": {"1"}}, 400, nil, nil},
		{"rate: not satisfied", "/tra-cuu/danh-gia", with("hai_long", "0", "y_kien", "Chưa công khai thu chi cho dân."), 200,
			[]string{"Đã ghi ý kiến của bạn", "Mặt trận sẽ xem xét lại", "Chưa hài lòng", "Chưa công khai thu chi cho dân."}, []string{"Bạn có hài lòng"}},
		{"rate again once reopened", "/tra-cuu/danh-gia", with("hai_long", "0", "y_kien", "Lần nữa."), 409, []string{"Chưa công khai thu chi cho dân."}, []string{"Lần nữa."}},
		{"the answer's file for a bad receipt", "/tra-cuu/van-ban-tra-loi", url.Values{"receipt": {"sai"}}, 400, nil, nil},
	} {
		r := f.do("POST", tt.path, tt.form, nil)
		if r.StatusCode != tt.status {
			t.Errorf("%s: POST %s = %d, want %d", tt.name, tt.path, r.StatusCode, tt.status)
			continue
		}
		body := htmlUnescape(r.Body)
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: POST %s lacks %q", tt.name, tt.path, w)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(body, w) {
				t.Errorf("%s: POST %s shows %q", tt.name, tt.path, w)
			}
		}
	}
	if r := f.do("POST", "/tra-cuu/van-ban-tra-loi", receipt, nil); r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("the answer's file = %d %q %q", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	if it, _, err = f.app.Item(t.Context(), xa, f.item); err != nil || it.Status != homthu.StatusReopened {
		t.Errorf("after not satisfied: %v %v, want %s", it.Status, err, homthu.StatusReopened)
	}
}

// TestAgencyInboxOrder pages through an agency's inbox newest first and
// soonest deadline first, with overdue referrals marked.
func TestAgencyInboxOrder(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { testAgencyInboxOrder(t, newEngineEnv(t, engine)) })
	}
}

func testAgencyInboxOrder(t *testing.T, e *env) {
	ag := e.addAgency("14329", homthu.AgencyManaging, "UBND phường Hoa Lư", "Trần Văn Bình")
	e.addHandler("ubnd.hoalu", ag.ID, "Phạm Thị Hạnh")
	c := e.login("ubnd.hoalu")
	var ids []int64
	referred := map[string]bool{}
	for i := range inboxPageSize + 3 {
		e.do("POST", "/gui", submitValues("14329-001", "k"+strconv.Itoa(i), "Thư số "+strconv.Itoa(i)+" về đường làng."), nil)
		for _, it := range mustItems(t, e, "14329") {
			if !referred[it.ID] {
				referred[it.ID] = true
				ids = append(ids, e.refer("xa", it.ID, ag.ID))
				break
			}
		}
	}
	// The first referral's deadline is moved into the past: it is overdue,
	// and first by deadline.
	if err := e.store.Transact(t.Context(), func(tx *store.Tx) error {
		_, err := tx.Exec(t.Context(), `UPDATE referrals SET due_on = '2020-01-01' WHERE id = ?`, ids[0])
		return err
	}); err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, order := range []string{"", "han"} {
		clear(seen)
		path := agencyPath
		if order != "" {
			path += "?sap-xep=" + order
		}
		for page := 0; path != ""; page++ {
			r := e.do("GET", path, nil, c)
			if r.StatusCode != 200 {
				t.Fatalf("GET %s = %d", path, r.StatusCode)
			}
			got := regexpAll(r.Body, `/can-bo/co-quan/chuyen/(\d+)"`)
			if page == 0 {
				want := ids[len(ids)-1]
				if order == "han" {
					want = ids[0]
					if !strings.Contains(r.Body, "Quá hạn") {
						t.Errorf("the overdue referral is not marked")
					}
				}
				if len(got) == 0 || got[0] != want {
					t.Errorf("order %q: first = %v, want %d", order, got, want)
				}
			}
			for _, id := range got {
				if seen[id] {
					t.Errorf("order %q: referral %d twice", order, id)
				}
				seen[id] = true
			}
			path = htmlUnescape(regexpFindOpt(r.Body, `<a href="([^"]+)">Trang sau`))
		}
		if len(seen) != len(ids) {
			t.Errorf("order %q: %d referrals seen, want %d", order, len(seen), len(ids))
		}
	}
}

// multipartWithFile builds a multipart body of fields and one file under field.
func multipartWithFile(t *testing.T, fields url.Values, field, name string, data []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	w, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	mw.Close()
	return mw.FormDataContentType(), &buf
}

// newPost is a POST of body with its content type, in a session.
func newPost(path, ct string, body io.Reader, c *http.Cookie) *http.Request {
	req := httptest.NewRequest("POST", path, body)
	req.Header.Set("Content-Type", ct)
	if c != nil {
		req.AddCookie(c)
	}
	return req
}

// regexpAll returns the first group of every match of re, as numbers.
func regexpAll(body, re string) []int64 {
	var out []int64
	for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(body, -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, n)
	}
	return out
}

// regexpFindOpt returns the first group of re's first match, or "".
func regexpFindOpt(body, re string) string {
	m := regexp.MustCompile(re).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestAgenciesAdmin: an administrator lists the agencies of their unit and
// below, adds one, edits it and creates a handler account whose password
// is shown once and works; bad input is a Vietnamese 400 that creates
// nothing; another province's agency is a 404; other roles are refused.
func TestAgenciesAdmin(t *testing.T) {
	e := newEnv(t)
	hanoi := e.addAgency("01", homthu.AgencyManaging, "UBND phường Ba Đình", "Lê Văn Sơn")
	admin := e.login("admin")
	count := func() int {
		ags, err := e.store.ListAgencies(t.Context(), store.AgencyFilter{Under: "37"})
		if err != nil {
			t.Fatal(err)
		}
		return len(ags)
	}
	add := url.Values{"don_vi": {"14329"}, "loai": {"managing"}, "ten": {"UBND phường Hoa Lư"}, "nguoi_dung_dau": {"Trần Văn Bình"}, "chuc_vu": {"Chủ tịch UBND phường"}}
	with := func(k, v string) url.Values {
		out := url.Values{}
		for kk, vv := range add {
			out[kk] = vv
		}
		out.Set(k, v)
		return out
	}
	for _, tt := range []struct {
		name, method, path string
		form               url.Values
		status             int
		want               string
	}{
		{"list, empty", "GET", agenciesPath, nil, 200, "Chưa có cơ quan nào"},
		{"no name", "POST", agenciesPath, with("ten", " "), 400, "Tên cơ quan"},
		{"bad kind", "POST", agenciesPath, with("loai", "cong-an"), 400, "Loại cơ quan"},
		{"an area", "POST", agenciesPath, with("don_vi", "14329-001"), 400, "cấp xã, phường hoặc cấp tỉnh"},
		{"another province's commune", "POST", agenciesPath, with("don_vi", "00004"), 400, "trong phạm vi của bạn"},
		{"no unit", "POST", agenciesPath, with("don_vi", ""), 400, "Xin chọn đơn vị"},
		{"another province's agency", "GET", agencyAdminPath(hanoi.ID), nil, 404, ""},
		{"edit another province's agency", "POST", agencyAdminPath(hanoi.ID), url.Values{"ten": {"X"}}, 404, ""},
		{"a handler for another province's agency", "POST", agencyAdminPath(hanoi.ID) + "/can-bo", url.Values{"ten_dang_nhap": {"x"}, "ho_ten": {"Y"}}, 404, ""},
	} {
		r := e.do(tt.method, tt.path, tt.form, admin)
		if r.StatusCode != tt.status || !strings.Contains(htmlUnescape(r.Body), tt.want) {
			t.Errorf("%s: %s %s = %d, want %d with %q", tt.name, tt.method, tt.path, r.StatusCode, tt.status, tt.want)
		}
		if tt.form != nil && tt.form.Get("nguoi_dung_dau") != "" && r.StatusCode == 400 && !strings.Contains(r.Body, `value="Trần Văn Bình"`) {
			t.Errorf("%s: the form lost what was typed", tt.name)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("after the refused requests: %d agencies, want 0", n)
	}
	r := e.do("POST", agenciesPath, add, admin)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d\n%s", r.StatusCode, r.Body)
	}
	page, _, _ := strings.Cut(r.Header.Get("Location"), "?")
	if r := e.do("POST", agenciesPath, add, admin); r.StatusCode != 409 || !strings.Contains(r.Body, "đã có cơ quan tên") {
		t.Errorf("the same name again = %d", r.StatusCode)
	}
	if r := e.do("GET", agenciesPath, nil, admin); !strings.Contains(r.Body, "UBND phường Hoa Lư") || strings.Contains(r.Body, "Ba Đình") {
		t.Errorf("the list lacks the new agency or shows another province's")
	}
	// Edit: a bad name is refused; a good one saved.
	if r := e.do("POST", page, url.Values{"ten": {""}, "nguoi_dung_dau": {"Trần Văn Bình"}}, admin); r.StatusCode != 400 || !strings.Contains(r.Body, "Tên cơ quan") {
		t.Errorf("edit without a name = %d", r.StatusCode)
	}
	if r := e.do("POST", page, url.Values{"ten": {"Ủy ban nhân dân phường Hoa Lư"}, "nguoi_dung_dau": {"Đinh Thị Lan"}, "chuc_vu": {"Chủ tịch"}}, admin); r.StatusCode != http.StatusSeeOther {
		t.Errorf("edit = %d", r.StatusCode)
	}
	if r := e.do("GET", page, nil, admin); !strings.Contains(r.Body, "Ủy ban nhân dân phường Hoa Lư") || !strings.Contains(r.Body, "Đinh Thị Lan") {
		t.Errorf("the edit was not saved")
	}
	// A handler account: no full name is refused; then the password, once, and it works.
	if r := e.do("POST", page+"/can-bo", url.Values{"ten_dang_nhap": {"ubnd.hoalu"}}, admin); r.StatusCode != 400 || !strings.Contains(r.Body, "Xin ghi họ tên") {
		t.Errorf("a handler without a name = %d", r.StatusCode)
	}
	r = e.do("POST", page+"/can-bo", url.Values{"ten_dang_nhap": {"ubnd.hoalu"}, "ho_ten": {"Phạm Thị Hạnh"}, "chuc_vu": {"Chuyên viên"}}, admin)
	pw := htmlUnescape(regexpFindOpt(r.Body, `<p class="code-sm secret">([^<]+)</p>`))
	if r.StatusCode != 200 || pw == "" {
		t.Fatalf("create handler = %d, password %q", r.StatusCode, pw)
	}
	if r := e.do("GET", page, nil, admin); strings.Contains(htmlUnescape(r.Body), pw) || !strings.Contains(r.Body, "Phạm Thị Hạnh") {
		t.Errorf("the password shows again, or the handler is not listed")
	}
	if r := e.do("POST", page+"/can-bo", url.Values{"ten_dang_nhap": {"ubnd.hoalu"}, "ho_ten": {"Người khác"}}, admin); r.StatusCode != 409 && r.StatusCode != 400 {
		t.Errorf("the same username again = %d", r.StatusCode)
	}
	if r := e.do("POST", loginPath, url.Values{"username": {"ubnd.hoalu"}, "password": {pw}}, nil); r.Header.Get("Location") != agencyPath {
		t.Errorf("the new handler's login → %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	// Front staff do not manage agencies.
	if r := e.do("GET", agenciesPath, nil, e.login("tinh")); r.StatusCode != 403 {
		t.Errorf("the agencies page as Front staff = %d, want 403", r.StatusCode)
	}
}
