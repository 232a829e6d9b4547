package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/jobs"
	"homthu/internal/mail"
	"homthu/internal/secret"
	"homthu/internal/store"
	"homthu/internal/store/storetest"
	"homthu/internal/translog"
	"homthu/internal/upload"
)

// env is a Server on a fresh SQLite database holding storetest.Tree:
//
//	37 Tỉnh Ninh Bình
//	  14329 Phường Hoa Lư        (staff: "xa", front)
//	    14329-001 Tổ dân phố Hòa Bình
//	  14330 Xã Gia Viễn          (no staff)
//	    14330-001 Thôn Đông
//	01 Thành phố Hà Nội          (staff: "hanoi", front)
//	  00004 Phường Ba Đình
//
// with "tinh" (front) and "admin" (admin) at 37.
type env struct {
	t     testing.TB
	srv   *Server
	h     http.Handler
	app   *app.App
	store *store.Store
	cfg   Config
}

const testPassword = "mật khẩu thử 2026"

func newEnv(t testing.TB, mod ...func(*Config)) *env {
	t.Helper()
	return newEngineEnv(t, "sqlite", mod...)
}

// newEngineEnv is newEnv on a database of engine ("sqlite" or "postgres").
func newEngineEnv(t testing.TB, engine string, mod ...func(*Config)) *env {
	t.Helper()
	s := storetest.Open(t, engine)
	storetest.Tree(t, s)
	keys := &secret.Keys{Receipt: make([]byte, 32), Identity: make([]byte, 32)}
	rand.Read(keys.Receipt)
	rand.Read(keys.Identity)
	skey, _, err := translog.GenerateKey("homthu.test/log")
	if err != nil {
		t.Fatal(err)
	}
	tl, err := translog.New(translog.Config{Store: s.TransLog(), SignerKey: skey, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	a := &app.App{
		Store: s, Keys: keys, Blobs: &upload.Blobs{Dir: t.TempDir()},
		Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		SessionTTL: time.Hour, IdleTTL: 30 * time.Minute,
		TransLog: tl,
	}
	cfg := Config{App: a}
	for _, m := range mod {
		m(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx := context.Background()
	if _, err := s.InstallShippedCatalogs(ctx); err != nil {
		t.Fatal(err)
	}
	hash := secret.HashPasswordParams(testPassword, secret.TestParams())
	for _, u := range []homthu.User{
		{Username: "xa", Role: homthu.RoleFront, Unit: "14329"},
		{Username: "tinh", Role: homthu.RoleFront, Unit: "37"},
		{Username: "admin", Role: homthu.RoleAdmin, Unit: "37"},
		{Username: "hanoi", Role: homthu.RoleFront, Unit: "01"},
	} {
		if err := s.CreateUser(ctx, &u, hash); err != nil {
			t.Fatalf("CreateUser(%s): %v", u.Username, err)
		}
	}
	return &env{t: t, srv: srv, h: withClient(srv.Handler()), app: a, store: s, cfg: cfg}
}

// withClient puts the client's address in the request's context, as
// homthu serve does (cli.withClient), for the rate limits.
func withClient(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := strings.Cut(r.RemoteAddr, ":")
		h.ServeHTTP(w, r.WithContext(app.WithClient(r.Context(), host)))
	})
}

// addUser creates an account and returns its id.
func (e *env) addUser(name string, role homthu.Role, unit string) int64 {
	e.t.Helper()
	u := homthu.User{Username: name, Role: role, Unit: unit}
	if err := e.store.CreateUser(context.Background(), &u, secret.HashPasswordParams(testPassword, secret.TestParams())); err != nil {
		e.t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u.ID
}

// userID returns the id of an account.
// addNotice gives the account a notice and returns its id.
func (e *env) addNotice(user int64, text, link string) int64 {
	e.t.Helper()
	err := e.store.Transact(context.Background(), func(tx *store.Tx) error {
		_, err := e.app.Notify(context.Background(), tx, homthu.NewNotice{To: homthu.NoticeTo{User: user}, Text: text, Link: link})
		return err
	})
	if err != nil {
		e.t.Fatalf("Notify: %v", err)
	}
	ns, _, err := e.store.ListNotices(context.Background(), user, 0, false, 1)
	if err != nil || len(ns) == 0 {
		e.t.Fatalf("ListNotices: %v", err)
	}
	return ns[0].ID
}

// addStaffMail queues a mail to a staff address.
func (e *env) addStaffMail(to string) {
	e.t.Helper()
	err := e.store.Transact(context.Background(), func(tx *store.Tx) error {
		return mail.EnqueueStaff(context.Background(), tx, e.app.Keys, mail.StaffMail{To: to, Subject: "Nhắc việc", Text: "Có việc cần làm."})
	})
	if err != nil {
		e.t.Fatalf("EnqueueStaff: %v", err)
	}
}

// addJob enqueues a job (waiting, so that running it again is refused)
// and returns its id.
func (e *env) addJob() int64 {
	e.t.Helper()
	var id int64
	err := e.store.Transact(context.Background(), func(tx *store.Tx) error {
		var err error
		id, _, err = jobs.Enqueue(context.Background(), tx, "test.job", nil, jobs.Opt{})
		return err
	})
	if err != nil {
		e.t.Fatalf("Enqueue: %v", err)
	}
	return id
}

func (e *env) userID(name string) int64 {
	e.t.Helper()
	l, err := e.store.FindLogin(context.Background(), name)
	if err != nil {
		e.t.Fatalf("FindLogin(%s): %v", name, err)
	}
	return l.User.ID
}

// resp is an answer, with its body read.
type resp struct {
	*http.Response
	Body string
}

// do sends a request; form goes URL-encoded in the body of a POST, or in
// the query of a GET.
func (e *env) do(method, path string, form url.Values, cookie *http.Cookie) resp {
	e.t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	} else if form != nil {
		path += "?" + form.Encode()
	}
	req := httptest.NewRequest(method, path, body)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return e.serve(req)
}

func (e *env) serve(req *http.Request) resp {
	e.t.Helper()
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	return resp{res, string(b)}
}

// login logs a user in through the form and returns the session cookie.
func (e *env) login(user string) *http.Cookie {
	e.t.Helper()
	r := e.do("POST", "/can-bo/dang-nhap", url.Values{"username": {user}, "password": {testPassword}}, nil)
	if r.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login(%s) = %d, want 303\n%s", user, r.StatusCode, r.Body)
	}
	for _, c := range r.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	e.t.Fatalf("login(%s): no session cookie", user)
	return nil
}

// multipartForm builds a multipart body of fields and files (name → content).
func multipartForm(t *testing.T, fields url.Values, files map[string][]byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		w, err := mw.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), &buf
}

// multipartFile builds a multipart body with one file under field.
func multipartFile(t *testing.T, field, name string, data []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	mw.Close()
	return mw.FormDataContentType(), &buf
}

var regexpMust = regexp.MustCompile

var receiptRE = regexp.MustCompile(`<p class="code"[^>]*>((?:<span>[0-9A-Z]{4}</span> ?){5})</p>`)

// receiptOf extracts the receipt from a receipt page.
func receiptOf(t *testing.T, body string) string {
	t.Helper()
	m := receiptRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no receipt code on the page:\n%s", body)
	}
	return strings.Join(regexp.MustCompile(`[0-9A-Z]{4}`).FindAllString(m[1], -1), "-")
}

// field returns the value attribute of the input named name.
func field(body, name string) string {
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return htmlUnescape(m[1])
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&#43;", "+").Replace(s)
}

// countItems counts every item in the tree (both provinces).
func (e *env) countItems() int {
	e.t.Helper()
	n := 0
	for _, scope := range []string{"37", "01"} {
		c, err := e.store.CountItemsByStatus(context.Background(), scope)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, v := range c {
			n += v
		}
	}
	return n
}

// submitForm is a valid sending form for area.
func submitValues(area, key, content string) url.Values {
	return url.Values{"area": {area}, "key": {key}, "to": {"commune"}, "content": {content}, "anonymous": {"1"}}
}
