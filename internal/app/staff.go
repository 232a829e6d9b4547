package app

import (
	"context"
	"strings"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/vntext"
)

// Login slow-down: after freeAttempts failures in a row an account refuses
// attempts for a delay that doubles with every further failure, up to
// maxLock. A correct password within the delay is refused too, so guessing
// gets no faster by being patient with a script.
const (
	freeAttempts = 4
	maxLock      = 15 * time.Minute
)

var errBadLogin = homthu.Errorf(homthu.EUNAUTHORIZED,
	"Tên đăng nhập hoặc mật khẩu không đúng. Sau nhiều lần nhập sai, tài khoản sẽ tạm khóa ít phút.")

// Login checks a username and password and opens a session. The answer for
// an unknown user, a wrong password, a disabled or a locked account is the
// same, and takes the same time.
func (a *App) Login(ctx context.Context, username, password string) (token string, sess *homthu.Session, err error) {
	return a.LoginOTP(ctx, username, password, "")
}

// LoginOTP is Login with a second-factor code, required when the account
// has one enrolled. A wrong code counts as a failed attempt.
func (a *App) LoginOTP(ctx context.Context, username, password, otp string) (token string, sess *homthu.Session, err error) {
	if len(username) > 64 || len(password) > 1024 {
		return "", nil, errBadLogin
	}
	// Per-address lock-out, part of the password lock-out: always on.
	client := clientOf(ctx)
	if err := a.over(ctx, "login-fail", client, loginFailsPerAddr, failWindow); err != nil {
		return "", nil, err
	}
	token, sess, err = a.login(ctx, username, password, otp)
	if homthu.ErrorCode(err) == homthu.EUNAUTHORIZED {
		if lerr := a.limit(ctx, "login-fail", client, 1<<30, failWindow); lerr != nil {
			return "", nil, lerr
		}
	}
	return token, sess, err
}

func (a *App) login(ctx context.Context, username, password, otp string) (token string, sess *homthu.Session, err error) {
	l, err := a.Store.FindLogin(ctx, username)
	if homthu.ErrorCode(err) == homthu.ENOTFOUND {
		secret.DummyCheck(password)
		return "", nil, errBadLogin
	} else if err != nil {
		return "", nil, err
	}
	now := a.now()
	if now.Before(l.LockedUntil) || l.User.Disabled {
		secret.DummyCheck(password)
		return "", nil, errBadLogin
	}
	ok := secret.CheckPassword(l.PasswordHash, password)
	if ok && l.TOTPSecret != nil {
		if otp == "" {
			return "", nil, homthu.Errorf(homthu.EUNAUTHORIZED, "Tài khoản này dùng xác thực hai lớp: xin nhập mã 6 chữ số trên ứng dụng xác thực.")
		}
		ok = a.checkTOTP(ctx, l, otp) == nil
	}
	if !ok {
		lock := time.Time{}
		if f := l.Failed + 1; f >= freeAttempts {
			d := time.Second << min(f-freeAttempts, 20)
			lock = now.Add(min(d, maxLock))
		}
		if err := a.Store.RecordLogin(ctx, l.User.ID, false, lock); err != nil {
			return "", nil, err
		}
		return "", nil, errBadLogin
	}
	if l.Failed > 0 {
		if err := a.Store.RecordLogin(ctx, l.User.ID, true, time.Time{}); err != nil {
			return "", nil, err
		}
	}
	token = secret.Token()
	exp := now.Add(a.SessionTTL)
	if err := a.Store.CreateSession(ctx, secret.TokenHash(token), l.User.ID, now, exp); err != nil {
		return "", nil, err
	}
	return token, &homthu.Session{User: l.User, ExpiresAt: exp}, nil
}

// Session returns the live session of a token.
func (a *App) Session(ctx context.Context, token string) (*homthu.Session, error) {
	if token == "" || len(token) > 100 {
		return nil, homthu.Errorf(homthu.EUNAUTHORIZED, "Xin đăng nhập.")
	}
	return a.Store.FindSession(ctx, secret.TokenHash(token), a.now(), a.IdleTTL)
}

// Logout ends a session.
func (a *App) Logout(ctx context.Context, token string) error {
	return a.Store.DeleteSession(ctx, secret.TokenHash(token))
}

func need(s *homthu.Session, act homthu.Action) error {
	if s == nil || s.User == nil {
		return homthu.Errorf(homthu.EUNAUTHORIZED, "Xin đăng nhập.")
	}
	if !s.User.Role.Can(act) {
		return homthu.Errorf(homthu.EFORBIDDEN, "Vai trò %s không được làm việc này.", s.User.Role.Label())
	}
	return nil
}

// Items lists the items in the session's scope: its unit and everything
// below, never another unit's.
func (a *App) Items(ctx context.Context, s *homthu.Session, f homthu.ItemFilter) ([]*homthu.Item, string, error) {
	if err := need(s, homthu.ActReadItems); err != nil {
		return nil, "", err
	}
	f.Scope, f.Viewer, f.Today = s.User.Unit, s.User.ID, homthu.Today(a.now())
	f.Query = vntext.NFC(f.Query)
	return a.Store.ListItems(ctx, f)
}

// Item opens one item in the session's scope; outside it, ENOTFOUND.
func (a *App) Item(ctx context.Context, s *homthu.Session, id string) (*homthu.Item, []homthu.Message, error) {
	it, err := a.visibleItem(ctx, s, id)
	if err != nil {
		return nil, nil, err
	}
	if err := a.Store.Audit(ctx, &homthu.AuditRecord{At: a.now(), Actor: s.User.ID, ActorName: s.User.Username, Unit: s.User.Unit,
		Action: homthu.AuditItemOpen, Item: id}); err != nil {
		return nil, nil, err
	}
	msgs, err := a.Store.Messages(ctx, id)
	return it, msgs, err
}

// StaffMessage writes a message from the Front to the submitter of an item
// in the session's scope.
func (a *App) StaffMessage(ctx context.Context, s *homthu.Session, id, body string) error {
	if err := need(s, homthu.ActMessage); err != nil {
		return err
	}
	if _, err := a.visibleItem(ctx, s, id); err != nil {
		return err
	}
	body = strings.TrimSpace(vntext.NFC(body))
	if err := homthu.CheckText("Nội dung tin nhắn", body, homthu.MaxMessageRunes, true); err != nil {
		return err
	}
	return a.Store.AddMessage(ctx, id, homthu.Message{From: "front", Body: body, At: a.now()}, s.User.ID)
}

// Attachment opens an attachment of an item in the session's scope.
func (a *App) Attachment(ctx context.Context, s *homthu.Session, id string, pos int) (*homthu.Attachment, error) {
	it, err := a.visibleItem(ctx, s, id)
	if err != nil {
		return nil, err
	}
	if pos < 0 || pos >= len(it.Attachments) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có tệp đính kèm này.")
	}
	if err := a.Store.Audit(ctx, &homthu.AuditRecord{At: a.now(), Actor: s.User.ID, ActorName: s.User.Username, Unit: s.User.Unit,
		Action: homthu.AuditAttachment, Item: id, Reason: it.Attachments[pos].Name}); err != nil {
		return nil, err
	}
	return &it.Attachments[pos], nil
}
