package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

const userCols = `u.id, u.username, u.role, u.unit, n.full_name, u.disabled, u.created, u.totp_secret IS NOT NULL, u.email,
    u.full_name, u.position, COALESCE(u.agency, 0)`

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*homthu.User, error) {
	var u homthu.User
	var created int64
	dest := append([]any{&u.ID, &u.Username, &u.Role, &u.Unit, &u.UnitName, &u.Disabled, &created, &u.HasTOTP, &u.Email,
		&u.FullName, &u.Position, &u.Agency}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	u.Created = time.UnixMilli(created)
	return &u, nil
}

// CreateUser adds a staff account with an already hashed password. Usernames
// are compared in lower case.
func (s *Store) CreateUser(ctx context.Context, u *homthu.User, passwordHash string) error {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	if u.Username == "" || len(u.Username) > 64 || strings.ContainsAny(u.Username, " \t\r\n/\\\x00") {
		return homthu.Errorf(homthu.EINVALID, "Tên đăng nhập không hợp lệ: 1–64 ký tự, không có dấu cách.")
	}
	if !u.Role.Valid() {
		return homthu.Errorf(homthu.EINVALID, "Vai trò %q không hợp lệ.", u.Role)
	}
	u.FullName, u.Position = strings.TrimSpace(vntext.NFC(u.FullName)), strings.TrimSpace(vntext.NFC(u.Position))
	for _, f := range []struct{ label, v string }{{"Họ tên", u.FullName}, {"Chức vụ", u.Position}} {
		if err := homthu.CheckText(f.label, f.v, homthu.MaxShortRunes, false); err != nil {
			return err
		}
	}
	// A handler account belongs to an agency (without one it sees nothing);
	// no other account does.
	if u.Agency != 0 && u.Role != homthu.RoleAgency {
		return homthu.Errorf(homthu.EINVALID, "Chỉ tài khoản cán bộ cơ quan có thẩm quyền (vai trò agency) mới gắn với một cơ quan.")
	}
	u.Created = s.now()
	err := s.Transact(ctx, func(tx *Tx) error {
		if u.Agency != 0 {
			// A handler sits at its agency's unit.
			err := tx.QueryRow(ctx, `SELECT unit FROM agencies WHERE id = ? AND disabled = FALSE`, u.Agency).Scan(&u.Unit)
			if errors.Is(err, sql.ErrNoRows) {
				return homthu.Errorf(homthu.EINVALID, "Không có cơ quan có mã %d (hoặc cơ quan đã ngừng nhận).", u.Agency)
			} else if err != nil {
				return err
			}
		}
		var kind string
		if err := tx.QueryRow(ctx, `SELECT kind FROM units WHERE code = ?`, u.Unit).Scan(&kind); errors.Is(err, sql.ErrNoRows) {
			return homthu.Errorf(homthu.EINVALID, "Không có đơn vị có mã %q.", u.Unit)
		} else if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE username = ?`, u.Username).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return homthu.Errorf(homthu.ECONFLICT, "Tên đăng nhập %q đã có người dùng.", u.Username)
		}
		var agency any
		if u.Agency != 0 {
			agency = u.Agency
		}
		if err := tx.QueryRow(ctx, `INSERT INTO users (username, role, unit, password_hash, created, email, full_name, position, agency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Username, string(u.Role), u.Unit, passwordHash, u.Created.UnixMilli(), u.Email, u.FullName, u.Position, agency).Scan(&u.ID); err != nil {
			return err
		}
		if u.Role == homthu.RoleFront {
			_, err := tx.Exec(ctx, `UPDATE units SET has_staff = TRUE WHERE code = ?`, u.Unit)
			return err
		}
		return nil
	})
	if err != nil && homthu.ErrorCode(err) == homthu.EINTERNAL {
		return fmt.Errorf("store.CreateUser: %w", err)
	}
	return err
}

// UserLogin is what a login check needs about an account.
type UserLogin struct {
	User         *homthu.User
	PasswordHash string
	TOTPSecret   []byte // sealed; nil when no second factor is enrolled
	TOTPLast     int64  // the last time step accepted, against replay
	Failed       int
	LockedUntil  time.Time
}

// FindLogin returns the account with the username for a login check, or
// ENOTFOUND.
func (s *Store) FindLogin(ctx context.Context, username string) (*UserLogin, error) {
	var l UserLogin
	var locked int64
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userCols+`, u.password_hash, u.failed, u.locked_until, u.totp_secret, u.totp_last FROM users u JOIN units n ON n.code = u.unit WHERE u.username = ?`,
		strings.ToLower(strings.TrimSpace(username))), &l.PasswordHash, &l.Failed, &locked, &l.TOTPSecret, &l.TOTPLast)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có tài khoản này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindLogin: %w", err)
	}
	l.User = u
	l.LockedUntil = time.UnixMilli(locked)
	return &l, nil
}

// RecordLogin notes the outcome of a login attempt: a success clears the
// failure count; a failure increments it and sets the time before which the
// account refuses attempts.
func (s *Store) RecordLogin(ctx context.Context, id int64, ok bool, lockedUntil time.Time) error {
	var err error
	if ok {
		_, err = s.exec(ctx, `UPDATE users SET failed = 0, locked_until = 0 WHERE id = ?`, id)
	} else {
		_, err = s.exec(ctx, `UPDATE users SET failed = failed + 1, locked_until = ? WHERE id = ?`, lockedUntil.UnixMilli(), id)
	}
	if err != nil {
		return fmt.Errorf("store.RecordLogin: %w", err)
	}
	return nil
}

// ListUsers lists accounts at or under a unit.
func (s *Store) ListUsers(ctx context.Context, under string, limit int) ([]*homthu.User, error) {
	lo, hi, err := s.scopeRange(ctx, under)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.query(ctx, `SELECT `+userCols+` FROM users u JOIN units n ON n.code = u.unit WHERE n.path >= ? AND n.path < ? ORDER BY n.path, u.username LIMIT ?`, lo, hi, limit)
	if err != nil {
		return nil, fmt.Errorf("store.ListUsers: %w", err)
	}
	defer rows.Close()
	var out []*homthu.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store.ListUsers: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateSession stores a session by the hash of its token, created at now
// (the caller's clock, the same one FindSession is asked with).
func (s *Store) CreateSession(ctx context.Context, tokenHash []byte, userID int64, created, expires time.Time) error {
	now := created.UnixMilli()
	_, err := s.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created, expires, last_seen) VALUES (?, ?, ?, ?, ?)`,
		tokenHash, userID, now, expires.UnixMilli(), now)
	if err != nil {
		return fmt.Errorf("store.CreateSession: %w", err)
	}
	return nil
}

// FindSession returns the user of a live session: not expired, not idle
// longer than idle, and the account not disabled. It refreshes last_seen at
// most once a minute. now is the caller's clock, the one the session was
// created with.
func (s *Store) FindSession(ctx context.Context, tokenHash []byte, now time.Time, idle time.Duration) (*homthu.Session, error) {
	var expires, lastSeen int64
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userCols+`, s.expires, s.last_seen FROM sessions s JOIN users u ON u.id = s.user_id JOIN units n ON n.code = u.unit
WHERE s.token_hash = ? AND s.expires > ? AND s.last_seen > ? AND u.disabled = FALSE`, tokenHash, now.UnixMilli(), now.Add(-idle).UnixMilli()), &expires, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.EUNAUTHORIZED, "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Xin đăng nhập lại.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindSession: %w", err)
	}
	if now.UnixMilli()-lastSeen > 60_000 {
		if _, err := s.exec(ctx, `UPDATE sessions SET last_seen = ? WHERE token_hash = ?`, now.UnixMilli(), tokenHash); err != nil {
			return nil, fmt.Errorf("store.FindSession: %w", err)
		}
	}
	return &homthu.Session{User: u, ExpiresAt: time.UnixMilli(expires)}, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("store.DeleteSession: %w", err)
	}
	return nil
}

// PurgeSessions deletes expired sessions.
func (s *Store) PurgeSessions(ctx context.Context) error {
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE expires <= ?`, s.now().UnixMilli()); err != nil {
		return fmt.Errorf("store.PurgeSessions: %w", err)
	}
	return nil
}

// FindLoginByID is FindLogin by account id (for a step-up check).
func (s *Store) FindLoginByID(ctx context.Context, id int64) (*UserLogin, error) {
	var name string
	if err := s.queryRow(ctx, `SELECT username FROM users WHERE id = ?`, id).Scan(&name); errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có tài khoản này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindLoginByID: %w", err)
	}
	return s.FindLogin(ctx, name)
}

// SetTOTP enrols (sealed != nil) or removes a second factor.
func (s *Store) SetTOTP(ctx context.Context, username string, sealed []byte) error {
	res, err := s.exec(ctx, `UPDATE users SET totp_secret = ?, totp_last = 0 WHERE username = ?`, sealed, strings.ToLower(strings.TrimSpace(username)))
	if err != nil {
		return fmt.Errorf("store.SetTOTP: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return homthu.Errorf(homthu.ENOTFOUND, "Không có tài khoản %q.", username)
	}
	return nil
}

// UseTOTPStep records that the time step was used, and reports false if it
// (or a later one) was used before: a code is good once.
func (s *Store) UseTOTPStep(ctx context.Context, id, step int64) (bool, error) {
	res, err := s.exec(ctx, `UPDATE users SET totp_last = ? WHERE id = ? AND totp_last < ?`, step, id, step)
	if err != nil {
		return false, fmt.Errorf("store.UseTOTPStep: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// SealedIdentity returns the sealed identity of a named item in scope.
func (s *Store) SealedIdentity(ctx context.Context, scope, id string) ([]byte, error) {
	lo, hi, err := s.scopeRange(ctx, scope)
	if err != nil {
		return nil, err
	}
	var sealed []byte
	err = s.queryRow(ctx, `SELECT identity FROM items WHERE id = ? AND scope >= ? AND scope < ?`, id, lo, hi).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.SealedIdentity: %w", err)
	}
	return sealed, nil
}

// SealedIdentityTx returns, in tx, the sealed identity of an item's
// submitter (nil for an anonymous item or an erased identity), unscoped:
// for the system's own use (the news mail), never to show a person.
func SealedIdentityTx(ctx context.Context, tx *Tx, id string) ([]byte, error) {
	var sealed []byte
	err := tx.QueryRow(ctx, `SELECT identity FROM items WHERE id = ?`, id).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.SealedIdentityTx: %w", err)
	}
	return sealed, nil
}

// DeleteUserSessions ends every session of an account (pages and API
// tokens alike): logout everywhere, and what a password change or reset does.
func (s *Store) DeleteUserSessions(ctx context.Context, id int64) error {
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
		return fmt.Errorf("store.DeleteUserSessions: %w", err)
	}
	return nil
}

// SetPassword replaces an account's password hash, clears its lock-out and
// ends its sessions, in one transaction.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string) error {
	err := s.Transact(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, failed = 0, locked_until = 0 WHERE id = ?`, hash, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return homthu.Errorf(homthu.ENOTFOUND, "Không có tài khoản này.")
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
		return err
	})
	if err != nil && homthu.ErrorCode(err) == homthu.EINTERNAL {
		return fmt.Errorf("store.SetPassword: %w", err)
	}
	return err
}

// SetDisabled disables or enables an account; disabling ends its sessions
// and, for Front staff, may leave its unit without staff.
func (s *Store) SetDisabled(ctx context.Context, id int64, disabled bool) error {
	err := s.Transact(ctx, func(tx *Tx) error {
		var unit string
		if err := tx.QueryRow(ctx, `SELECT unit FROM users WHERE id = ?`, id).Scan(&unit); errors.Is(err, sql.ErrNoRows) {
			return homthu.Errorf(homthu.ENOTFOUND, "Không có tài khoản này.")
		} else if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, disabled, id); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `UPDATE units SET has_staff = EXISTS (SELECT 1 FROM users WHERE unit = ? AND role = 'front' AND disabled = FALSE) WHERE code = ?`, unit, unit)
		return err
	})
	if err != nil && homthu.ErrorCode(err) == homthu.EINTERNAL {
		return fmt.Errorf("store.SetDisabled: %w", err)
	}
	return err
}

// FindUser returns an account by id if it sits at scope or below, else ENOTFOUND.
func (s *Store) FindUser(ctx context.Context, scope string, id int64) (*homthu.User, error) {
	lo, hi, err := s.scopeRange(ctx, scope)
	if err != nil {
		return nil, err
	}
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userCols+` FROM users u JOIN units n ON n.code = u.unit WHERE u.id = ? AND n.path >= ? AND n.path < ?`, id, lo, hi))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có tài khoản này trong phạm vi của bạn.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindUser: %w", err)
	}
	return u, nil
}
