package homthu

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Notice is an in-app notification to one staff account: a reminder that
// a mailbox is due to be opened (issue 8), a deadline that comes or passed
// (issue 9), a report that is ready. It is its recipient's alone: nobody
// else lists or reads it.
type Notice struct {
	ID      int64
	Text    string
	Link    string // a staff page ("/can-bo/…"), or ""
	Created time.Time
	ReadAt  time.Time // zero while unread
}

// Read reports whether the notice was read.
func (n *Notice) Read() bool { return !n.ReadAt.IsZero() }

// NoticeTo addresses a notice: one account (User), or every enabled
// account with Role at exactly Unit ("the committee of area X", "the Front
// staff of commune Y"). Accounts added later do not get earlier notices.
type NoticeTo struct {
	User int64
	Role Role
	Unit string
}

// NewNotice is a notice to send.
type NewNotice struct {
	To NoticeTo
	// Text is what the recipient reads: one to MaxNoticeRunes characters,
	// about what their role may see, never a submitter's identity.
	Text string
	// Link is a staff page the notice leads to, or "".
	Link string
	// Key, when set, makes the notice once-only per recipient: a second
	// notice with the same key to the same account is not added (a reminder
	// planned twice is delivered once).
	Key string
	// Mail also mails the notice, with Subject, to each recipient who set
	// an address for notices (through the durable mail queue).
	Mail    bool
	Subject string
}

// MaxNoticeRunes bounds a notice's text.
const MaxNoticeRunes = 1000

// Validate checks a notice before it is stored.
func (n *NewNotice) Validate() error {
	n.Text = strings.TrimSpace(n.Text)
	switch {
	case (n.To.User != 0) == (n.To.Role != "" || n.To.Unit != ""):
		return Errorf(EINVALID, "Thông báo phải gửi đến một tài khoản, hoặc đến một vai trò ở một đơn vị.")
	case n.To.User == 0 && (!n.To.Role.Valid() || n.To.Unit == ""):
		return Errorf(EINVALID, "Thông báo gửi theo vai trò cần vai trò hợp lệ và mã đơn vị.")
	case n.Text == "" || utf8.RuneCountInString(n.Text) > MaxNoticeRunes || !utf8.ValidString(n.Text):
		return Errorf(EINVALID, "Nội dung thông báo phải có từ 1 đến %d ký tự.", MaxNoticeRunes)
	case n.Link != "" && !strings.HasPrefix(n.Link, "/can-bo/"):
		return Errorf(EINVALID, "Liên kết của thông báo phải là một trang cán bộ (/can-bo/…).")
	case strings.ContainsAny(n.Link, " \r\n\\"):
		return Errorf(EINVALID, "Liên kết của thông báo có ký tự không hợp lệ.")
	case len(n.Key) > 200:
		return Errorf(EINVALID, "Khóa của thông báo dài quá 200 byte.")
	case n.Mail && strings.TrimSpace(n.Subject) == "":
		return Errorf(EINVALID, "Thông báo gửi kèm thư điện tử cần tiêu đề thư.")
	}
	return nil
}
