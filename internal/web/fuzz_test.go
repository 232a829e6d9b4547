package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"homthu/internal/homthu"
)

// FuzzSubmitForm sends arbitrary bodies to the sending form, URL-encoded
// and multipart: whatever arrives, the answer is a page with a 2xx or 4xx
// status — never a crash, never a 5xx.
func FuzzSubmitForm(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", "area=14329-001&key=k&content=N%E1%BB%99i+dung&anonymous=1")
	f.Add("application/x-www-form-urlencoded", "area=14329-001&content=%00&anonymous=0&name=%FF")
	f.Add("application/x-www-form-urlencoded", "area=37&kept=abc.def&drop=abc.def")
	f.Add("multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"area\"\r\n\r\n14329\r\n--X\r\n"+
		"Content-Disposition: form-data; name=\"content\"\r\n\r\nabc\r\n--X\r\n"+
		"Content-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 trailer\r\n--X--\r\n")
	f.Add("multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\"\r\n\r\n\r\n--X")
	f.Add("multipart/form-data", "")
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, contentType, body string) {
		req := httptest.NewRequest("POST", "/gui", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Errorf("POST /gui (%q, %q) = %d\n%s", contentType, body, w.Code, w.Body)
		}
		if w.Code != http.StatusOK && !strings.Contains(w.Body.String(), `role="alert"`) {
			t.Errorf("POST /gui (%q, %q) = %d without an alert", contentType, body, w.Code)
		}
	})
}

// FuzzAttachmentToken checks that no token but one the server made passes.
func FuzzAttachmentToken(f *testing.F) {
	e := newEnv(f)
	good := e.srv.attachmentToken(homthuAttachment())
	f.Add(good)
	f.Add("")
	f.Add(".")
	f.Add(good[:len(good)-2])
	f.Add(strings.Replace(good, ".", "x.", 1))
	f.Fuzz(func(t *testing.T, tok string) {
		a, err := e.srv.parseAttachmentToken(tok)
		if err == nil && tok != good {
			t.Errorf("parseAttachmentToken(%q) = %+v, accepted a token the server did not make", tok, a)
		}
		if tok == good && (err != nil || a != homthuAttachment()) {
			t.Errorf("parseAttachmentToken(good) = %+v, %v", a, err)
		}
	})
}

func homthuAttachment() homthu.Attachment {
	return homthu.Attachment{SHA256: strings.Repeat("ab", 32), Name: "ảnh.jpg", Type: "image/jpeg", Size: 12345}
}

// FuzzVerifyBundle sends arbitrary bodies to the public bundle verifier:
// whatever arrives, a page with a 2xx or 4xx status, never a crash or a 5xx.
func FuzzVerifyBundle(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", "bundle=%7B%7D")
	f.Add("application/x-www-form-urlencoded", `bundle={"index":0,"leaf":"homthu/v1 item 14329 2026-11 AAAA\n","leaf_hash":"","proof":[],"tree_size":1,"checkpoint":"","opening":{"salt":"","text_hash":""}}`)
	f.Add("multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"bundle_file\"; filename=\"b.json\"\r\n\r\n{\"index\":-1}\r\n--X--\r\n")
	f.Add("multipart/form-data", "")
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, contentType, body string) {
		req := httptest.NewRequest("POST", "/minh-bach", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Errorf("POST /minh-bach (%q, %q) = %d\n%s", contentType, body, w.Code, w.Body)
		}
	})
}

// FuzzEnrolToken checks that no enrolment token but one the server made
// for this account passes.
func FuzzEnrolToken(f *testing.F) {
	e := newEnv(f)
	sess := &homthu.Session{User: &homthu.User{ID: 7, Username: "xa", Role: homthu.RoleFront}}
	enrol, err := e.srv.enrolment(sess, "JBSWY3DPEHPK3PXP", "otpauth://totp/homthu:xa?secret=JBSWY3DPEHPK3PXP", e.srv.now())
	if err != nil {
		f.Fatal(err)
	}
	good := enrol.Token
	f.Add(good)
	f.Add("")
	f.Add(".")
	f.Add(good[:len(good)-2])
	f.Add(strings.Replace(good, ".", "x.", 1))
	f.Fuzz(func(t *testing.T, tok string) {
		secret, _, _, err := e.srv.parseEnrolToken(sess, tok)
		if err == nil && tok != good {
			t.Errorf("parseEnrolToken(%q) = %q, accepted a token the server did not make", tok, secret)
		}
		if tok == good && (err != nil || secret != "JBSWY3DPEHPK3PXP") {
			t.Errorf("parseEnrolToken(good) = %q, %v", secret, err)
		}
	})
}
