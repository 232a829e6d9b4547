package api

import (
	"bytes"
	"context"
	"encoding/json"

	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/store"
	"homthu/internal/store/storetest"
)

// TestIdentityNeverInClear submits a named item and then searches the
// database files (main file and WAL), every log line and every API answer
// to staff for the name, phone and e-mail: none may appear in the clear.
func TestIdentityNeverInClear(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "homthu.db")
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.Tree(t, s)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	keys := &secret.Keys{Receipt: bytes.Repeat([]byte{1}, 32), Identity: bytes.Repeat([]byte{2}, 32)}
	a := &app.App{Store: s, Keys: keys, Log: log, SessionTTL: time.Hour, IdleTTL: time.Hour, Limiter: &app.MemLimiter{}, RateLimit: 300}
	if err := s.CreateUser(ctx, &homthu.User{Username: "tinh", Role: homthu.RoleFront, Unit: "37"}, secret.HashPasswordParams("mat-khau-tinh", secret.TestParams())); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&API{App: a, Log: log}).Handler())
	defer srv.Close()
	f := &fixture{srv: srv, app: a}

	const name, phone, email, addr = "Trịnh Thị Bí Mật", "0987654321", "bimat.nguoigui@example.vn", "Số 7 ngõ Kín"
	body := `{"area":"14329-001","content":"Phản ánh có danh tính","anonymous":false,"submitter":{"name":"` + name + `","phone":"` + phone + `","email":"` + email + `","address":"` + addr + `"}}`
	code, v := f.do(t, "POST", "/api/v1/feedback", body, "Idempotency-Key", "key-with-identity")
	if code != 201 {
		t.Fatalf("submit = %d %v", code, v)
	}
	tok := "Bearer " + f.login(t, "tinh")
	var answers bytes.Buffer
	for _, p := range []string{"/api/v1/items", "/api/v1/items?q=" + "trinh"} {
		_, v := f.do(t, "GET", p, "", "Authorization", tok)
		json.NewEncoder(&answers).Encode(v)
		if items, _ := v["items"].([]any); len(items) > 0 {
			id := items[0].(map[string]any)["id"].(string)
			_, iv := f.do(t, "GET", "/api/v1/items/"+id, "", "Authorization", tok)
			json.NewEncoder(&answers).Encode(iv)
		}
	}
	s.Close() // flush nothing more; read the files as they are on disk
	var disk []byte
	for _, fn := range []string{db, db + "-wal", db + "-shm"} {
		b, err := os.ReadFile(fn)
		if err == nil {
			disk = append(disk, b...)
		}
	}
	if len(disk) == 0 {
		t.Fatal("read no database bytes")
	}
	for _, secretText := range []string{name, phone, email, addr, "Bí Mật", "bimat"} {
		for what, hay := range map[string][]byte{"database files": disk, "logs": logs.Bytes(), "staff API answers": answers.Bytes()} {
			if bytes.Contains(hay, []byte(secretText)) {
				t.Errorf("%q found in the %s", secretText, what)
			}
		}
	}
}

func TestRevealIdentityStepUp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, v := f.do(t, "POST", "/api/v1/feedback", `{"area":"14329-001","content":"Có tên","anonymous":false,"submitter":{"name":"Nguyễn Văn A","phone":"0912345678"}}`)
	_ = v
	_, v = f.do(t, "POST", "/api/v1/feedback", `{"area":"14329-001","content":"Ẩn danh","anonymous":true}`)
	tok := "Bearer " + f.login(t, "hoalu")
	_, list := f.do(t, "GET", "/api/v1/items", "", "Authorization", tok)
	var named, anon string
	for _, it := range list["items"].([]any) {
		m := it.(map[string]any)
		if m["anonymous"].(bool) {
			anon = m["id"].(string)
		} else {
			named = m["id"].(string)
		}
	}
	reveal := func(tok, id, otp, reason string) (int, map[string]any) {
		b, _ := json.Marshal(map[string]string{"otp": otp, "reason": reason})
		return f.do(t, "POST", "/api/v1/items/"+id+"/identity", string(b), "Authorization", tok)
	}
	// Without an enrolled second factor: refused.
	if code, v := reveal(tok, named, "123456", "Cần xác minh thêm nội dung phản ánh"); code != 403 {
		t.Errorf("reveal without TOTP = %d %v, want 403", code, v)
	}
	secretKey, uri, err := f.app.EnrollTOTP(ctx, "hoalu")
	if err != nil || !strings.HasPrefix(uri, "otpauth://totp/") {
		t.Fatalf("EnrollTOTP = %q, %v", uri, err)
	}
	// Login now needs the code.
	if code, v := f.do(t, "POST", "/api/v1/session", `{"username":"hoalu","password":"mat-khau-hoalu"}`); code != 401 {
		t.Errorf("login without otp after enrolment = %d %v", code, v)
	}
	now := time.Now()
	c0, _ := totp.GenerateCode(secretKey, now.Add(-30*time.Second))
	code, v := f.do(t, "POST", "/api/v1/session", `{"username":"hoalu","password":"mat-khau-hoalu","otp":"`+c0+`"}`)
	if code != 200 {
		t.Fatalf("login with otp = %d %v", code, v)
	}
	tok = "Bearer " + v["token"].(string)
	c1, _ := totp.GenerateCode(secretKey, now)
	for _, tt := range []struct {
		name, id, otp, reason string
		want                  int
	}{
		{"no reason", named, c1, "", 400},
		{"short reason", named, c1, "xem", 400},
		{"wrong code", named, "000000", "Cần xác minh thêm nội dung phản ánh", 401},
		{"anonymous item", anon, c1, "Cần xác minh thêm nội dung phản ánh", 404},
		{"ok", named, c1, "Cần xác minh thêm nội dung phản ánh", 200},
		{"code replayed", named, c1, "Cần xác minh thêm nội dung phản ánh", 401},
	} {
		code, v := reveal(tok, tt.id, tt.otp, tt.reason)
		if code != tt.want {
			t.Errorf("reveal %s = %d %v, want %d", tt.name, code, v, tt.want)
		}
		if code == 200 && (v["name"] != "Nguyễn Văn A" || v["phone"] != "0912345678") {
			t.Errorf("revealed %v", v)
		}
	}
	// Another unit's staff: not found, whatever the factor.
	if code, _ := reveal("Bearer "+f.login(t, "hanoi"), named, c1, "Cần xác minh thêm nội dung phản ánh"); code != 404 && code != 403 {
		t.Errorf("reveal by another unit = %d", code)
	}
	// The province's leaders read the audit: the reveal, with its reason.
	if err := f.app.Store.CreateUser(ctx, &homthu.User{Username: "lanhdao", Role: homthu.RoleLeader, Unit: "37"}, secret.HashPasswordParams("mat-khau-lanhdao", secret.TestParams())); err != nil {
		t.Fatal(err)
	}
	_, v = f.do(t, "GET", "/api/v1/audit", "", "Authorization", "Bearer "+f.login(t, "lanhdao"))
	recs := v["records"].([]any)
	reveals := 0
	for _, r := range recs {
		m := r.(map[string]any)
		if m["action"] == homthu.AuditIdentityReveal {
			reveals++
			if m["actor"] != "hoalu" || m["reason"] != "Cần xác minh thêm nội dung phản ánh" || m["item"] != named {
				t.Errorf("audit record %v", m)
			}
		}
	}
	if reveals != 1 {
		t.Errorf("%d reveal records, want 1: %v", reveals, recs)
	}
	if code, _ := f.do(t, "GET", "/api/v1/audit", "", "Authorization", tok); code != 403 {
		t.Errorf("audit read by front staff = %d, want 403", code)
	}
	if n, err := f.app.Store.VerifyAudit(ctx); err != nil || n != 1 {
		t.Errorf("VerifyAudit = %d, %v", n, err)
	}
}

func TestRateLimits(t *testing.T) {
	f := newFixture(t)
	f.app.Limiter = &app.MemLimiter{}
	f.app.RateLimit = 12
	// The API test server has no client address in the context: add one.
	h := (&API{App: f.app}).Handler()
	srv := httptest.NewServer(httpHandlerWithClient(h, "203.0.113.9"))
	defer srv.Close()
	g := &fixture{srv: srv, app: f.app}
	got429 := false
	for i := 0; i < 40; i++ {
		code, v := g.do(t, "POST", "/api/v1/track", `{"receipt":"AAAA-AAAA-AAAA-AAAA-AAA`+string(rune('A'+i%20))+`"}`)
		if code == 429 {
			got429 = true
			if errCode(v) != "rate_limited" || !strings.Contains(v["error"].(map[string]any)["message"].(string), "Xin thử lại") {
				t.Errorf("429 body = %v", v)
			}
			break
		}
	}
	if !got429 {
		t.Error("40 wrong receipts from one address were never rate-limited")
	}
	// Another address is not affected.
	srv2 := httptest.NewServer(httpHandlerWithClient(h, "198.51.100.7"))
	defer srv2.Close()
	if code, _ := (&fixture{srv: srv2, app: f.app}).do(t, "POST", "/api/v1/track", `{"receipt":"AAAA-AAAA-AAAA-AAAA-AAAA"}`); code != 404 {
		t.Errorf("other address = %d, want 404", code)
	}
	// --rate-limit 0 turns the limits off.
	f.app.RateLimit = 0
	for i := 0; i < 30; i++ {
		if code, _ := g.do(t, "POST", "/api/v1/track", `{"receipt":"AAAA-AAAA-AAAA-AAAA-AAAB"}`); code != 404 {
			t.Fatalf("with rate limit 0, request %d = %d", i, code)
		}
	}
}

func httpHandlerWithClient(h http.Handler, addr string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(app.WithClient(r.Context(), addr)))
	})
}
