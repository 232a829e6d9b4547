package web

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"strings"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
)

// AccountPage is a staff member's own account: change the password, end
// every session, and enrol a second factor (TOTP, RFC 6238), which revealing
// a submitter's identity requires (issue 5).
type AccountPage struct {
	Base
	// Notice says what was just done.
	Notice string
	// PasswordError is what was wrong with a password change.
	PasswordError string
	// Enrol is a second factor being enrolled; EnrolError what was wrong
	// with the confirming code.
	Enrol      *TOTPEnrolment
	EnrolError string
	// EmailError is what was wrong with the address for notices, and
	// EmailValue what was typed.
	EmailError, EmailValue string
}

func (*AccountPage) templateName() string { return "account.html" }

// TOTPEnrolment is a new second factor shown for the user's authenticator
// app: the secret to type, the otpauth:// URI as a QR code, and the token
// that carries the secret through the confirmation form.
type TOTPEnrolment struct {
	Secret string // base32, in groups of four
	QR     template.HTML
	Token  string
}

func (s *Server) accountPage(sess *homthu.Session) *AccountPage {
	return &AccountPage{Base: staffBase("Tài khoản của tôi", sess)}
}

// account answers GET /can-bo/tai-khoan.
func (s *Server) account(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p := s.accountPage(sess)
	if r.URL.Query().Get("thong-bao") == "totp" && sess.User.HasTOTP {
		p.Notice = "Đã bật xác thực hai lớp. Từ nay khi đăng nhập và khi xem danh tính người phản ánh, bạn cần mã 6 chữ số trên ứng dụng xác thực."
	}
	if r.URL.Query().Get("thong-bao") == "thu-dien-tu" {
		p.Notice = "Đã lưu địa chỉ nhận thông báo qua thư điện tử."
		if sess.User.Email == "" {
			p.Notice = "Đã thôi gửi thông báo qua thư điện tử."
		}
	}
	return s.renderOK(w, r, p)
}

// changePassword answers POST /can-bo/tai-khoan/mat-khau. A new password
// ends every session of the account, this one included: the person logs in
// again with it.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	next := r.PostForm.Get("new")
	var err error = homthu.Errorf(homthu.EINVALID, "Hai lần nhập mật khẩu mới không giống nhau.")
	if next == r.PostForm.Get("confirm") {
		err = s.app.ChangePassword(r.Context(), sess, r.PostForm.Get("current"), next)
	}
	if err == nil {
		s.clearSession(w, r)
		http.Redirect(w, r, loginPath+"?thong-bao=mat-khau", http.StatusSeeOther)
		return nil
	}
	if homthu.ErrorCode(err) == homthu.EINTERNAL {
		return err
	}
	p := s.accountPage(sess)
	p.PasswordError = homthu.ErrorMessage(err)
	s.render(w, r, statusOf(err), p)
	return nil
}

// logoutEverywhere answers POST /can-bo/tai-khoan/dang-xuat-moi-noi: every
// session of the account ends — pages on every device and API tokens.
func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := s.app.LogoutEverywhere(r.Context(), sess); err != nil {
		return err
	}
	s.clearSession(w, r)
	http.Redirect(w, r, loginPath+"?thong-bao=moi-noi", http.StatusSeeOther)
	return nil
}

// errHasTOTP refuses a second enrolment from the page: replacing a factor
// with nothing but a session would let whoever holds the session past the
// step-up. An administrator resets it.
var errHasTOTP = homthu.Errorf(homthu.ECONFLICT, "Tài khoản đã bật xác thực hai lớp. Để chuyển sang thiết bị khác, xin nhờ quản trị hệ thống đặt lại.")

// startTOTP answers POST /can-bo/tai-khoan/xac-thuc-hai-lop: a new secret,
// shown with its QR code; nothing is stored until confirmTOTP.
func (s *Server) startTOTP(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if sess.User.HasTOTP {
		return errHasTOTP
	}
	secret, uri, err := s.app.EnrollOwnTOTP(r.Context(), sess)
	if err != nil {
		return err
	}
	p := s.accountPage(sess)
	if p.Enrol, err = s.enrolment(sess, secret, uri, s.now()); err != nil {
		return err
	}
	return s.renderOK(w, r, p)
}

// confirmTOTP answers POST /can-bo/tai-khoan/xac-thuc-hai-lop/xac-nhan: the
// first code from the app proves it holds the secret, which is then stored.
func (s *Server) confirmTOTP(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	if sess.User.HasTOTP {
		return errHasTOTP
	}
	token := r.PostForm.Get("token")
	secret, uri, issued, err := s.parseEnrolToken(sess, token)
	if err != nil {
		return err
	}
	err = s.app.ConfirmTOTP(r.Context(), sess, secret, r.PostForm.Get("otp"), r.PostForm.Get("password"))
	if err == nil {
		http.Redirect(w, r, accountPath+"?thong-bao=totp", http.StatusSeeOther)
		return nil
	}
	if homthu.ErrorCode(err) == homthu.EINTERNAL {
		return err
	}
	p := s.accountPage(sess)
	p.EnrolError = homthu.ErrorMessage(err)
	badCode := err == app.ErrBadOTP
	if p.Enrol, err = s.enrolment(sess, secret, uri, issued); err != nil {
		return err
	}
	if badCode {
		p.EnrolError = "Mã chưa đúng. Xin kiểm tra đồng hồ của điện thoại, chờ mã mới trên ứng dụng rồi nhập lại."
	}
	s.render(w, r, http.StatusBadRequest, p)
	return nil
}

// The secret being enrolled travels in a hidden field of the confirmation
// form, in a token authenticated with an HMAC under the deployment's key and
// bound to the account and the time it was issued: no one can make the
// server store a secret it did not generate, for another account, or long
// after. The page is never cached (no-store).
const (
	enrolPurpose = "web: totp enrolment"
	enrolMaxAge  = 20 * time.Minute
)

type enrolPayload struct {
	User   int64  `json:"u"`
	Secret string `json:"s"`
	URI    string `json:"r"`
	Issued int64  `json:"t"`
}

func (s *Server) enrolment(sess *homthu.Session, secret, uri string, issued time.Time) (*TOTPEnrolment, error) {
	svg, err := qrSVG(uri, "Mã QR để thêm tài khoản vào ứng dụng xác thực")
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(enrolPayload{User: sess.User.ID, Secret: secret, URI: uri, Issued: issued.Unix()})
	payload := base64.RawURLEncoding.EncodeToString(b)
	mac := s.app.Keys.Hash(enrolPurpose, payload)
	var groups []string
	for i := 0; i < len(secret); i += 4 {
		groups = append(groups, secret[i:min(i+4, len(secret))])
	}
	return &TOTPEnrolment{Secret: strings.Join(groups, " "), QR: svg,
		Token: payload + "." + base64.RawURLEncoding.EncodeToString(mac)}, nil
}

func (s *Server) parseEnrolToken(sess *homthu.Session, tok string) (secret, uri string, issued time.Time, err error) {
	bad := homthu.Errorf(homthu.EINVALID, "Phiên bật xác thực hai lớp đã hết hạn hoặc không hợp lệ. Xin bấm “Bật xác thực hai lớp” để bắt đầu lại.")
	payload, macText, ok := strings.Cut(tok, ".")
	if !ok || len(tok) > 2000 {
		return "", "", time.Time{}, bad
	}
	mac, err := base64.RawURLEncoding.Strict().DecodeString(macText)
	if err != nil || !hmac.Equal(mac, s.app.Keys.Hash(enrolPurpose, payload)) {
		return "", "", time.Time{}, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	var p enrolPayload
	if err != nil || json.Unmarshal(b, &p) != nil {
		return "", "", time.Time{}, bad
	}
	issued = time.Unix(p.Issued, 0)
	if p.User != sess.User.ID || s.now().Sub(issued) > enrolMaxAge || issued.After(s.now().Add(time.Minute)) {
		return "", "", time.Time{}, bad
	}
	return p.Secret, p.URI, issued, nil
}
