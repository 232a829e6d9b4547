package web

import (
	"net/http"
	"strconv"

	"homthu/internal/homthu"
)

// UsersPage lists, for an administrator, the staff accounts of their unit
// and the units below, with a password reset (the generated password shown
// once, on the answer to the reset) and disable / enable. Both are audited
// by the app; an administrator's own account is changed on its account page.
type UsersPage struct {
	Base
	Users []UserRow
	// Notice says what was just done; NewPassword is the password a reset
	// generated, for Username, shown on this answer only.
	Notice      string
	NewPassword string
	Username    string
	Error       string
}

func (*UsersPage) templateName() string { return "users.html" }

// UserRow is one account in the list.
type UserRow struct {
	ID                   int64
	Username, Role, Unit string
	TOTP, Disabled, Self bool
}

func (s *Server) usersPage(r *http.Request, sess *homthu.Session) (*UsersPage, error) {
	us, err := s.app.Users(r.Context(), sess)
	if err != nil {
		return nil, err
	}
	p := &UsersPage{Base: staffBase("Tài khoản cán bộ", sess)}
	for _, u := range us {
		p.Users = append(p.Users, UserRow{ID: u.ID, Username: u.Username, Role: u.Role.Label(), Unit: u.UnitName,
			TOTP: u.HasTOTP, Disabled: u.Disabled, Self: u.ID == sess.User.ID})
	}
	return p, nil
}

// users answers GET /can-bo/tai-khoan-can-bo.
func (s *Server) users(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p, err := s.usersPage(r, sess)
	if err != nil {
		return err
	}
	return s.renderOK(w, r, p)
}

// userID reads the {user} of the path; a malformed one is not found.
func userID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("user"), 10, 64)
	if err != nil || id <= 0 {
		return 0, homthu.Errorf(homthu.ENOTFOUND, "Không có tài khoản này.")
	}
	return id, nil
}

// nameOf is the username of id in the list, or "".
func (p *UsersPage) nameOf(id int64) string {
	for _, u := range p.Users {
		if u.ID == id {
			return u.Username
		}
	}
	return ""
}

// resetPassword answers POST /can-bo/tai-khoan-can-bo/{user}/dat-lai-mat-khau:
// a generated password, shown once; the account's sessions end.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	pw, err := s.app.ResetPassword(r.Context(), sess, id)
	if err != nil {
		return s.usersError(w, r, sess, err)
	}
	p, err := s.usersPage(r, sess)
	if err != nil {
		return err
	}
	p.Username, p.NewPassword = p.nameOf(id), pw
	return s.renderOK(w, r, p)
}

// setDisabled answers POST /can-bo/tai-khoan-can-bo/{user}/khoa: khoa=1
// disables the account (its sessions stop working at once), khoa=0 enables it.
func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	id, err := userID(r)
	if err != nil {
		return err
	}
	disable := r.PostForm.Get("khoa") == "1"
	if err := s.app.SetUserDisabled(r.Context(), sess, id, disable); err != nil {
		return s.usersError(w, r, sess, err)
	}
	p, err := s.usersPage(r, sess)
	if err != nil {
		return err
	}
	if disable {
		p.Notice = "Đã khóa tài khoản " + p.nameOf(id) + ". Tài khoản không đăng nhập được nữa; các phiên đang mở không còn dùng được."
	} else {
		p.Notice = "Đã mở khóa tài khoản " + p.nameOf(id) + "."
	}
	return s.renderOK(w, r, p)
}

// usersError shows an invalid request on the list; anything else (not in
// scope, not allowed, internal) is the error page.
func (s *Server) usersError(w http.ResponseWriter, r *http.Request, sess *homthu.Session, err error) error {
	if homthu.ErrorCode(err) != homthu.EINVALID {
		return err
	}
	p, perr := s.usersPage(r, sess)
	if perr != nil {
		return perr
	}
	p.Error = homthu.ErrorMessage(err)
	s.render(w, r, statusOf(err), p)
	return nil
}
