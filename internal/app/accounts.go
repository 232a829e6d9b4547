package app

import (
	"context"
	"fmt"

	"homthu/internal/homthu"
	"homthu/internal/secret"
)

// MinPassword is the shortest password accepted.
const MinPassword = 10

func checkNewPassword(p string) error {
	if len([]rune(p)) < MinPassword {
		return homthu.Errorf(homthu.EINVALID, "Mật khẩu mới phải có ít nhất %d ký tự.", MinPassword)
	}
	if len(p) > 1024 {
		return homthu.Errorf(homthu.EINVALID, "Mật khẩu mới quá dài.")
	}
	return nil
}

// ChangePassword changes the session user's own password after checking the
// current one; every session of the account ends, this one included.
func (a *App) ChangePassword(ctx context.Context, s *homthu.Session, current, next string) error {
	if err := need(s, homthu.ActSession); err != nil {
		return err
	}
	if err := checkNewPassword(next); err != nil {
		return err
	}
	l, err := a.Store.FindLoginByID(ctx, s.User.ID)
	if err != nil {
		return err
	}
	if !secret.CheckPassword(l.PasswordHash, current) {
		return homthu.Errorf(homthu.EUNAUTHORIZED, "Mật khẩu hiện tại không đúng.")
	}
	return a.Store.SetPassword(ctx, s.User.ID, secret.HashPassword(next))
}

// LogoutEverywhere ends every session of the session user: pages on every
// device and API tokens.
func (a *App) LogoutEverywhere(ctx context.Context, s *homthu.Session) error {
	if err := need(s, homthu.ActSession); err != nil {
		return err
	}
	return a.Store.DeleteUserSessions(ctx, s.User.ID)
}

// ResetPassword gives an account in the administrator's scope a new
// generated password (returned once), clears its lock-out and ends its
// sessions. The reset is audited.
func (a *App) ResetPassword(ctx context.Context, s *homthu.Session, userID int64) (string, error) {
	u, err := a.manageable(ctx, s, userID)
	if err != nil {
		return "", err
	}
	pw := secret.GeneratePassword()
	if err := a.Store.SetPassword(ctx, u.ID, secret.HashPassword(pw)); err != nil {
		return "", err
	}
	return pw, a.Store.Audit(ctx, &homthu.AuditRecord{At: a.now(), Actor: s.User.ID, ActorName: s.User.Username, Unit: s.User.Unit,
		Action: homthu.AuditPasswordReset, Reason: u.Username})
}

// SetUserDisabled disables or re-enables an account in the administrator's scope.
func (a *App) SetUserDisabled(ctx context.Context, s *homthu.Session, userID int64, disabled bool) error {
	u, err := a.manageable(ctx, s, userID)
	if err != nil {
		return err
	}
	if err := a.Store.SetDisabled(ctx, u.ID, disabled); err != nil {
		return err
	}
	act := homthu.AuditUserEnable
	if disabled {
		act = homthu.AuditUserDisable
	}
	return a.Store.Audit(ctx, &homthu.AuditRecord{At: a.now(), Actor: s.User.ID, ActorName: s.User.Username, Unit: s.User.Unit,
		Action: act, Reason: u.Username})
}

// Users lists the accounts in an administrator's scope.
func (a *App) Users(ctx context.Context, s *homthu.Session) ([]*homthu.User, error) {
	if err := need(s, homthu.ActManageUsers); err != nil {
		return nil, err
	}
	return a.Store.ListUsers(ctx, s.User.Unit, 1000)
}

func (a *App) manageable(ctx context.Context, s *homthu.Session, userID int64) (*homthu.User, error) {
	if err := need(s, homthu.ActManageUsers); err != nil {
		return nil, err
	}
	if userID == s.User.ID {
		return nil, homthu.Errorf(homthu.EINVALID, "Không tự đặt lại hay khóa tài khoản của chính mình ở đây; hãy dùng trang Tài khoản.")
	}
	return a.Store.FindUser(ctx, s.User.Unit, userID)
}

// EnrollOwnTOTP starts enrolling a second factor for the session user: it
// returns a new secret and its otpauth:// URI, not yet stored. ConfirmTOTP
// stores it once the user proves their app produces its codes.
func (a *App) EnrollOwnTOTP(ctx context.Context, s *homthu.Session) (secretB32, uri string, err error) {
	if err := need(s, homthu.ActSession); err != nil {
		return "", "", err
	}
	return newTOTPKey(s.User.Username)
}

// ConfirmTOTP stores a second factor for the session user if the password
// is the account's (a stolen session alone must not be able to enrol a
// factor and then pass the identity step-up) and code is valid for
// secretB32 now.
func (a *App) ConfirmTOTP(ctx context.Context, s *homthu.Session, secretB32, code, password string) error {
	if err := need(s, homthu.ActSession); err != nil {
		return err
	}
	if err := a.over(ctx, "step-up-fail", s.User.Username, stepUpFails, failWindow); err != nil {
		return err
	}
	l, err := a.Store.FindLoginByID(ctx, s.User.ID)
	if err != nil {
		return err
	}
	if !secret.CheckPassword(l.PasswordHash, password) {
		a.limit(ctx, "step-up-fail", s.User.Username, 1<<30, failWindow)
		return homthu.Errorf(homthu.EUNAUTHORIZED, "Mật khẩu không đúng.")
	}
	if !validTOTP(secretB32, code, a.now()) {
		a.limit(ctx, "step-up-fail", s.User.Username, 1<<30, failWindow)
		return ErrBadOTP
	}
	if err := a.Store.SetTOTP(ctx, s.User.Username, a.Keys.Seal([]byte(secretB32), []byte("totp:"+s.User.Username))); err != nil {
		return fmt.Errorf("app.ConfirmTOTP: %w", err)
	}
	return nil
}
