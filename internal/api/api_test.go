package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/store/storetest"
)

type fixture struct {
	srv *httptest.Server
	app *app.App
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := storetest.Open(t, "sqlite")
	storetest.Tree(t, s)
	keys := &secret.Keys{Receipt: make([]byte, 32), Identity: make([]byte, 32)}
	a := &app.App{Store: s, Keys: keys, SessionTTL: time.Hour, IdleTTL: time.Hour}
	ctx := context.Background()
	if _, err := s.InstallShippedCatalogs(ctx); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ name, role, unit string }{
		{"tinh", "front", "37"}, {"hoalu", "front", "14329"}, {"hanoi", "front", "01"}, {"bct", "committee", "14329-001"},
	} {
		if err := s.CreateUser(ctx, &homthu.User{Username: u.name, Role: homthu.Role(u.role), Unit: u.unit}, secret.HashPasswordParams("mat-khau-"+u.name, secret.TestParams())); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer((&API{App: a}).Handler())
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, app: a}
}

func (f *fixture) do(t *testing.T, method, path, body string, hdr ...string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var v map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s %s: response is not JSON: %q", method, path, b)
		}
	}
	return res.StatusCode, v
}

func (f *fixture) login(t *testing.T, user string) string {
	t.Helper()
	code, v := f.do(t, "POST", "/api/v1/session", `{"username":"`+user+`","password":"mat-khau-`+user+`"}`)
	if code != 200 {
		t.Fatalf("login %s: %d %v", user, code, v)
	}
	return v["token"].(string)
}

func errCode(v map[string]any) string {
	e, _ := v["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestFeedbackScenarios(t *testing.T) {
	f := newFixture(t)
	big := `{"area":"14329-001","content":"` + strings.Repeat("a", MaxBody) + `","anonymous":true}`
	for _, tt := range []struct {
		name, body string
		want       int
		code       string
	}{
		{"anonymous", `{"area":"14329-001","content":"Cán bộ phường uống rượu trong giờ làm việc","anonymous":true}`, 201, ""},
		{"named", `{"area":"14329-001","content":"Nội dung","anonymous":false,"submitter":{"name":"Nguyễn Văn A","phone":"0912345678"}}`, 201, ""},
		{"to province", `{"area":"14329-001","to":"province","content":"Về lãnh đạo phường","anonymous":true}`, 201, ""},
		{"commune as area", `{"area":"14330","content":"Nội dung","anonymous":true}`, 201, ""},
		{"anonymous with submitter", `{"area":"14329-001","content":"x","anonymous":true,"submitter":{"name":"A"}}`, 400, "invalid"},
		{"named without name", `{"area":"14329-001","content":"x","anonymous":false}`, 400, "invalid"},
		{"empty content", `{"area":"14329-001","content":"   \n ","anonymous":true}`, 400, "invalid"},
		{"unknown area", `{"area":"99999-001","content":"x","anonymous":true}`, 400, "invalid"},
		{"province as area", `{"area":"37","content":"x","anonymous":true}`, 400, "invalid"},
		{"bad to", `{"area":"14329-001","to":"nation","content":"x","anonymous":true}`, 400, "invalid"},
		{"unknown field", `{"area":"14329-001","content":"x","anonymous":true,"ip":"1.2.3.4"}`, 400, "invalid"},
		{"malformed", `{"area":`, 400, "invalid"},
		{"trailing", `{"area":"14329-001","content":"x","anonymous":true} {}`, 400, "invalid"},
		{"wrong type", `{"area":"14329-001","content":"x","anonymous":"yes"}`, 400, "invalid"},
		{"NUL", `{"area":"14329-001","content":"a\u0000b","anonymous":true}`, 400, "invalid"},
		{"invalid UTF-8", "{\"area\":\"14329-001\",\"content\":\"a\xffb\",\"anonymous\":true}", 400, "invalid"},
		{"empty body", ``, 400, "invalid"},
		{"too large", big, 413, "too_large"},
		{"SQL metacharacters", `{"area":"14329-001'; DROP TABLE items;--","content":"x","anonymous":true}`, 400, "invalid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, v := f.do(t, "POST", "/api/v1/feedback", tt.body)
			if code != tt.want || errCode(v) != tt.code {
				t.Errorf("POST /api/v1/feedback %s = %d %v, want %d %q", tt.name, code, v, tt.want, tt.code)
			}
			if code == 201 {
				rc, _ := v["receipt"].(string)
				if _, err := homthu.NormalizeReceipt(rc); err != nil {
					t.Errorf("receipt %q: %v", rc, err)
				}
			}
			if e, ok := v["error"].(map[string]any); ok && e["message"] == "" {
				t.Error("error without a message")
			}
		})
	}
	items, _, _ := f.app.Store.ListItems(context.Background(), homthu.ItemFilter{Scope: "37", Limit: 100})
	if len(items) != 4 {
		t.Errorf("stored %d items, want 4 (the failed requests must change nothing)", len(items))
	}
}

func TestReceivedAtPrecision(t *testing.T) {
	f := newFixture(t)
	_, v := f.do(t, "POST", "/api/v1/feedback", `{"area":"14329-001","content":"x","anonymous":true}`)
	if at := v["received_at"].(string); len(at) != 10 {
		t.Errorf("anonymous received_at = %q, want a date only", at)
	}
	_, v = f.do(t, "POST", "/api/v1/feedback", `{"area":"14329-001","content":"x","anonymous":false,"submitter":{"name":"A"}}`)
	if _, err := time.Parse(time.RFC3339, v["received_at"].(string)); err != nil {
		t.Errorf("named received_at = %q, want RFC 3339", v["received_at"])
	}
}

func TestIdempotencyKey(t *testing.T) {
	f := newFixture(t)
	body := `{"area":"14329-001","content":"Bấm hai lần","anonymous":true}`
	var wg sync.WaitGroup
	receipts := make([]string, 8)
	for i := range receipts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, v := f.do(t, "POST", "/api/v1/feedback", body, "Idempotency-Key", "k-123")
			if code != 201 {
				t.Errorf("attempt %d: %d %v", i, code, v)
				return
			}
			receipts[i] = v["receipt"].(string)
		}()
	}
	wg.Wait()
	for _, r := range receipts[1:] {
		if r != receipts[0] {
			t.Fatalf("same Idempotency-Key gave different receipts: %v", receipts)
		}
	}
	code, v := f.do(t, "POST", "/api/v1/feedback", `{"area":"14329-001","content":"khác","anonymous":true}`, "Idempotency-Key", "k-123")
	if code != 409 || errCode(v) != "conflict" {
		t.Errorf("same key, other body = %d %v, want 409 conflict", code, v)
	}
	items, _, _ := f.app.Store.ListItems(context.Background(), homthu.ItemFilter{Scope: "37"})
	if len(items) != 1 {
		t.Errorf("%d items stored, want 1", len(items))
	}
}

func TestTrack(t *testing.T) {
	f := newFixture(t)
	_, v := f.do(t, "POST", "/api/v1/feedback", `{"area":"14329-001","content":"Theo dõi","anonymous":true}`)
	rc := v["receipt"].(string)
	messy := strings.ToLower(strings.ReplaceAll(rc, "-", " "))
	for _, tt := range []struct {
		body string
		want int
	}{
		{`{"receipt":"` + rc + `"}`, 200},
		{`{"receipt":"` + messy + `"}`, 200},
		{`{"receipt":"` + strings.ReplaceAll(rc, "-", "") + `"}`, 200},
		{`{"receipt":"AAAA-AAAA-AAAA-AAAA-AAAA"}`, 404},
		{`{"receipt":"short"}`, 400},
		{`{}`, 400},
	} {
		code, v := f.do(t, "POST", "/api/v1/track", tt.body)
		if code != tt.want {
			t.Errorf("POST /api/v1/track %s = %d %v, want %d", tt.body, code, v, tt.want)
		}
		if code == 200 && (v["status"] != "received" || v["messages"] == nil) {
			t.Errorf("track = %v", v)
		}
	}
	if code, v := f.do(t, "POST", "/api/v1/track/messages", `{"receipt":"`+messy+`","body":"Tôi bổ sung thông tin."}`); code != 201 {
		t.Errorf("track message = %d %v", code, v)
	}
	_, v = f.do(t, "POST", "/api/v1/track", `{"receipt":"`+rc+`"}`)
	msgs := v["messages"].([]any)
	if len(msgs) != 1 || msgs[0].(map[string]any)["from"] != "citizen" || len(msgs[0].(map[string]any)["at"].(string)) != 10 {
		t.Errorf("messages = %v, want one citizen message with a date only", msgs)
	}
	if code, _ := f.do(t, "GET", "/api/v1/track?receipt="+rc, ""); code != 405 {
		t.Errorf("GET /api/v1/track = %d, want 405: receipts never travel in a URL", code)
	}
}

func TestStaffScope(t *testing.T) {
	f := newFixture(t)
	for _, b := range []string{
		`{"area":"14329-001","content":"thư về tổ dân phố Hòa Bình","anonymous":true}`,
		`{"area":"14329-001","to":"province","content":"thư về chủ tịch phường","anonymous":true}`,
		`{"area":"14330-001","content":"thư về thôn Đông","anonymous":true}`,
	} {
		if code, v := f.do(t, "POST", "/api/v1/feedback", b); code != 201 {
			t.Fatal(code, v)
		}
	}
	tok := map[string]string{}
	for _, u := range []string{"tinh", "hoalu", "hanoi", "bct"} {
		tok[u] = "Bearer " + f.login(t, u)
	}
	count := func(user, query string) (int, int, map[string]any) {
		code, v := f.do(t, "GET", "/api/v1/items"+query, "", "Authorization", tok[user])
		items, _ := v["items"].([]any)
		return code, len(items), v
	}
	for _, tt := range []struct {
		user, query string
		status, n   int
	}{
		{"tinh", "", 200, 3},
		{"hoalu", "", 200, 1},
		{"hanoi", "", 200, 0},
		{"tinh", "?unit=14330", 200, 1},
		{"tinh", "?q=hoa+binh", 200, 1},
		{"tinh", "?q=CHỦ+TỊCH", 200, 1},
		{"hoalu", "?q=chu+tich", 200, 0},
		{"tinh", "?status=received", 200, 3},
		{"tinh", "?status=done", 400, 0},
		{"tinh", "?limit=1", 200, 1},
		{"tinh", "?limit=x", 400, 0},
		{"hoalu", "?unit=14330", 404, 0},
		{"bct", "", 403, 0},
	} {
		code, n, v := count(tt.user, tt.query)
		if code != tt.status || n != tt.n {
			t.Errorf("GET /api/v1/items%s as %s = %d with %d items (%v), want %d with %d", tt.query, tt.user, code, n, v, tt.status, tt.n)
		}
	}
	// Paging with limit=1 walks all three.
	seen, cursor := 0, ""
	for i := 0; i < 5; i++ {
		_, v := f.do(t, "GET", "/api/v1/items?limit=1&cursor="+cursor, "", "Authorization", tok["tinh"])
		seen += len(v["items"].([]any))
		cursor = v["next_cursor"].(string)
		if cursor == "" {
			break
		}
	}
	if seen != 3 {
		t.Errorf("paged through %d items, want 3", seen)
	}
	// Another unit's item: 404, never 403.
	_, v := f.do(t, "GET", "/api/v1/items?q=dong", "", "Authorization", tok["tinh"])
	id := v["items"].([]any)[0].(map[string]any)["id"].(string)
	for _, tt := range []struct {
		user string
		want int
	}{{"tinh", 200}, {"hoalu", 404}, {"hanoi", 404}} {
		if code, v := f.do(t, "GET", "/api/v1/items/"+id, "", "Authorization", tok[tt.user]); code != tt.want {
			t.Errorf("GET item as %s = %d %v, want %d", tt.user, code, v, tt.want)
		}
	}
	if code, v := f.do(t, "GET", "/api/v1/items", ""); code != 401 || errCode(v) != "unauthorized" {
		t.Errorf("no token = %d %v", code, v)
	}
	if code, _ := f.do(t, "POST", "/api/v1/items/"+id+"/messages", `{"body":"Xin bổ sung chứng cứ."}`, "Authorization", tok["tinh"]); code != 201 {
		t.Errorf("staff message = %d", code)
	}
	if code, _ := f.do(t, "POST", "/api/v1/items/"+id+"/messages", `{"body":"x"}`, "Authorization", tok["hoalu"]); code != 404 {
		t.Errorf("staff message outside scope = %d, want 404", code)
	}
	if code, _ := f.do(t, "DELETE", "/api/v1/session", "", "Authorization", tok["tinh"]); code != 204 {
		t.Errorf("logout = %d", code)
	}
	if code, _ := f.do(t, "GET", "/api/v1/items", "", "Authorization", tok["tinh"]); code != 401 {
		t.Errorf("after logout = %d, want 401", code)
	}
}

func TestLogin(t *testing.T) {
	f := newFixture(t)
	// A stopped clock: the lock-out must still hold when the right password
	// comes, however slow the machine.
	stopped := time.Now()
	f.app.Now = func() time.Time { return stopped }
	_, unknown := f.do(t, "POST", "/api/v1/session", `{"username":"khongco","password":"x"}`)
	_, wrong := f.do(t, "POST", "/api/v1/session", `{"username":"tinh","password":"sai"}`)
	if errCode(unknown) != "unauthorized" || unknown["error"].(map[string]any)["message"] != wrong["error"].(map[string]any)["message"] {
		t.Errorf("unknown user %v and wrong password %v must answer alike", unknown, wrong)
	}
	for i := 0; i < 6; i++ {
		f.do(t, "POST", "/api/v1/session", `{"username":"tinh","password":"sai"}`)
	}
	if code, _ := f.do(t, "POST", "/api/v1/session", `{"username":"tinh","password":"mat-khau-tinh"}`); code != 401 {
		t.Errorf("right password during lock-out = %d, want 401", code)
	}
}

func TestRoutesAndErrors(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct {
		method, path string
		want         int
		code         string
	}{
		{"GET", "/api/v1/nothing", 404, "not_found"},
		{"GET", "/api/v2/units", 404, "not_found"},
		{"PUT", "/api/v1/feedback", 405, "invalid"},
		{"GET", "/api/v1/feedback", 405, "invalid"},
		{"GET", "/api/v1/units?q=", 400, "invalid"},
		{"GET", "/api/v1/units?q=hoa&kind=planet", 400, "invalid"},
	} {
		code, v := f.do(t, tt.method, tt.path, "")
		if code != tt.want || errCode(v) != tt.code {
			t.Errorf("%s %s = %d %v, want %d %s", tt.method, tt.path, code, v, tt.want, tt.code)
		}
	}
	code, v := f.do(t, "GET", "/api/v1/openapi.json", "")
	if code != 200 || v["openapi"] != "3.0.3" {
		t.Errorf("openapi = %d", code)
	}
	_, v = f.do(t, "GET", "/api/v1/units?q=ninh+khanh", "")
	us := v["units"].([]any)
	if len(us) != 1 || us[0].(map[string]any)["code"] != "14329" || len(us[0].(map[string]any)["formerly"].([]any)) != 1 {
		t.Errorf("units?q=ninh khanh = %v", v)
	}
	_, v = f.do(t, "GET", "/api/v1/units?q=hoa+binh&kind=area", "")
	u := v["units"].([]any)[0].(map[string]any)
	if p := u["path"].([]any); len(p) != 2 || p[1] != "Phường Hoa Lư" {
		t.Errorf("area path = %v", p)
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"area":"1","content":"x","anonymous":true}`, `{`, `{"subject":{"name":1}}`, "\xff", `{"a":1}{}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var req FeedbackRequest
		err := decodeJSON(b, &req)
		if err != nil && homthu.ErrorCode(err) != homthu.EINVALID {
			t.Fatalf("decodeJSON(%q) = %v: want nil or EINVALID", b, err)
		}
	})
}

// TestOpenAPICoversRoutes checks that every route of the API is in the
// OpenAPI document with its method.
func TestOpenAPICoversRoutes(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openapi, &doc); err != nil {
		t.Fatal(err)
	}
	for _, rt := range (&API{}).routes() {
		if rt.pattern == "/api/v1/openapi.json" {
			continue
		}
		if _, ok := doc.Paths[rt.pattern][strings.ToLower(rt.method)]; !ok {
			t.Errorf("%s %s is not in openapi.json", rt.method, rt.pattern)
		}
	}
}
