package api

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/secret"
)

// addAgency creates an agency at unit with a handler account name
// (password "mat-khau-"+name) and returns the agency.
func (f *fixture) addAgency(t *testing.T, unit string, kind homthu.AgencyKind, name, handler string) *homthu.Agency {
	t.Helper()
	ctx := context.Background()
	ag := &homthu.Agency{Unit: unit, Kind: kind, Name: name, HeadName: "Trần Văn Bình"}
	if err := f.app.Store.CreateAgency(ctx, ag); err != nil {
		t.Fatal(err)
	}
	if err := f.app.Store.CreateUser(ctx, &homthu.User{Username: handler, Role: homthu.RoleAgency, Agency: ag.ID, FullName: "Phạm Thị Hạnh"},
		secret.HashPasswordParams("mat-khau-"+handler, secret.TestParams())); err != nil {
		t.Fatal(err)
	}
	return ag
}

// referItem triages item id as a report and refers it to agency as the
// Front account front (at unit); it returns the referral's id.
func (f *fixture) referItem(t *testing.T, front, unit, id string, agency int64) int64 {
	t.Helper()
	ctx := context.Background()
	l, err := f.app.Store.FindLogin(ctx, front)
	if err != nil {
		t.Fatal(err)
	}
	s := &homthu.Session{User: l.User}
	it, _, err := f.app.Item(ctx, s, id)
	if err != nil {
		t.Fatal(err)
	}
	if it, err = f.app.Triage(ctx, s, id, it.Version, homthu.Triage{Kind: homthu.KindReport, Priority: homthu.PriorityNormal}); err != nil {
		t.Fatal(err)
	}
	r, err := f.app.Refer(ctx, s, id, it.Version, app.ReferRequest{Agency: agency})
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// TestReferralsAPI takes a referral through the agency's API — list,
// open, acknowledge, ask for more time, answer — with bad input refused in
// Vietnamese and changing nothing, another agency's referral not found,
// and the submitter reading the answer and rating it with the receipt.
func TestReferralsAPI(t *testing.T) {
	f := newFixture(t)
	ubnd := f.addAgency(t, "14329", homthu.AgencyManaging, "UBND phường Hoa Lư", "ubnd.hoalu")
	f.addAgency(t, "14329", homthu.AgencyPartyCommittee, "Đảng ủy phường Hoa Lư", "dangu.hoalu")
	_, v := f.do(t, "POST", "/api/v1/feedback", `{"area":"14329-001","content":"Đường làng hỏng lâu không sửa.","anonymous":true}`)
	receipt := v["receipt"].(string)
	_, list := f.do(t, "GET", "/api/v1/items", "", "Authorization", "Bearer "+f.login(t, "hoalu"))
	item := list["items"].([]any)[0].(map[string]any)["id"].(string)
	ref := strconv.FormatInt(f.referItem(t, "hoalu", "14329", item, ubnd.ID), 10)
	own, other := "Bearer "+f.login(t, "ubnd.hoalu"), "Bearer "+f.login(t, "dangu.hoalu")
	base := "/api/v1/referrals/" + ref

	for _, tt := range []struct {
		name, method, path, body, token string
		status                          int
		want                            string // in the JSON answer
	}{
		{"list", "GET", "/api/v1/referrals", "", own, 200, "Đường làng hỏng"},
		{"list by due, overdue only", "GET", "/api/v1/referrals?order=due&overdue=true", "", own, 200, `"referrals":[]`},
		{"list: bad order", "GET", "/api/v1/referrals?order=x", "", own, 400, "order chỉ nhận"},
		{"list: bad state", "GET", "/api/v1/referrals?state=x", "", own, 400, "không hợp lệ"},
		{"another agency's list", "GET", "/api/v1/referrals", "", other, 200, `"referrals":[]`},
		{"one", "GET", base, "", own, 200, "Kính gửi: UBND phường Hoa Lư"},
		{"another agency's", "GET", base, "", other, 404, "Không tìm thấy"},
		{"another agency acknowledges", "POST", base + "/acknowledge", "", other, 404, "Không tìm thấy"},
		{"a Front officer", "GET", base, "", "Bearer " + f.login(t, "hoalu"), 403, ""},
		{"acknowledge", "POST", base + "/acknowledge", "", own, 200, `"state":"acknowledged"`},
		{"acknowledge twice", "POST", base + "/acknowledge", "", own, 409, "đã được xác nhận"},
		{"extension: too long", "POST", base + "/extension", `{"days":90,"reason":"Cần thêm thời gian."}`, own, 400, "từ 1 đến 60"},
		{"extension: no reason", "POST", base + "/extension", `{"days":10}`, own, 400, "Lý do xin gia hạn"},
		{"extension: not JSON", "POST", base + "/extension", `days=10`, own, 400, ""},
		{"extension", "POST", base + "/extension", `{"days":10,"reason":"Cần khảo sát hiện trường."}`, own, 201, `"state":"requested"`},
		{"answer: bad outcome", "POST", base + "/answer", `{"outcome":"x","text":"Đã sửa."}`, own, 400, "Xin chọn kết quả xử lý"},
		{"answer: no text", "POST", base + "/answer", `{"outcome":"founded"}`, own, 400, "Xin ghi nội dung văn bản trả lời"},
		{"answer", "POST", base + "/answer", `{"outcome":"founded","measures":"Sửa đường trong tháng.","text":"UBND phường đã sửa đường."}`, own, 200, `"state":"answered"`},
		{"answer twice", "POST", base + "/answer", `{"outcome":"founded","text":"Lần nữa."}`, own, 409, ""},
		{"rating before the case is closed", "POST", "/api/v1/track/rating", `{"receipt":"` + receipt + `","satisfied":true}`, "", 409, ""},
		{"rating without a choice", "POST", "/api/v1/track/rating", `{"receipt":"` + receipt + `"}`, "", 400, "satisfied"},
	} {
		hdr := []string{}
		if tt.token != "" {
			hdr = []string{"Authorization", tt.token}
		}
		code, v := f.do(t, tt.method, tt.path, tt.body, hdr...)
		if code != tt.status {
			t.Errorf("%s: %s %s = %d %v, want %d", tt.name, tt.method, tt.path, code, v, tt.status)
			continue
		}
		if b := jsonStr(t, v); tt.want != "" && !strings.Contains(b, tt.want) {
			t.Errorf("%s: %s %s = %s, want %q in it", tt.name, tt.method, tt.path, b, tt.want)
		}
	}
	// The refused requests changed nothing: one extension, the first answer.
	r, err := f.app.Store.FindReferral(context.Background(), mustID(t, ref))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Extensions) != 1 || r.Extensions[0].Days != 10 || r.Answer != "UBND phường đã sửa đường." {
		t.Errorf("referral after the refused requests: %+v", r.Referral)
	}

	// The Front passes the answer on and closes; the submitter reads and rates.
	l, _ := f.app.Store.FindLogin(context.Background(), "hoalu")
	s := &homthu.Session{User: l.User}
	it, _, _ := f.app.Item(context.Background(), s, item)
	if _, err := f.app.Close(context.Background(), s, item, it.Version, "UBND phường đã sửa đường.", true); err != nil {
		t.Fatal(err)
	}
	code, v := f.do(t, "POST", "/api/v1/track", `{"receipt":"`+receipt+`"}`)
	b := jsonStr(t, v)
	for _, want := range []string{`"can_rate":true`, `"outcome":"founded"`, "UBND phường đã sửa đường.", "đã chuyển đến UBND phường Hoa Lư"} {
		if code != 200 || !strings.Contains(b, want) {
			t.Errorf("track = %d %s, want %q in it", code, b, want)
		}
	}
	if code, v := f.do(t, "POST", "/api/v1/track/rating", `{"receipt":"`+receipt+`","satisfied":false}`); code != 400 || !strings.Contains(jsonStr(t, v), "vì sao") {
		t.Errorf("not satisfied without a reason = %d %v", code, v)
	}
	if code, v := f.do(t, "POST", "/api/v1/track/rating", `{"receipt":"`+receipt+`","satisfied":false,"comment":"Mới vá tạm."}`); code != 201 {
		t.Errorf("not satisfied = %d %v", code, v)
	}
	if _, v := f.do(t, "POST", "/api/v1/track", `{"receipt":"`+receipt+`"}`); v["status"] != string(homthu.StatusReopened) {
		t.Errorf("status after not satisfied = %v, want reopened", v["status"])
	}
}

// jsonStr is v as JSON text.
func jsonStr(t *testing.T, v map[string]any) string {
	t.Helper()
	s, err := jsonText(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
