package app

import (
	"context"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// TOTP second factors follow RFC 6238: 30-second steps, 6 digits, SHA-1
// (what every authenticator app supports), one step of clock skew allowed,
// and each step accepted once.

// EnrollTOTP creates a new second factor for an account, stores it sealed
// and returns the base32 secret and the otpauth:// URI for an authenticator
// app (the command line's user add --totp).
func (a *App) EnrollTOTP(ctx context.Context, username string) (secret, uri string, err error) {
	secret, uri, err = newTOTPKey(username)
	if err != nil {
		return "", "", err
	}
	if err := a.Store.SetTOTP(ctx, username, a.Keys.Seal([]byte(secret), []byte("totp:"+strings.ToLower(username)))); err != nil {
		return "", "", err
	}
	return secret, uri, nil
}

func newTOTPKey(username string) (secret, uri string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "homthu", AccountName: strings.ToLower(username)})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// validTOTP checks a code against a secret at t, allowing one step of skew.
func validTOTP(secret, code string, t time.Time) bool {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return false
	}
	for _, skew := range []int64{0, -1, 1} {
		ok, err := totp.ValidateCustom(code, secret, t.Add(time.Duration(skew)*30*time.Second),
			totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && ok {
			return true
		}
	}
	return false
}

// ErrBadOTP is the answer to a wrong or replayed second-factor code.
var ErrBadOTP = homthu.Errorf(homthu.EUNAUTHORIZED, "Mã xác thực hai lớp (6 chữ số) không đúng hoặc đã dùng. Xin chờ mã mới trên ứng dụng xác thực.")

// checkTOTP verifies a code against an account's enrolled factor and marks
// its time step used.
func (a *App) checkTOTP(ctx context.Context, l *store.UserLogin, code string) error {
	if l.TOTPSecret == nil {
		return homthu.Errorf(homthu.EFORBIDDEN, "Tài khoản chưa đăng ký xác thực hai lớp (TOTP); việc này bắt buộc phải có.")
	}
	secret, err := a.Keys.Open(l.TOTPSecret, []byte("totp:"+l.User.Username))
	if err != nil {
		return err
	}
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return ErrBadOTP
	}
	now := a.now()
	for _, skew := range []int64{0, -1, 1} {
		t := now.Add(time.Duration(skew) * 30 * time.Second)
		ok, err := totp.ValidateCustom(code, string(secret), t, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil || !ok {
			continue
		}
		fresh, err := a.Store.UseTOTPStep(ctx, l.User.ID, t.Unix()/30)
		if err != nil {
			return err
		}
		if !fresh {
			return ErrBadOTP
		}
		return nil
	}
	return ErrBadOTP
}

// RevealIdentity decrypts the identity of a named item's submitter for a
// user allowed to see it, after a step-up: a fresh second-factor code and a
// reason, both required every time. The look is audited before the
// identity is returned.
func (a *App) RevealIdentity(ctx context.Context, s *homthu.Session, id, code, reason string) (*homthu.Identity, error) {
	if err := need(s, homthu.ActRevealIdentity); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if err := homthu.CheckText("Lý do xem danh tính", reason, 500, true); err != nil {
		return nil, err
	}
	if len([]rune(reason)) < 10 {
		return nil, homthu.Errorf(homthu.EINVALID, "Xin ghi rõ lý do cần xem danh tính người phản ánh (ít nhất 10 ký tự).")
	}
	if _, err := a.visibleItem(ctx, s, id); err != nil {
		return nil, err
	}
	sealed, err := a.Store.SealedIdentity(ctx, s.User.Unit, id)
	if err != nil {
		return nil, err
	}
	if sealed == nil {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Thư này gửi ẩn danh: hệ thống không lưu danh tính người gửi.")
	}
	// Wrong codes at the step-up are counted per account: a stolen session
	// cannot try codes until one fits.
	if err := a.over(ctx, "step-up-fail", s.User.Username, stepUpFails, failWindow); err != nil {
		return nil, err
	}
	l, err := a.Store.FindLoginByID(ctx, s.User.ID)
	if err != nil {
		return nil, err
	}
	if err := a.checkTOTP(ctx, l, code); err != nil {
		if homthu.ErrorCode(err) == homthu.EUNAUTHORIZED {
			a.limit(ctx, "step-up-fail", s.User.Username, 1<<30, failWindow)
		}
		return nil, err
	}
	if err := a.Store.Audit(ctx, &homthu.AuditRecord{At: a.now(), Actor: s.User.ID, ActorName: s.User.Username, Unit: s.User.Unit,
		Action: homthu.AuditIdentityReveal, Item: id, Reason: reason}); err != nil {
		return nil, err
	}
	b, err := a.Keys.Open(sealed, []byte("identity:"+id))
	if err != nil {
		return nil, err
	}
	var idn homthu.Identity
	if err := jsonUnmarshal(b, &idn); err != nil {
		return nil, err
	}
	return &idn, nil
}

// AuditLog lists the audit records a leader (or administrator) may read:
// those of their unit and the units below.
func (a *App) AuditLog(ctx context.Context, s *homthu.Session, item string, limit int) ([]*homthu.AuditRecord, error) {
	if err := need(s, homthu.ActReadAudit); err != nil {
		return nil, err
	}
	return a.Store.ListAudit(ctx, s.User.Unit, item, limit)
}
