package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// TestOpeningsAPI records an opening through the API as a phone app does:
// register a box, start (a repeat with the same Idempotency-Key is the same
// opening), register letters (a repeat is a replay, 200), remove one, seal
// (a retry of the seal answers the sealed minutes); then sealed minutes
// refuse any change with a Vietnamese 409, bad input is a 400 that changes
// nothing, and another commune's opening is not found.
func TestOpeningsAPI(t *testing.T) {
	f := newFixture(t)
	hoalu := "Bearer " + f.login(t, "hoalu")
	bct := "Bearer " + f.login(t, "bct")
	hanoi := "Bearer " + f.login(t, "hanoi")
	auth := func(tok string, kv ...string) []string { return append([]string{"Authorization", tok}, kv...) }

	code, v := f.do(t, "POST", "/api/v1/mailboxes", `{"unit":"14329-001","place":"Nhà văn hóa tổ dân phố Hòa Bình","installed_on":"2024-03-15","day":10}`, auth(hoalu)...)
	if code != 201 {
		t.Fatalf("POST mailboxes = %d %v", code, v)
	}
	box := int64(v["id"].(float64))
	at := time.Now().Add(-time.Hour).In(homthu.VNTime).Format(time.RFC3339)
	start := fmt.Sprintf(`{"mailbox":%d,"opened_at":%q,"seal":"intact","participants":[{"name":"Nguyễn Văn An","chair":true},{"name":"Trần Thị Bình"},{"name":"Lê Văn Cường"}]}`, box, at)
	code, v = f.do(t, "POST", "/api/v1/openings", start, auth(bct, "Idempotency-Key", "s-1")...)
	if code != 201 || v["state"] != "open" {
		t.Fatalf("POST openings = %d %v", code, v)
	}
	id := int64(v["id"].(float64))
	op := fmt.Sprintf("/api/v1/openings/%d", id)
	letters := func() int {
		o, err := f.app.Store.FindOpening(t.Context(), "", id)
		if err != nil {
			t.Fatal(err)
		}
		return len(o.Letters)
	}
	openings := func() int {
		os, _, err := f.app.Store.ListOpenings(t.Context(), store.OpeningFilter{Scope: "37"})
		if err != nil {
			t.Fatal(err)
		}
		return len(os)
	}
	for _, tt := range []struct {
		name, tok, method, path, body, key string
		code                               int
		want                               string // in the answer
		letters, openings                  int
	}{
		{"start again, same key", bct, "POST", "/api/v1/openings", start, "s-1", 201, fmt.Sprintf(`"id":%d`, id), 0, 1},
		{"start, one witness", bct, "POST", "/api/v1/openings", strings.Replace(start, `,{"name":"Lê Văn Cường"}`, "", 1), "s-2", 400, "người chứng kiến", 0, 1},
		{"start, bad time", bct, "POST", "/api/v1/openings", strings.Replace(start, at, "hôm qua", 1), "s-3", 400, "RFC 3339", 0, 1},
		{"start, unknown field", bct, "POST", "/api/v1/openings", strings.Replace(start, `"seal"`, `"x":1,"seal"`, 1), "s-4", 400, "không được hỗ trợ", 0, 1},
		{"start, another commune", hanoi, "POST", "/api/v1/openings", start, "s-5", 404, "", 0, 1},
		{"letter", bct, "POST", op + "/letters", `{"content":"Phản ánh thu tiền không có chứng từ.","subject":{"position":"Tổ trưởng"}}`, "l-1", 201, `"seq":1`, 1, 1},
		{"letter again, same key", bct, "POST", op + "/letters", `{"content":"Phản ánh thu tiền không có chứng từ.","subject":{"position":"Tổ trưởng"}}`, "l-1", 200, `"replay":true`, 1, 1},
		{"same key, another letter", bct, "POST", op + "/letters", `{"content":"Khác."}`, "l-1", 409, "Mã yêu cầu", 1, 1},
		{"letter, empty", bct, "POST", op + "/letters", `{"content":""}`, "l-2", 400, "không được để trống", 1, 1},
		{"letter, signer of an unsigned one", bct, "POST", op + "/letters", `{"content":"x","signer":{"name":"A"}}`, "l-3", 400, "Thư không ký tên", 1, 1},
		{"letter, another commune", hanoi, "POST", op + "/letters", `{"content":"x"}`, "l-4", 404, "", 1, 1},
		{"signed letter", bct, "POST", op + "/letters", `{"content":"Thư có ký tên.","full":true,"signed":true,"signer":{"name":"Nguyễn Văn Hùng"}}`, "l-5", 201, `"seq":2`, 2, 1},
		{"letter by mistake", bct, "POST", op + "/letters", `{"content":"Nhầm."}`, "l-6", 201, `"seq":3`, 3, 1},
		{"remove it", bct, "DELETE", op + "/letters/3", "", "", 204, "", 2, 1},
		{"remove, another commune", hanoi, "DELETE", op + "/letters/1", "", "", 404, "", 2, 1},
		{"seal, wrong count", bct, "POST", op + "/seal", `{"counted":3}`, "", 409, "khác số thư", 2, 1},
		{"seal, no count", bct, "POST", op + "/seal", `{}`, "", 400, "counted", 2, 1},
		{"seal", bct, "POST", op + "/seal", `{"counted":2}`, "", 200, `"number":"01/BB-BCTMT"`, 2, 1},
		{"seal again (a retry)", bct, "POST", op + "/seal", `{"counted":2}`, "", 200, `"state":"sealed"`, 2, 1},
		{"seal again, another count", bct, "POST", op + "/seal", `{"counted":1}`, "", 409, "đã niêm phong", 2, 1},
		{"letter after sealing", bct, "POST", op + "/letters", `{"content":"Muộn."}`, "l-7", 409, "đã niêm phong", 2, 1},
		{"remove after sealing", bct, "DELETE", op + "/letters/1", "", "", 409, "đã niêm phong", 2, 1},
		{"read, commune", hoalu, "GET", op, "", "", 200, "Phản ánh thu tiền", 2, 1},
		{"read, committee after sealing", bct, "GET", op, "", "", 200, `"hidden":true`, 2, 1},
		{"read, another commune", hanoi, "GET", op, "", "", 404, "", 2, 1},
		{"mailboxes", hoalu, "GET", "/api/v1/mailboxes", "", "", 200, "Nhà văn hóa tổ dân phố Hòa Bình", 2, 1},
		{"mailboxes, another commune", hanoi, "GET", "/api/v1/mailboxes", "", "", 200, `"mailboxes":[]`, 2, 1},
		{"mailbox, committee", bct, "POST", "/api/v1/mailboxes", `{"unit":"14329-001","place":"x","installed_on":"2024-01-01"}`, "", 403, "", 2, 1},
		{"mailbox, bad day", hoalu, "POST", "/api/v1/mailboxes", `{"unit":"14329-001","place":"x","installed_on":"2024-01-01","day":40}`, "", 400, "từ 1 đến 31", 2, 1},
	} {
		hdr := auth(tt.tok)
		if tt.key != "" {
			hdr = append(hdr, "Idempotency-Key", tt.key)
		}
		code, v := f.do(t, tt.method, tt.path, tt.body, hdr...)
		got := fmt.Sprint(v)
		if b, err := jsonText(v); err == nil {
			got = b
		}
		if code != tt.code || !strings.Contains(got, tt.want) {
			t.Errorf("%s: %s %s = %d %s, want %d with %q", tt.name, tt.method, tt.path, code, got, tt.code, tt.want)
		}
		if n, m := letters(), openings(); n != tt.letters || m != tt.openings {
			t.Errorf("%s: %d letters, %d openings after; want %d, %d", tt.name, n, m, tt.letters, tt.openings)
		}
	}
}

// jsonText writes an answer back as JSON, for messages.
func jsonText(v map[string]any) (string, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return b.String(), err
}
