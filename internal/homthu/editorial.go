package homthu

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The editorial board (ban biên tập) of the public portal takes messages
// about the site itself — a correction to a post, a question, a request —
// through "Gửi ban biên tập". Such a message is not feedback about a cadre:
// the form sends people who want to report one to the feedback form, where
// they may stay anonymous. Editors read the messages, answer by mail and
// mark them done.

// EditorialStatus is where a message to the editorial board stands. The
// codes are a contract.
type EditorialStatus string

// The states of a message to the editorial board.
const (
	EditorialNew     EditorialStatus = "new"     // not yet answered
	EditorialReplied EditorialStatus = "replied" // answered by mail, not closed
	EditorialDone    EditorialStatus = "done"    // nothing more to do
)

// Label is what a person reads for the state.
func (s EditorialStatus) Label() string {
	switch s {
	case EditorialNew:
		return "Mới"
	case EditorialReplied:
		return "Đã trả lời"
	case EditorialDone:
		return "Đã xong"
	}
	return string(s)
}

// Valid reports whether s is a known state.
func (s EditorialStatus) Valid() bool {
	return s == EditorialNew || s == EditorialReplied || s == EditorialDone
}

// Limits on a message to the editorial board.
const (
	MaxEditorialNameRunes    = 100
	MaxEditorialContactRunes = 200
	MaxEditorialSubjectRunes = 200
	MaxEditorialTextRunes    = 5000
	MaxEditorialReplyRunes   = 4000
)

// EditorialInput is a message as the form sends it.
type EditorialInput struct {
	Name    string
	Contact string // a mail address or a telephone number, to be answered at
	Subject string
	Text    string
	// Attachment is the sanitised file attached, if any.
	Attachment *Attachment
}

// Normalize puts the fields in NFC (through norm) and trims them; the
// one-line fields lose runs of spaces and line breaks.
func (in *EditorialInput) Normalize(norm func(string) string) {
	in.Name = strings.Join(strings.Fields(norm(in.Name)), " ")
	in.Contact = strings.TrimSpace(norm(in.Contact))
	in.Subject = strings.Join(strings.Fields(norm(in.Subject)), " ")
	in.Text = strings.TrimSpace(norm(in.Text))
}

// Validate checks a normalised message. Each message starts with the name
// of the field it is about, as the form's error mapping expects.
func (in *EditorialInput) Validate() error {
	switch {
	case in.Name == "":
		return Errorf(EINVALID, "Họ tên: xin ghi họ tên của bạn.")
	case utf8.RuneCountInString(in.Name) > MaxEditorialNameRunes:
		return Errorf(EINVALID, "Họ tên: tối đa %d ký tự.", MaxEditorialNameRunes)
	case in.Contact == "":
		return Errorf(EINVALID, "Liên hệ: xin ghi địa chỉ thư điện tử hoặc số điện thoại để ban biên tập trả lời bạn.")
	case utf8.RuneCountInString(in.Contact) > MaxEditorialContactRunes:
		return Errorf(EINVALID, "Liên hệ: tối đa %d ký tự.", MaxEditorialContactRunes)
	case !strings.Contains(in.Contact, "@") && !phoneLike(in.Contact):
		return Errorf(EINVALID, "Liên hệ: %q không phải địa chỉ thư điện tử hay số điện thoại (ví dụ ten@example.vn hoặc 0912 345 678).", in.Contact)
	case in.Subject == "":
		return Errorf(EINVALID, "Tiêu đề: xin ghi tiêu đề thư.")
	case utf8.RuneCountInString(in.Subject) > MaxEditorialSubjectRunes:
		return Errorf(EINVALID, "Tiêu đề: tối đa %d ký tự.", MaxEditorialSubjectRunes)
	case in.Text == "":
		return Errorf(EINVALID, "Nội dung: xin ghi nội dung thư.")
	case utf8.RuneCountInString(in.Text) > MaxEditorialTextRunes:
		return Errorf(EINVALID, "Nội dung: tối đa %d ký tự.", MaxEditorialTextRunes)
	}
	return nil
}

// phoneLike reports whether s reads as a telephone number: 8 to 15 digits,
// with spaces, dots, dashes, parentheses and a leading plus allowed.
func phoneLike(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '.', r == '-', r == '(', r == ')':
		default:
			return false
		}
	}
	return digits >= 8 && digits <= 15
}

// EditorialMessage is a message to the editorial board as stored.
type EditorialMessage struct {
	ID       int64
	Received time.Time
	EditorialInput
	Status EditorialStatus
	// Reply is the last answer sent by mail, RepliedBy the editor's
	// username; empty before any.
	Reply     string
	RepliedAt time.Time
	RepliedBy string
	DoneAt    time.Time
	DoneBy    string
}
