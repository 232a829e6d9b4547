package web

import (
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
	"homthu/internal/store"
)

var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// TestEditorialBoard walks "Gửi ban biên tập": a form posted too soon after
// it was served, with a forged token, or with a field missing is a
// Vietnamese 400 keeping what was typed (and the attachment); the honeypot
// is thanked and dropped; a good message with a photo reaches the editors'
// inbox (not a Front officer's); the sixth message of an hour from one
// address is refused; an answer goes to the mail queue once per form; a
// message with only a telephone number cannot be mailed; done and open
// again.
func TestEditorialBoard(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, homthu.VNTime)
	e := newEnv(t, func(c *Config) {
		c.App.Now = func() time.Time { return now }
		c.App.Limiter = &app.MemLimiter{}
	})
	e.addUser("bbt", homthu.RoleEditor, "37")
	ctx := t.Context()
	form := func() string {
		t.Helper()
		r := e.do("GET", "/gui-ban-bien-tap", nil, nil)
		m := tokenRE.FindStringSubmatch(r.Body)
		if r.StatusCode != 200 || m == nil || !strings.Contains(r.Body, `name="website"`) {
			t.Fatalf("GET /gui-ban-bien-tap = %d, token %v", r.StatusCode, m)
		}
		return m[1]
	}
	post := func(v url.Values, files map[string][]byte) resp {
		t.Helper()
		ct, body := multipartForm(t, v, files)
		req := httptest.NewRequest("POST", "/gui-ban-bien-tap", body)
		req.Header.Set("Content-Type", ct)
		return e.serve(req)
	}
	good := func(tok string) url.Values {
		return url.Values{"token": {tok}, "name": {"Nguyễn Thị Lan"}, "contact": {"lan@example.vn"}, "subject": {"Sửa tên phường trong bản tin"},
			"text": {"Bản tin ngày 5/12 ghi nhầm tên phường Hoa Lư.\nXin sửa lại."}}
	}
	messages := func() []*homthu.EditorialMessage {
		t.Helper()
		ms, _, err := e.store.EditorialMessages(ctx, store.EditorialFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}

	tok := form()
	// Too soon: the bots that post at once.
	r := post(good(tok), nil)
	if r.StatusCode != 400 || !strings.Contains(r.Body, "quá nhanh") || !strings.Contains(r.Body, "Sửa tên phường trong bản tin") || !strings.Contains(r.Body, "Xin sửa lại.") {
		t.Errorf("posted at once = %d; want a 400 keeping the text", r.StatusCode)
	}
	now = now.Add(10 * time.Second)
	for _, tt := range []struct {
		name   string
		change func(url.Values)
		want   string
		field  string
	}{
		{"forged token", func(v url.Values) { v.Set("token", "abc.def") }, "không còn hợp lệ", ""},
		{"no name", func(v url.Values) { v.Set("name", " ") }, "Họ tên: xin ghi", "name"},
		{"bad contact", func(v url.Values) { v.Set("contact", "gọi tôi") }, "Liên hệ:", "contact"},
		{"no text", func(v url.Values) { v.Set("text", "") }, "Nội dung: xin ghi", "text"},
	} {
		v := good(tok)
		tt.change(v)
		r := post(v, map[string][]byte{"ảnh.png": pngBytes(t)})
		if r.StatusCode != 400 || !strings.Contains(r.Body, tt.want) || !strings.Contains(r.Body, `value="`+v.Get("subject")+`"`) ||
			!strings.Contains(r.Body, `name="kept"`) || (tt.field != "" && !strings.Contains(r.Body, `href="#f-`+tt.field+`"`)) {
			t.Errorf("%s = %d; want a 400 with %q, the subject and the file kept\n%s", tt.name, r.StatusCode, tt.want, r.Body)
		}
	}
	// The honeypot: thanked, not stored.
	v := good(tok)
	v.Set("website", "http://spam.example")
	if r := post(v, nil); r.StatusCode != http.StatusSeeOther || len(messages()) != 0 {
		t.Errorf("honeypot = %d, %d stored", r.StatusCode, len(messages()))
	}
	if len(messages()) != 0 {
		t.Fatal("a refused message was stored")
	}
	// A good one, with a photo.
	r = post(good(tok), map[string][]byte{"ảnh.png": pngBytes(t)})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/gui-ban-bien-tap/da-gui" {
		t.Fatalf("good message = %d %s\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	ms := messages()
	if len(ms) != 1 || ms[0].Attachment == nil || ms[0].Attachment.Type != "image/png" || ms[0].Text != "Bản tin ngày 5/12 ghi nhầm tên phường Hoa Lư.\nXin sửa lại." {
		t.Fatalf("stored %+v", ms)
	}
	id := ms[0].ID
	href := "/can-bo/ban-bien-tap/" + strconv.FormatInt(id, 10)
	// Four more in the hour, then the limit.
	v = good(tok)
	v.Set("contact", "0912 345 678")
	for i := 0; i < 4; i++ {
		if r := post(v, nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("message %d = %d", i+2, r.StatusCode)
		}
	}
	if r := post(v, nil); r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.Body, "quá nhiều") || !strings.Contains(r.Body, "Xin sửa lại.") {
		t.Errorf("sixth message in an hour = %d; want 429 keeping the text", r.StatusCode)
	}
	phoneID := messages()[0].ID

	// The inbox: editors, not Front officers.
	bbt, xa := e.login("bbt"), e.login("xa")
	if r := e.do("GET", "/can-bo/ban-bien-tap", nil, bbt); r.StatusCode != 200 || strings.Count(r.Body, `href="/can-bo/ban-bien-tap/`) != 5 || !strings.Contains(r.Body, "(có tệp)") {
		t.Errorf("inbox = %d\n%s", r.StatusCode, r.Body)
	}
	for _, p := range []string{"/can-bo/ban-bien-tap", href} {
		if r := e.do("GET", p, nil, xa); r.StatusCode != 403 && r.StatusCode != 404 {
			t.Errorf("a Front officer GET %s = %d", p, r.StatusCode)
		}
	}
	if r := e.do("GET", href, nil, bbt); r.StatusCode != 200 || !strings.Contains(r.Body, "lan@example.vn") || !strings.Contains(r.Body, `action="`+href+`/tra-loi"`) {
		t.Errorf("message page = %d", r.StatusCode)
	}
	if r := e.do("GET", href+"/tep", nil, bbt); r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/png" {
		t.Errorf("attachment = %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	// An empty answer keeps nothing; an answer is queued once per form key.
	if r := e.do("POST", href+"/tra-loi", url.Values{"reply": {" "}, "key": {"k1"}}, bbt); r.StatusCode != 400 || !strings.Contains(r.Body, "Thư trả lời") {
		t.Errorf("empty reply = %d", r.StatusCode)
	}
	for range 2 {
		if r := e.do("POST", href+"/tra-loi", url.Values{"reply": {"Cảm ơn chị, ban biên tập đã sửa."}, "key": {"k1"}}, bbt); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("reply = %d\n%s", r.StatusCode, r.Body)
		}
	}
	stats, err := e.store.JobStats(ctx, mail.KindEditorial)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 1 || stats[0].Waiting != 1 {
		t.Errorf("editorial mail queued = %+v, want one waiting", stats)
	}
	m, _ := e.store.FindEditorialMessage(ctx, id)
	if m.Status != homthu.EditorialReplied || m.RepliedBy != "bbt" || m.Reply != "Cảm ơn chị, ban biên tập đã sửa." {
		t.Errorf("after the reply: %+v", m)
	}
	phone := "/can-bo/ban-bien-tap/" + strconv.FormatInt(phoneID, 10)
	if r := e.do("POST", phone+"/tra-loi", url.Values{"reply": {"Đã nhận."}}, bbt); r.StatusCode != 400 || !strings.Contains(r.Body, "số điện thoại") {
		t.Errorf("reply to a phone number = %d", r.StatusCode)
	}
	// Done, and open again.
	if r := e.do("POST", href+"/xong", url.Values{"xong": {"1"}}, bbt); r.StatusCode != http.StatusSeeOther {
		t.Errorf("done = %d", r.StatusCode)
	}
	if m, _ := e.store.FindEditorialMessage(ctx, id); m.Status != homthu.EditorialDone || m.DoneBy != "bbt" {
		t.Errorf("after done: %s", m.Status)
	}
	if r := e.do("GET", "/can-bo/ban-bien-tap?tinh-trang=done", nil, bbt); strings.Count(r.Body, `href="/can-bo/ban-bien-tap/`) != 1 {
		t.Errorf("the done tab does not list it")
	}
	e.do("POST", href+"/xong", url.Values{"xong": {"0"}}, bbt)
	if m, _ := e.store.FindEditorialMessage(ctx, id); m.Status != homthu.EditorialReplied {
		t.Errorf("opened again: %s, want replied", m.Status)
	}
	for _, tt := range []struct {
		method, path string
		form         url.Values
		status       int
	}{
		{"POST", href + "/xong", url.Values{"xong": {"x"}}, 400},
		{"GET", "/can-bo/ban-bien-tap/999", nil, 404},
		{"GET", "/can-bo/ban-bien-tap/abc", nil, 404},
		{"GET", phone + "/tep", nil, 404},
		{"GET", "/can-bo/ban-bien-tap?truoc=x", nil, 400},
		{"GET", "/can-bo/ban-bien-tap?tinh-trang=zz", nil, 400},
	} {
		if r := e.do(tt.method, tt.path, tt.form, bbt); r.StatusCode != tt.status {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, r.StatusCode, tt.status)
		}
	}
}
