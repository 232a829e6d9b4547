// Package homthu is the domain of the feedback-mailbox system that the Vietnam
// Fatherland Front runs under Regulation 124-QĐ/TW: units, mailboxes, feedback
// items, receipts, users and the rules that bind them. It imports no other
// package of this module; storage, HTTP and the CLI depend on it, never the
// other way round.
package homthu

import (
	"errors"
	"fmt"
)

// Error codes. They are stable: the JSON API maps them to its error codes and
// HTTP statuses, and the HTML pages to their messages.
const (
	EINVALID      = "invalid"
	EUNAUTHORIZED = "unauthorized"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EFORBIDDEN    = "forbidden"
	ETOOLARGE     = "too_large"
	ERATELIMITED  = "rate_limited"
	EINTERNAL     = "internal"
)

// Error is a domain error: a code and a message that is safe to show a person,
// in Vietnamese. Internal causes are wrapped with %w around it or kept out of
// the message entirely.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("homthu: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the person-facing message of err: the message of the
// first *Error in its chain, or a generic Vietnamese message that reveals
// nothing of an internal error.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "Hệ thống gặp lỗi nội bộ. Dữ liệu bạn gửi chưa bị mất; xin thử lại sau ít phút."
	}
}
