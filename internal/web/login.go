package web

import (
	"net/http"
	"net/url"
	"strings"

	"homthu/internal/homthu"
)

// sessionCookie is the staff session cookie. Its Path confines it to the
// staff pages: a citizen's requests never carry it.
const (
	sessionCookie = "homthu_phien"
	staffPath     = "/can-bo/"
	loginPath     = "/can-bo/dang-nhap"
	accountPath   = "/can-bo/tai-khoan"
)

// LoginPage is the staff login form. A wrong password and an unknown user
// get the same message (app.Login makes them take the same time too). An
// account with two-factor authentication also gives its 6-digit code.
type LoginPage struct {
	Base
	Username string
	Next     string
	Error    string
	// Notice says why the person is here again: the password was changed,
	// or every session was ended.
	Notice string
}

// loginNotices are the notices the login form shows after an account
// action ended the session (?thong-bao=).
var loginNotices = map[string]string{
	"mat-khau": "Đã đổi mật khẩu. Mọi phiên đăng nhập của tài khoản đã kết thúc; xin đăng nhập lại bằng mật khẩu mới.",
	"moi-noi":  "Đã đăng xuất tài khoản trên mọi thiết bị (cả các khóa truy cập API). Xin đăng nhập lại.",
}

func (*LoginPage) templateName() string { return "login.html" }

func newLoginPage(next string) *LoginPage {
	p := &LoginPage{Next: safeNext(next)}
	p.Title = "Đăng nhập cán bộ"
	p.Staff = true
	return p
}

// safeNext keeps a return address only if it is a staff page of this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, staffPath) || strings.ContainsAny(next, "\\\r\n") || strings.HasPrefix(next, "//") {
		return staffPath
	}
	return next
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	p := newLoginPage(r.URL.Query().Get("next"))
	p.Notice = loginNotices[r.URL.Query().Get("thong-bao")]
	s.render(w, r, http.StatusOK, p)
	return nil
}

// login answers POST /can-bo/dang-nhap: a new session (a fresh token, so a
// cookie planted before login is never promoted) and a redirect.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	p := newLoginPage(r.PostForm.Get("next"))
	p.Username = r.PostForm.Get("username")
	token, sess, err := s.app.LoginOTP(r.Context(), p.Username, r.PostForm.Get("password"), r.PostForm.Get("otp"))
	if err != nil {
		s.logIfInternal(r, err)
		p.Error = homthu.ErrorMessage(err)
		s.render(w, r, statusOf(err), p)
		return nil
	}
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     staffPath,
		Expires:  sess.ExpiresAt,
		HttpOnly: true,
		Secure:   s.overTLS(r),
		SameSite: http.SameSiteLaxMode,
	})
	// A role that has no inbox lands on its work — an agency handler on
	// its referrals, the area committee on its mailboxes — or else (editor,
	// for now) on its account page, rather than on a refusal.
	if p.Next == staffPath && !sess.User.Role.Can(homthu.ActReadItems) {
		p.Next = accountPath
		if sess.User.Role.Can(homthu.ActHandleReferral) {
			p.Next = agencyPath
		}
		if sess.User.Role.Can(homthu.ActRecordOpening) {
			p.Next = mailboxesPath
		}
	}
	http.Redirect(w, r, p.Next, http.StatusSeeOther)
	return nil
}

// logout answers POST /can-bo/dang-xuat.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.app.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSession(w, r)
	http.Redirect(w, r, loginPath, http.StatusSeeOther)
	return nil
}

// clearSession tells the browser to forget the session cookie.
func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: staffPath, MaxAge: -1,
		HttpOnly: true, Secure: s.overTLS(r), SameSite: http.SameSiteLaxMode})
}

// staffFunc is a staff page handler; it gets the live session.
type staffFunc func(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error

// staffOnly requires a live session whose role may do act; without a
// session, the person is sent to the login form, which brings them back
// here; a role that may not is refused (403).
func (s *Server) staffOnly(act homthu.Action, h staffFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		toLogin := func() error {
			next := staffPath
			if r.Method == http.MethodGet {
				next = r.URL.RequestURI()
			}
			http.Redirect(w, r, loginPath+"?next="+url.QueryEscape(next), http.StatusSeeOther)
			return nil
		}
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			return toLogin()
		}
		sess, err := s.app.Session(r.Context(), c.Value)
		if homthu.ErrorCode(err) == homthu.EINTERNAL {
			return err
		} else if err != nil {
			return toLogin()
		}
		if !sess.User.Role.Can(act) {
			return homthu.Errorf(homthu.EFORBIDDEN, "Tài khoản %s (%s) không được dùng trang này.", sess.User.Username, sess.User.Role.Label())
		}
		return h(w, r, sess)
	}
}

// staffBase is the Base of a staff page.
func staffBase(title string, sess *homthu.Session) Base {
	return Base{Title: title, Staff: true, User: sess.User}
}
